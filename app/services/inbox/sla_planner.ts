import type { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Branch from '#models/branch'
import BranchHour from '#models/branch_hour'
import Holiday from '#models/holiday'
import { targetsFor, type InboxSettings } from '#models/settings/inbox_settings'
import {
  addBusinessSeconds,
  businessSecondsBetween,
  calendarFrom,
  type BusinessCalendar,
} from '#services/inbox/sla_clock'

/** A tenant's calendar is read again after this long (hours and holidays change rarely). */
const CALENDAR_TTL_MS = 60_000

/**
 * The SLA due times of support tickets (seed 004): the first response and the resolution, counted
 * in business hours of the tenant's calendar (its first branch's opening hours and holidays; open
 * around the clock when it has none). The resolution clock stops while a ticket waits on the
 * customer (`pending`) or is resolved, and goes on from where it stopped when the customer writes.
 */
export class SlaPlanner {
  #calendars = new Map<number, { calendar: BusinessCalendar; readAt: number }>()

  /** The tenant's working calendar (remembered for a minute). */
  async calendar(tenantId: number, trx?: TransactionClientContract): Promise<BusinessCalendar> {
    const known = this.#calendars.get(tenantId)
    if (known && Date.now() - known.readAt < CALENDAR_TTL_MS) return known.calendar
    const options = { client: trx }
    const branch = await Branch.forTenant(tenantId, options).orderBy('id').first()
    const zone = branch?.timezone ?? 'Asia/Jakarta'
    const hours = branch
      ? await BranchHour.query(options).where('branch_id', branch.id).orderBy('weekday')
      : []
    const holidays = branch ? await Holiday.query(options).where('branch_id', branch.id) : []
    const calendar = calendarFrom(zone, hours, holidays)
    if (this.#calendars.size > 1000) this.#calendars.clear()
    this.#calendars.set(tenantId, { calendar, readAt: Date.now() })
    return calendar
  }

  /** Forgets a tenant's calendar (its hours changed). */
  forget(tenantId: number) {
    this.#calendars.delete(tenantId)
  }

  /** When the first answer to a message that arrived `at` is due. */
  firstResponseDue(
    calendar: BusinessCalendar,
    settings: InboxSettings,
    category: string | null,
    at: DateTime
  ) {
    return addBusinessSeconds(
      at,
      targetsFor(settings, category).firstResponseMinutes * 60,
      calendar
    )
  }

  /**
   * When the ticket must be resolved, its clock running again `from` with `spentSeconds` of
   * business time already used; a target already used up is due at once.
   */
  resolutionDue(
    calendar: BusinessCalendar,
    settings: InboxSettings,
    category: string | null,
    from: DateTime,
    spentSeconds: number
  ) {
    const left = targetsFor(settings, category).resolutionMinutes * 60 - spentSeconds
    return addBusinessSeconds(from, Math.max(0, left), calendar)
  }

  /** Business seconds the resolution clock ran between `from` and `to` (when it stops). */
  spent(calendar: BusinessCalendar, from: DateTime, to: DateTime) {
    return Math.floor(businessSecondsBetween(from, to, calendar))
  }
}

const slaPlanner = new SlaPlanner()
export default slaPlanner
