import { DateTime, Info } from 'luxon'

/*
| SLA clocks in business time, for the inbox's support tickets (first response and resolution).
|
| Rules (tested in tests/unit/sla_clock.spec.ts):
| - Time counts only inside a tenant's opening intervals, read day by day in the calendar's zone.
|   Each local 'HH:mm' becomes an absolute instant with DateTime.fromISO(day + 'T' + time, { zone }),
|   so days of 23 or 25 hours (DST) count the time that really passes. '24:00' is the next midnight.
| - An interval opens at opensAt (inclusive) and closes at closesAt (exclusive). Overlapping or
|   touching intervals of one day are merged; an interval that is empty (opensAt >= closesAt) is ignored.
| - A holiday closes its local day entirely. With no hour rows at all a tenant is open around the
|   clock, holidays still closed.
| - The arithmetic is in whole milliseconds: seconds given are rounded to the millisecond, and
|   seconds returned are exact (fractional when the instants carry milliseconds).
| - A ticket's resolution clock pauses while it is `pending`: the caller keeps the business time
|   spent before the pause and, on resuming, asks for addBusinessSeconds(resume, target - spent).
*/

/** A tenant's working calendar: opening intervals per weekday in a time zone, and closed days. */
export interface BusinessCalendar {
  /** IANA, e.g. 'Asia/Jakarta', 'Asia/Kuala_Lumpur'. */
  zone: string
  /** weekday 0 = Sunday ... 6 = Saturday -> intervals of local 'HH:mm' (opensAt < closesAt; closesAt may be '24:00'). A weekday missing or with [] is closed. */
  hours: Partial<Record<number, { opensAt: string; closesAt: string }[]>>
  /** Local days 'YYYY-MM-DD' closed all day (public holidays). */
  holidays: ReadonlySet<string>
}

/** An open interval in epoch milliseconds, end exclusive. */
type Span = [opens: number, closes: number]

/** How many days in a row without any open time before a search gives up. */
const SEARCH_DAYS = 400

const TIME_OF_DAY = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/
const LOCAL_DAY = /^\d{4}-\d{2}-\d{2}$/

function checkTime(time: string) {
  if (!TIME_OF_DAY.test(time)) throw new RangeError(`Not a local time 'HH:mm': '${time}'`)
  return time
}

function checkZone(zone: string) {
  if (!Info.isValidIANAZone(zone)) throw new RangeError(`Unknown time zone: '${zone}'`)
}

function checkInstant(at: DateTime, name: string) {
  if (!at.isValid) throw new RangeError(`${name} is not a valid date-time`)
  return at.toMillis()
}

