/*
| Abilities not tied to one record: which areas of Loket a role may open.
| Record-level rules (tenant, branch scope) live in app/policies.
*/
import { Bouncer } from '@adonisjs/bouncer'
import type User from '#models/user'
import { ADMIN_ROLES, SUPERVISOR_ROLES } from '#enums/role'

/** Owners and admins configure their tenant (services, counters, users, devices, reports). */
export const administer = Bouncer.ability(
  (user: User) => user.tenantId !== null && ADMIN_ROLES.includes(user.role)
)

/** Supervisors (and owners, admins) watch every counter, move visitors and read reports. */
export const supervise = Bouncer.ability(
  (user: User) => user.tenantId !== null && SUPERVISOR_ROLES.includes(user.role)
)

/** Anyone working in a tenant can run a counter. */
export const operateQueue = Bouncer.ability((user: User) => user.tenantId !== null)

/** Platform staff create tenants. */
export const managePlatform = Bouncer.ability((user: User) => user.role === 'super_admin')

/** Only owners change tenant-wide settings and open branches. */
export const ownTenant = Bouncer.ability(
  (user: User) => user.tenantId !== null && user.role === 'owner'
)

/**
 * The booking settings (session length, arrival tolerance, slots, reminders, blending) are the
 * whole business's: owners not limited to one branch change them.
 */
export const configureBookings = Bouncer.ability(
  (user: User) => user.tenantId !== null && user.role === 'owner' && user.branchId === null
)
