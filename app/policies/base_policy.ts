import { BasePolicy as BouncerBasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'
import { ADMIN_ROLES } from '#enums/role'

export interface BranchRecord {
  tenantId: number
  branchId: number
}

/** Role and scope helpers shared by Loket's policies. */
export default class BasePolicy extends BouncerBasePolicy {
  protected isAdmin(user: User) {
    return ADMIN_ROLES.includes(user.role)
  }

  protected sameTenant(user: User, record: { tenantId: number | null }) {
    return user.tenantId !== null && user.tenantId === record.tenantId
  }

  /** A user limited to one branch sees only that branch's records. */
  protected inBranchScope(user: User, record: BranchRecord) {
    return (
      this.sameTenant(user, record) && (user.branchId === null || user.branchId === record.branchId)
    )
  }
}
