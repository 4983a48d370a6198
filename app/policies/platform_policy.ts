import type User from '#models/user'
import BasePolicy from '#policies/base_policy'
import { outranks, type Role } from '#enums/role'

/**
 * The tenant's staff accounts and REST API keys. Nobody changes a user with wider rights than their
 * own: a higher role (only owners manage owners; admins manage admins and those below them), or a
 * wider reach (a user limited to one branch manages only users limited to that same branch, never
 * a tenant-wide one nor another branch's).
 */
export default class PlatformPolicy extends BasePolicy {
  manageUser(actor: User, target: User) {
    if (!this.isAdmin(actor) || !this.sameTenant(actor, target)) return false
    return this.withinReach(actor, target.branchId) && !outranks(target.role, actor.role)
  }

  /** Whether `actor` may give the role `role`, limited to `branchId` (null: every branch). */
  assignRole(actor: User, role: Role, branchId: number | null) {
    return this.isAdmin(actor) && this.withinReach(actor, branchId) && !outranks(role, actor.role)
  }

  /** API keys reach every branch of their tenant: owners and admins not limited to one branch list, create and revoke them. */
  manageApiKeys(user: User) {
    return this.isAdmin(user) && user.tenantId !== null && user.branchId === null
  }

  /** A branch-limited actor reaches only their own branch; a tenant-wide one reaches everyone. */
  private withinReach(actor: User, branchId: number | null) {
    return actor.branchId === null || actor.branchId === branchId
  }
}
