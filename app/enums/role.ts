/** One role per user. `super_admin` is platform staff and belongs to no tenant. */
const ROLES = [
  'super_admin',
  'owner',
  'admin',
  'supervisor',
  'operator',
  'cs',
  'sales',
  'technician',
  'agent',
  'renewal',
] as const
export type Role = (typeof ROLES)[number]

/** Roles a tenant's owner or admin may give to the users they manage. */
export const TENANT_ROLES = [
  'owner',
  'admin',
  'supervisor',
  'operator',
  'cs',
  'sales',
  'technician',
  'agent',
  'renewal',
] as const satisfies readonly Role[]
export type TenantRole = (typeof TENANT_ROLES)[number]

/** Who may open the admin (configuration) pages. */
export const ADMIN_ROLES: readonly Role[] = ['owner', 'admin']

/** Who watches all counters, moves visitors between them and reads the reports. */
export const SUPERVISOR_ROLES: readonly Role[] = ['owner', 'admin', 'supervisor']

/** Who dispatches visit jobs: creates them, watches attendance, returns places to the pool, decides extensions. */
export const DISPATCH_ROLES: readonly Role[] = ['owner', 'admin', 'supervisor', 'cs']

/** Who works with the customer list (dispatchers, and sales, who price the visits). */
export const CUSTOMER_ROLES: readonly Role[] = [...DISPATCH_ROLES, 'sales']

/** Who writes invoices, sends them and records payments. */
export const BILLING_ROLES: readonly Role[] = ['owner', 'admin', 'cs']

/** Who approves or rejects an invoice's price: sales (and the owner, whose business it is). */
export const APPROVER_ROLES: readonly Role[] = ['owner', 'sales']

/** Who reads invoices: the billing roles, the approvers and supervisors. */
export const INVOICE_READER_ROLES: readonly Role[] = ['owner', 'admin', 'supervisor', 'cs', 'sales']

/** Who reads the ratings customers gave (the supervisor board of low ratings, the dashboard). */
export const RATING_READER_ROLES: readonly Role[] = ['owner', 'admin', 'supervisor', 'cs']

/** Who works the WhatsApp inbox: support agents, the renewal and sales teams, CS, and who supervises them. */
export const INBOX_ROLES: readonly Role[] = [
  'owner',
  'admin',
  'supervisor',
  'cs',
  'agent',
  'sales',
  'renewal',
]

/** Who manages the inbox's set-up: categories, SLA policies, canned replies, outlets, agents' scopes. */
export const INBOX_MANAGER_ROLES: readonly Role[] = ['owner', 'admin', 'supervisor']

/** Who keeps the outlets list (create, edit, CSV import, link contacts): inbox managers and CS. */
export const OUTLET_ROLES: readonly Role[] = [...INBOX_MANAGER_ROLES, 'cs']

/** Who works the leads pipeline (/app/leads): sales and who supervises them. */
export const LEAD_ROLES: readonly Role[] = ['owner', 'admin', 'supervisor', 'sales']

/** Who sets the leads up: keywords, the sales manager, the public form, the onboarding service. */
export const LEAD_MANAGER_ROLES: readonly Role[] = ['owner', 'admin', 'supervisor']

/** Who works the renewal board (renewals due, overdue, recovered, churned; calls and notes). */
export const RENEWAL_ROLES: readonly Role[] = ['owner', 'admin', 'supervisor', 'renewal']

/** Who sets renewals up: the POS source and its secret, the cadence, quiet hours; who syncs by hand. */
export const RENEWAL_MANAGER_ROLES: readonly Role[] = ['owner', 'admin', 'supervisor']

/** Roles whose inbox can be limited to some franchises or outlets (user_scopes); managers see everything. */
export const SCOPABLE_ROLES: readonly Role[] = ['agent', 'sales', 'renewal', 'cs']

/** How far each role reaches: a role manages only roles at or below its own rank. */
const RANK: Record<Role, number> = {
  super_admin: 100,
  owner: 40,
  admin: 30,
  supervisor: 20,
  operator: 10,
  cs: 10,
  sales: 10,
  technician: 5,
  agent: 10,
  renewal: 10,
}

/** Whether `role` has wider rights than `than`. */
export function outranks(role: Role, than: Role) {
  return RANK[role] > RANK[than]
}
