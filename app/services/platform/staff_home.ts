import Counter from '#models/counter'
import Resource from '#models/resource'
import Service from '#models/service'
import User from '#models/user'
import MessagingChannel from '#models/messaging_channel'
import Outlet from '#models/outlet'
import type Branch from '#models/branch'
import {
  ADMIN_ROLES,
  CUSTOMER_ROLES,
  DISPATCH_ROLES,
  INVOICE_READER_ROLES,
  OUTLET_ROLES,
  INBOX_ROLES,
  LEAD_ROLES,
  RATING_READER_ROLES,
  RENEWAL_ROLES,
  SUPERVISOR_ROLES,
} from '#enums/role'

/** The parts of Loket a branch uses, read from what it is set up with (nothing to switch on). */
export interface Modules {
  /** The walk-in queue: an active counter, or an active service taken without booking. */
  queue: boolean
  /** Bookings: an active resource to book (booth, room, chair, doctor). */
  bookings: boolean
  /** The booth board: an active booth among those resources. */
  booths: boolean
  /** Field service: the business has technicians to send out. */
  field: boolean
}

/** The staff menu's entries that depend on the business (the admin menu stays whole: it sets them up). */
export type NavItem =
  | 'counter'
  | 'desk'
  | 'board'
  | 'reports'
  | 'bookings'
  | 'booth_board'
  | 'jobs'
  | 'attendance'
  | 'customers'
  | 'pool'
  | 'my_jobs'
  | 'my_attendance'
  | 'invoices'
  | 'ratings'
  | 'outlets'
  | 'inbox'
  | 'leads'
  | 'renewals'

/**
 * Where each member of staff works, in one place: the page they land on after logging in (and on
 * `/app`) and which entries the menu lists. A photo-booth business's staff land on the booth board
 * and never see the counter console; a clinic's staff never see the booth board.
 */
export default class StaffHome {
  async modules(branch: Branch): Promise<Modules> {
    const [counter, walkIn, resource, booth, technician] = await Promise.all([
      Counter.query().where('branch_id', branch.id).where('is_active', true).select('id').first(),
      Service.query()
        .where('branch_id', branch.id)
        .where('is_active', true)
        .where('is_bookable', false)
        .select('id')
        .first(),
      Resource.query().where('branch_id', branch.id).where('is_active', true).select('id').first(),
      Resource.query()
        .where('branch_id', branch.id)
        .where('is_active', true)
        .where('kind', 'booth')
        .select('id')
        .first(),
      User.workingAt(branch.tenantId, branch.id, 'technician').select('id').first(),
    ])
    return {
      queue: !!(counter || walkIn),
      bookings: !!resource,
      booths: !!booth,
      field: !!technician,
    }
  }

  /**
   * The route `user` starts on in `branch`: owners and admins the admin dashboard; technicians
   * the open pool, CS the job list, sales the customer list; supervisors the
   * live board of the queue; operators their counter console, or the booth board (else the day's
   * bookings) where the business has no queue. With nothing set up yet, the console says to ask
   * an admin.
   */
  async landing(user: User, branch: Branch) {
    if (user.role === 'super_admin') return 'platform.tenants.index'
    if (ADMIN_ROLES.includes(user.role)) return 'admin.dashboard'
    if (user.role === 'technician') return 'field.pool'
    if (user.role === 'cs') return 'field.jobs.index'
    if (user.role === 'sales') return 'field.customers.index'
    if (user.role === 'agent' || user.role === 'renewal') return 'inbox.index'
    const modules = await this.modules(branch)
    if (modules.queue) return SUPERVISOR_ROLES.includes(user.role) ? 'board.show' : 'counter.show'
    if (modules.booths) return 'bookings.board'
    if (modules.bookings) return 'bookings.index'
    return 'counter.show'
  }

  /** The menu entries `user` sees in `branch`: the modules it uses, within what the role may open. */
  async nav(user: User, branch: Branch): Promise<Set<NavItem>> {
    const items = new Set<NavItem>()
    // Technicians see their work only; CS and sales the field pages whatever else the branch runs.
    if (user.role === 'technician') return items.add('pool').add('my_jobs').add('my_attendance')
    const modules = await this.modules(branch)
    if (modules.field || user.role === 'cs') {
      if (DISPATCH_ROLES.includes(user.role)) items.add('jobs').add('attendance')
    }
    if (modules.field || user.role === 'cs' || user.role === 'sales') {
      if (CUSTOMER_ROLES.includes(user.role)) items.add('customers')
    }
    // Every business bills and hears its customers, whatever else it runs.
    if (INVOICE_READER_ROLES.includes(user.role)) items.add('invoices')
    if (RATING_READER_ROLES.includes(user.role)) items.add('ratings')
    // The WhatsApp inbox and its outlets, for their teams, where the business talks on WhatsApp.
    const whatsapp = await this.usesOutlets(branch.tenantId)
    if (whatsapp && INBOX_ROLES.includes(user.role)) items.add('inbox')
    if (whatsapp && OUTLET_ROLES.includes(user.role)) items.add('outlets')
    // Renewals of the outlets, for the renewal team and its managers.
    if (whatsapp && RENEWAL_ROLES.includes(user.role)) items.add('renewals')
    // Leads come by WhatsApp, by hand and by the public form: sales work them whatever else runs.
    if (LEAD_ROLES.includes(user.role)) items.add('leads')
    if (user.role === 'agent' || user.role === 'renewal') return items
    if (user.role === 'cs' || user.role === 'sales') {
      if (modules.bookings) items.add('bookings')
      return items
    }
    if (modules.queue) {
      items.add('counter').add('desk')
      if (SUPERVISOR_ROLES.includes(user.role)) items.add('board').add('reports')
    }
    if (modules.bookings) items.add('bookings')
    if (modules.booths) items.add('booth_board')
    // Nothing set up yet: the console is where the landing page says to ask an admin.
    if (!modules.queue && !modules.bookings) items.add('counter')
    return items
  }

  /** Whether the business has outlets, or a WhatsApp account whose contacts may speak for some. */
  async usesOutlets(tenantId: number) {
    const [outlet, whatsapp] = await Promise.all([
      Outlet.forTenant(tenantId).select('id').first(),
      MessagingChannel.forTenant(tenantId)
        .where('kind', 'whatsapp')
        .where('is_active', true)
        .select('id')
        .first(),
    ])
    return !!(outlet || whatsapp)
  }
}
