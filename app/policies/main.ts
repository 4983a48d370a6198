/*
| Bouncer policies, pre-registered so that views can use them with @can.
*/
export const policies = {
  BranchRecordPolicy: () => import('#policies/branch_record_policy'),
  UserPolicy: () => import('#policies/user_policy'),
  PaymentPolicy: () => import('#policies/payment_policy'),
}