/** The local day after `day`, both 'YYYY-MM-DD' (calendar arithmetic, no zone involved). */
function nextDay(day: string) {
  const date = new Date(`${day}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + 1)
  return date.toISOString().slice(0, 10)
}

/** The local day 'YYYY-MM-DD' an instant falls on in `zone`. */
function localDay(at: DateTime, zone: string) {
  return at.setZone(zone).toISODate()!
}

/** The instant of a local time of day; '24:00' is the following day's midnight. */
function instant(day: string, time: string, zone: string) {
  const [date, clock] = time === '24:00' ? [nextDay(day), '00:00'] : [day, time]
  return DateTime.fromISO(`${date}T${clock}`, { zone }).toMillis()
}

/** The open spans of one local day as absolute instants, sorted, with overlapping ones merged. */
function openSpans(day: string, calendar: BusinessCalendar): Span[] {
  if (calendar.holidays.has(day)) return []
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay()
  const spans = (calendar.hours[weekday] ?? [])
    .map(({ opensAt, closesAt }): Span => [
      instant(day, checkTime(opensAt), calendar.zone),
      instant(day, checkTime(closesAt), calendar.zone),
    ])
    .filter(([opens, closes]) => opens < closes)
    .sort((a, b) => a[0] - b[0])
  const merged: Span[] = []
  for (const [opens, closes] of spans) {
    const last = merged.at(-1)
    if (last && opens <= last[1]) last[1] = Math.max(last[1], closes)
    else merged.push([opens, closes])
  }
  return merged
}

/** Whether any weekday has an interval at all: a calendar without one is never open. */
function hasOpenWeekday(calendar: BusinessCalendar) {
  return Object.values(calendar.hours).some((intervals) => (intervals?.length ?? 0) > 0)
}

/** Always open (the fallback when a tenant has set no hours); no holidays. */
export function aroundTheClock(zone: string): BusinessCalendar {
  checkZone(zone)
  const hours: BusinessCalendar['hours'] = {}
  for (let weekday = 0; weekday < 7; weekday++) {
    hours[weekday] = [{ opensAt: '00:00', closesAt: '24:00' }]
  }
  return { zone, hours, holidays: new Set() }
}

/**
 * A calendar built from database rows: branch_hours rows ({ weekday, opensAt, closesAt }) and
 * holidays rows ({ date }). No hour rows at all means open around the clock (24/7), the holidays
 * still closed. Several rows of one weekday are several intervals of that day. A weekday outside
 * 0..6, a time not 'HH:mm' (or '24:00') and a date not 'YYYY-MM-DD' are RangeErrors.
 */
export function calendarFrom(
  zone: string,
  hours: { weekday: number; opensAt: string; closesAt: string }[],
  holidays: { date: string }[]
): BusinessCalendar {
  checkZone(zone)
  const closed = new Set<string>()
  for (const { date } of holidays) {
    if (!LOCAL_DAY.test(date) || !DateTime.fromISO(date, { zone: 'utc' }).isValid) {
      throw new RangeError(`Not a local day 'YYYY-MM-DD': '${date}'`)
    }
    closed.add(date)
  }
  if (hours.length === 0) return { ...aroundTheClock(zone), holidays: closed }

  const byWeekday: BusinessCalendar['hours'] = {}
  for (const { weekday, opensAt, closesAt } of hours) {
    if (!Number.isInteger(weekday) || weekday < 0 || weekday > 6) {
      throw new RangeError(`Not a weekday 0..6: ${weekday}`)
    }
    const intervals = (byWeekday[weekday] ??= [])
    intervals.push({ opensAt: checkTime(opensAt), closesAt: checkTime(closesAt) })
  }
  return { zone, hours: byWeekday, holidays: closed }
}

/**
 * The moment `seconds` of business time after `start`, in UTC. A start outside business hours
 * starts the clock at the next opening; 0 seconds gives the next business moment at or after
 * start. A due time that uses up an interval exactly lands on its closing time (e.g. 17:00), not
 * on the next opening. Seconds are rounded to the millisecond; negative or non-finite seconds are
 * a RangeError. Throws an Error when the calendar has no open time for 400 days in a row.
 */
export function addBusinessSeconds(
  start: DateTime,
  seconds: number,
  calendar: BusinessCalendar
): DateTime {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`Business seconds must be a finite amount >= 0, got ${seconds}`)
  }
  checkZone(calendar.zone)
  let cursor = checkInstant(start, 'start')
  if (!hasOpenWeekday(calendar)) throw new Error('The calendar is never open')

  let remaining = Math.round(seconds * 1000)
  let day = localDay(start, calendar.zone)
  let closedDays = 0
  while (closedDays < SEARCH_DAYS) {
    let opened = false
    for (const [opens, closes] of openSpans(day, calendar)) {
      if (closes <= cursor) continue
      opened = true
      const from = Math.max(opens, cursor)
      if (remaining <= closes - from) return DateTime.fromMillis(from + remaining, { zone: 'utc' })
      remaining -= closes - from
      cursor = closes
    }
    closedDays = opened ? 0 : closedDays + 1
    day = nextDay(day)
  }
  throw new Error(
    `The calendar has no open time for ${SEARCH_DAYS} days in a row after ${start.toISO()}`
  )
}

/**
 * Business seconds between `from` and `to` (0 when to <= from): the open time of every local day
 * the span touches, clipped to it. Exact, so fractional when the instants carry milliseconds.
 */
export function businessSecondsBetween(
  from: DateTime,
  to: DateTime,
  calendar: BusinessCalendar
): number {
  checkZone(calendar.zone)
  const start = checkInstant(from, 'from')
  const end = checkInstant(to, 'to')
  if (end <= start || !hasOpenWeekday(calendar)) return 0

  let total = 0
  const lastDay = localDay(to, calendar.zone)
  for (let day = localDay(from, calendar.zone); day <= lastDay; day = nextDay(day)) {
    for (const [opens, closes] of openSpans(day, calendar)) {
      total += Math.max(0, Math.min(closes, end) - Math.max(opens, start))
    }
  }
  return total / 1000
}

/** Whether `at` falls inside business hours: opensAt inclusive, closesAt exclusive. */
export function isBusinessTime(at: DateTime, calendar: BusinessCalendar): boolean {
  checkZone(calendar.zone)
  const moment = checkInstant(at, 'at')
  return openSpans(localDay(at, calendar.zone), calendar).some(
    ([opens, closes]) => opens <= moment && moment < closes
  )
}
