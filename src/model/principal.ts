/** Roles are ordered: each one may do everything the ones before it may. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking: an API token's label or a JWT's subject, with its role (open mode: admin). */
export interface Principal {
  readonly id: string;
  readonly role: Role;
}

export const OPEN_MODE_PRINCIPAL: Principal = Object.freeze({ id: 'anonymous', role: 'admin' });

export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

export function hasRole(principal: Principal, needed: Role): boolean {
  return ROLES.indexOf(principal.role) >= ROLES.indexOf(needed);
}
