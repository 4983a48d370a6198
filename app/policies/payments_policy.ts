import type User from '#models/user'
import BasePolicy from '#policies/base_policy'

/** The tenant's payment gateways: where customers' money goes. */
export default class PaymentsPolicy extends BasePolicy {
  /** Only owners not limited to one branch set up gateways and see payments. */
  manage(user: User) {
    return user.tenantId !== null && user.role === 'owner' && user.branchId === null
  }
}
