import type User from '#models/user'
import BasePolicy from '#policies/base_policy'

/** REST API keys reach every branch of their tenant. */
export default class ApiKeyPolicy extends BasePolicy {
  /** Owners and admins not limited to one branch list, create and revoke them. */
  manage(user: User) {
    return this.isAdmin(user) && user.tenantId !== null && user.branchId === null
  }
}
