import type User from '#models/user'
import BasePolicy, { type BranchRecord } from '#policies/base_policy'

/** Records that belong to a branch: services, counters, devices, tickets. */
export default class BranchRecordPolicy extends BasePolicy {
  /** Staff of the tenant, within their branch scope, may work with it (call, serve). */
  operate(user: User, record: BranchRecord) {
    return this.inBranchScope(user, record)
  }

  /** Owners and admins, within their branch scope, may change it. */
  manage(user: User, record: BranchRecord) {
    return this.isAdmin(user) && this.inBranchScope(user, record)
  }
}
