/*
| Bouncer policies, pre-registered so that views can use them with @can.
*/
export const policies = {
  BranchRecordPolicy: () => import('#policies/branch_record_policy'),
  PlatformPolicy: () => import('#policies/platform_policy'),
  PaymentsPolicy: () => import('#policies/payments_policy'),
}
