import type User from '#models/user'
import BasePolicy from '#policies/base_policy'
import type { TenantRole } from '#enums/role'

/** Who may manage which staff accounts. Owners manage everyone; admins manage admins and operators. */
export default class UserPolicy extends BasePolicy {
  manage(actor: User, target: User) {
    if (!this.isAdmin(actor) || !this.sameTenant(actor, target)) return false
    return target.role !== 'owner' || actor.role === 'owner'
  }

  /** Whether `actor` may give the role `role` to someone. */
  assign(actor: User, role: TenantRole) {
    if (!this.isAdmin(actor)) return false
    return role !== 'owner' || actor.role === 'owner'
  }
}
