/**
 * The API token the dashboard sends when seghub enforces authentication. Kept in sessionStorage:
 * it lasts while the tab is open and is never written to disk by the page.
 */
const KEY = 'seghub.token';

export function storedToken(): string {
  try {
    return sessionStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

/** Saves (or, empty, forgets) the token; the page reloads so every request and the socket use it. */
export function saveToken(token: string): void {
  if (token.trim()) sessionStorage.setItem(KEY, token.trim());
  else sessionStorage.removeItem(KEY);
  window.location.reload();
}

/** `Authorization: Bearer <token>`, or nothing when no token is stored (open mode). */
export function authHeaders(): Record<string, string> {
  const token = storedToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}
