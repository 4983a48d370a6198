import { DateTime } from 'luxon'
import type { RenewalSettings } from '#models/settings/renewal_settings'
import type { RenewalStatus } from '#enums/renewals'

/*
|--------------------------------------------------------------------------
| The renewal cadence, as pure rules (seed 004 Renewal Flow)
|--------------------------------------------------------------------------
| A renewal's reminders go on days counted from its expiry date (D-14, D-7, D-1, D+3 by default)
| in the tenant's time zone, each at the start of its local day unless that falls in the quiet
| hours, when it waits until they end. At most `attemptCap` reminders go. The day after the last
| reminder day (and never before the day after expiry) an unpaid renewal churns; the winback
| steps then follow, counted from the day it churned. Nothing goes once it is paid.
*/

/** One automatic step and when it is due. */
export interface PlannedStep {
  step: string
  kind: 'reminder' | 'churn' | 'winback'
  /** Days from the expiry date (reminders) or from the churn date (winback). */
  offset: number
  at: DateTime
}

/** What the cadence needs to know of a renewal. */
export interface CadenceState {
  /** `YYYY-MM-DD`. */
  expiresOn: string
  status: RenewalStatus
  /** The local day it churned, `YYYY-MM-DD` (null while it has not). */
  churnedOn: string | null
  remindersSent: number
  /** The automatic steps already tried (sent, failed, skipped as paid or capped). */
  done: ReadonlySet<string>
}

/** A reminder step's name: `d-14`, `d-1`, `d+0`, `d+3`. */
export function reminderStep(offset: number) {
  return offset < 0 ? `d${offset}` : `d+${offset}`
}

/** A winback step's name, numbered from 1 in the order of its days. */
export function winbackStep(index: number) {
  return `winback-${index + 1}`
}

function minutesOf(time: string) {
  const [hours, minutes] = time.split(':').map(Number)
  return hours * 60 + minutes
}

/** Whether the local time of `moment` in `zone` falls within the quiet hours. */
export function inQuietHours(
  moment: DateTime,
  quiet: Pick<RenewalSettings, 'quietStart' | 'quietEnd'>,
  zone: string
) {
  const start = minutesOf(quiet.quietStart)
  const end = minutesOf(quiet.quietEnd)
  if (start === end) return false
  const local = moment.setZone(zone)
  const now = local.hour * 60 + local.minute
  return start < end ? now >= start && now < end : now >= start || now < end
}

/** `moment`, or the end of the quiet hours it falls in (the same local day, or the next). */
export function outOfQuietHours(
  moment: DateTime,
  quiet: Pick<RenewalSettings, 'quietStart' | 'quietEnd'>,
  zone: string
) {
  if (!inQuietHours(moment, quiet, zone)) return moment
  const local = moment.setZone(zone)
  const end = minutesOf(quiet.quietEnd)
  const now = local.hour * 60 + local.minute
  const day = now >= end ? local.plus({ days: 1 }) : local
  return day.set({ hour: Math.floor(end / 60), minute: end % 60, second: 0, millisecond: 0 })
}

/** The start of local day `day` + `offset` days in `zone`. */
export function startOfDay(day: string, offset: number, zone: string) {
  return DateTime.fromISO(day, { zone }).plus({ days: offset }).startOf('day')
}

/** The reminder steps of `settings` for an expiry date, each at its sendable moment. */
export function reminderPlan(expiresOn: string, settings: RenewalSettings, zone: string) {
  return [...settings.cadence]
    .sort((a, b) => a - b)
    .map((offset): PlannedStep => ({
      step: reminderStep(offset),
      kind: 'reminder',
      offset,
      at: outOfQuietHours(startOfDay(expiresOn, offset, zone), settings, zone),
    }))
}

/** When an unpaid renewal churns: the day after its last reminder day, and after its expiry date. */
export function churnAt(expiresOn: string, settings: RenewalSettings, zone: string) {
  const last = Math.max(0, ...settings.cadence)
  return startOfDay(expiresOn, last + 1, zone)
}

/** The winback steps after churning on local day `churnedOn`. */
export function winbackPlan(churnedOn: string, settings: RenewalSettings, zone: string) {
  return [...settings.winback]
    .sort((a, b) => a - b)
    .map((offset, index): PlannedStep => ({
      step: winbackStep(index),
      kind: 'winback',
      offset,
      at: outOfQuietHours(startOfDay(churnedOn, offset, zone), settings, zone),
    }))
}

/**
 * Of the steps not tried yet that come after the last one tried: the latest already due at `now`
 * (earlier missed ones are passed over, so a late start sends one reminder, not a burst), else
 * the next one to come. Null when none is left.
 */
function pick(steps: PlannedStep[], done: ReadonlySet<string>, now: DateTime) {
  const lastDone = steps.reduce((last, step, index) => (done.has(step.step) ? index : last), -1)
  const open = steps.slice(lastDone + 1)
  const due = open.filter((step) => step.at <= now)
  return due.at(-1) ?? open[0] ?? null
}

/**
 * The renewal's next automatic step at `now`: a reminder (while unpaid and under the cap), the
 * churn once the reminders are over, a winback step once churned; null when paid or nothing is
 * left. Its `at` may be in the past: it is due.
 */
export function nextStep(
  state: CadenceState,
  settings: RenewalSettings,
  zone: string,
  now: DateTime
): PlannedStep | null {
  if (state.status === 'renewed' || state.status === 'recovered') return null
  if (state.status === 'churned') {
    if (!state.churnedOn) return null
    return pick(winbackPlan(state.churnedOn, settings, zone), state.done, now)
  }
  if (state.remindersSent < settings.attemptCap) {
    const reminder = pick(reminderPlan(state.expiresOn, settings, zone), state.done, now)
    if (reminder) return reminder
  }
  return { step: 'churn', kind: 'churn', offset: 0, at: churnAt(state.expiresOn, settings, zone) }
}

/**
 * What a payment makes of an open renewal: `renewed` when paid by its expiry date (local day
 * `paidOn`), `recovered` when after it (a churned renewal is always recovered).
 */
export function paidStatus(
  state: Pick<CadenceState, 'expiresOn' | 'status'>,
  paidOn: string
): 'renewed' | 'recovered' {
  return state.status !== 'churned' && paidOn <= state.expiresOn ? 'renewed' : 'recovered'
}

/** Whether an outlet's expiry date `outletExpiresOn` says the renewal for `expiresOn` was paid. */
export function isPaid(expiresOn: string, outletExpiresOn: string | null) {
  return Boolean(outletExpiresOn && outletExpiresOn > expiresOn)
}

/** Days between local day `today` and the expiry date (negative: days past it). */
export function daysLeft(expiresOn: string, today: string) {
  return Math.round(
    DateTime.fromISO(expiresOn, { zone: 'utc' })
      .diff(DateTime.fromISO(today, { zone: 'utc' }), 'days')
      .as('days')
  )
}
