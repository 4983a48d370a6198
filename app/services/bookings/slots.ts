import { DateTime } from 'luxon'

/** A resource's opening on one weekday (0 = Sunday), local HH:mm. */
export interface WeeklyOpening {
  weekday: number
  opensAt: string
  closesAt: string
}

/** One bookable start time of one resource, and the grid slots a booking there takes. */
export interface ResourceSlot {
  resourceId: number
  /** UTC. */
  startsAt: DateTime
  endsAt: DateTime
  /** Local wall-clock start, HH:mm. */
  localTime: string
  /** The grid slots (UTC starts) the booking occupies: one, or more for a long service. */
  gridStarts: DateTime[]
}

export interface SlotQuery {
  /** The branch-local day, YYYY-MM-DD. */
  date: string
  timezone: string
  /** Branch holidays, YYYY-MM-DD. */
  holidays: ReadonlySet<string>
  slotMinutes: number
  /** The service's length; a service longer than one slot takes consecutive slots. */
  durationMinutes: number
  /** Nothing starting before this moment is offered (now, for customers). */
  notBefore: DateTime
}

/**
 * The start times `resourceId` offers on a day: from opening time, every `slotMinutes`, as long
 * as the whole service fits before closing. None on a branch holiday or a weekday the resource
 * is closed. Times are local wall-clock times in the branch's zone, returned in UTC.
 */
export function resourceSlots(
  resourceId: number,
  openings: WeeklyOpening[],
  query: SlotQuery
): ResourceSlot[] {
  if (query.holidays.has(query.date)) return []
  const day = DateTime.fromISO(query.date, { zone: query.timezone })
  if (!day.isValid) return []
  const opening = openings.find((candidate) => candidate.weekday === day.weekday % 7)
  if (!opening) return []

  const opens = localMoment(query.date, opening.opensAt, query.timezone)
  const closes = localMoment(query.date, opening.closesAt, query.timezone)
  const cells = Math.max(1, Math.ceil(query.durationMinutes / query.slotMinutes))
  const slots: ResourceSlot[] = []
  for (
    let start = opens;
    start.plus({ minutes: query.durationMinutes }) <= closes;
    start = start.plus({ minutes: query.slotMinutes })
  ) {
    if (start < query.notBefore) continue
    slots.push({
      resourceId,
      startsAt: start.toUTC(),
      endsAt: start.plus({ minutes: query.durationMinutes }).toUTC(),
      localTime: start.toFormat('HH:mm'),
      gridStarts: Array.from({ length: cells }, (_, index) =>
        start.plus({ minutes: index * query.slotMinutes }).toUTC()
      ),
    })
  }
  return slots
}

/** The instant a local wall-clock time of a day is in `timezone`. */
function localMoment(date: string, time: string, timezone: string) {
  return DateTime.fromISO(`${date}T${time}`, { zone: timezone })
}

/** Free places of a start time: the fewest left in any of its grid slots. */
export function freePlaces(slot: ResourceSlot, booked: ReadonlyMap<string, number>, quota: number) {
  return Math.max(
    0,
    Math.min(
      ...slot.gridStarts.map((start) => quota - (booked.get(slotKey(slot.resourceId, start)) ?? 0))
    )
  )
}

export function slotKey(resourceId: number, start: DateTime) {
  return `${resourceId}@${start.toMillis()}`
}
