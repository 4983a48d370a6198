/*
| Abilities not tied to one record: which areas of Loket a role may open.
| Record-level rules (tenant, branch scope) live in app/policies.
*/
import { Bouncer } from '@adonisjs/bouncer'
import type User from '#models/user'
import {
  ADMIN_ROLES,
  APPROVER_ROLES,
  BILLING_ROLES,
  CUSTOMER_ROLES,
  DISPATCH_ROLES,
  INBOX_MANAGER_ROLES,
  INBOX_ROLES,
  INVOICE_READER_ROLES,
  LEAD_MANAGER_ROLES,
  LEAD_ROLES,
  OUTLET_ROLES,
  RENEWAL_MANAGER_ROLES,
  RENEWAL_ROLES,
  RATING_READER_ROLES,
  SUPERVISOR_ROLES,
} from '#enums/role'

/** Owners and admins configure their tenant (services, counters, users, devices, reports). */
export const administer = Bouncer.ability(
  (user: User) => user.tenantId !== null && ADMIN_ROLES.includes(user.role)
)

/** Supervisors (and owners, admins) watch every counter, move visitors and read reports. */
export const supervise = Bouncer.ability(
  (user: User) => user.tenantId !== null && SUPERVISOR_ROLES.includes(user.role)
)

/** Anyone working in a tenant can run a counter, but technicians: they see only their jobs. */
export const operateQueue = Bouncer.ability(
  (user: User) => user.tenantId !== null && user.role !== 'technician'
)

/** Anyone working in a tenant has a staff home page (each role's own start page). */
export const workInTenant = Bouncer.ability((user: User) => user.tenantId !== null)

/** CS (and supervisors, admins, owners) dispatch visit jobs and watch technicians' attendance. */
export const dispatchJobs = Bouncer.ability(
  (user: User) => user.tenantId !== null && DISPATCH_ROLES.includes(user.role)
)

/** Dispatchers and sales work with the customer list. */
export const manageCustomers = Bouncer.ability(
  (user: User) => user.tenantId !== null && CUSTOMER_ROLES.includes(user.role)
)

/** Technicians claim jobs from the pool, work them, and check in and out. */
export const workJobs = Bouncer.ability(
  (user: User) => user.tenantId !== null && user.role === 'technician'
)

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

/** Owners, admins, supervisors, CS and sales read the invoices. */
export const readInvoices = Bouncer.ability(
  (user: User) => user.tenantId !== null && INVOICE_READER_ROLES.includes(user.role)
)

/** CS (and owners, admins) write invoices, send them and record their payments. */
export const billCustomers = Bouncer.ability(
  (user: User) => user.tenantId !== null && BILLING_ROLES.includes(user.role)
)

/** Sales (and owners) approve or reject an invoice's price. */
export const approveInvoices = Bouncer.ability(
  (user: User) => user.tenantId !== null && APPROVER_ROLES.includes(user.role)
)

/** Supervisors, CS, admins and owners read the customers' ratings. */
export const readRatings = Bouncer.ability(
  (user: User) => user.tenantId !== null && RATING_READER_ROLES.includes(user.role)
)

/** Inbox managers and CS keep the outlets list: create, edit, import by CSV, link contacts. */
export const manageOutlets = Bouncer.ability(
  (user: User) => user.tenantId !== null && OUTLET_ROLES.includes(user.role)
)

/** Agents, CS, sales, the renewal team and their supervisors work the WhatsApp inbox. */
export const useInbox = Bouncer.ability(
  (user: User) => user.tenantId !== null && INBOX_ROLES.includes(user.role)
)

/** Owners, admins and supervisors set the inbox up: categories, SLA targets, canned replies. */
export const manageInbox = Bouncer.ability(
  (user: User) => user.tenantId !== null && INBOX_MANAGER_ROLES.includes(user.role)
)

/** Sales and their supervisors work the leads pipeline. */
export const workLeads = Bouncer.ability(
  (user: User) => user.tenantId !== null && LEAD_ROLES.includes(user.role)
)

/** Owners, admins and supervisors set the leads up (keywords, sales manager, public form). */
export const manageLeads = Bouncer.ability(
  (user: User) => user.tenantId !== null && LEAD_MANAGER_ROLES.includes(user.role)
)

/** The renewal team and its managers work the renewal board and log calls and notes. */
export const renewals = Bouncer.ability(
  (user: User) => user.tenantId !== null && RENEWAL_ROLES.includes(user.role)
)

/** Owners, admins and supervisors set renewals up (POS source, cadence) and sync by hand. */
export const manageRenewals = Bouncer.ability(
  (user: User) => user.tenantId !== null && RENEWAL_MANAGER_ROLES.includes(user.role)
)

/** Owners and admins answer people's requests about their personal data: export, erasure, retention. */
export const managePrivacy = Bouncer.ability(
  (user: User) => user.tenantId !== null && ADMIN_ROLES.includes(user.role)
)
