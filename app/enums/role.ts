/** One role per user. `super_admin` is platform staff and belongs to no tenant. */
export const ROLES = ['super_admin', 'owner', 'admin', 'supervisor', 'operator'] as const
export type Role = (typeof ROLES)[number]

/** Roles a tenant's owner or admin may give to the users they manage. */
export const TENANT_ROLES = ['owner', 'admin', 'supervisor', 'operator'] as const satisfies readonly Role[]
export type TenantRole = (typeof TENANT_ROLES)[number]

/** Who may open the admin (configuration) pages. */
export const ADMIN_ROLES: readonly Role[] = ['owner', 'admin']

/** Who watches all counters, moves visitors between them and reads the reports. */
export const SUPERVISOR_ROLES: readonly Role[] = ['owner', 'admin', 'supervisor']
