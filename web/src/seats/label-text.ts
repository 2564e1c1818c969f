/** Labels as operators type them: `site=north, role=bridge`; the server checks the rules. */
export function parseLabelText(text: string): { key: string; value: string }[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const at = part.indexOf('=');
      return at < 0
        ? { key: part, value: '' }
        : { key: part.slice(0, at).trim(), value: part.slice(at + 1).trim() };
    });
}

/** Keys as operators type them: `ring, retired`. */
export function parseKeyText(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

export function formatLabel({ key, value }: { key: string; value: string }): string {
  return value === '' ? key : `${key}=${value}`;
}
