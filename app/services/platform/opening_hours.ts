import type { DateTime } from 'luxon'

export interface WeeklyHours {
  /** 0 = Sunday ... 6 = Saturday */
  weekday: number
  opensAt: string
  closesAt: string
}

export interface Window {
  opensAt: string | null
  closesAt: string | null
}

export interface OpenState {
  open: boolean
  /** When it opens next (branch-local), if it is closed now and opens within two weeks. */
  nextOpening: DateTime | null
}

function minutes(time: string) {
  const [hours, mins] = time.split(':').map(Number)
  return hours * 60 + mins
}

/**
 * Whether a branch (and one of its services) takes visitors at `local` (branch time), and if
 * not, when it opens next. No weekly hours at all means open around the clock; a weekday without
 * hours, or a holiday, means closed that day; a service's own window narrows the branch's.
 */
export function openState(
  hours: WeeklyHours[],
  holidays: Set<string>,
  service: Window | null,
  local: DateTime
): OpenState {
  const windowOf = (day: DateTime): [number, number] | null => {
    if (holidays.has(day.toISODate()!)) return null
    let from = 0
    let to = 24 * 60
    if (hours.length > 0) {
      const today = hours.find((row) => row.weekday === day.weekday % 7)
      if (!today) return null
      from = minutes(today.opensAt)
      to = minutes(today.closesAt)
    }
    if (service?.opensAt) from = Math.max(from, minutes(service.opensAt))
    if (service?.closesAt) to = Math.min(to, minutes(service.closesAt))
    return from < to ? [from, to] : null
  }

  const now = local.hour * 60 + local.minute
  const today = windowOf(local)
  if (today && now >= today[0] && now < today[1]) return { open: true, nextOpening: null }
  if (today && now < today[0]) {
    return { open: false, nextOpening: local.startOf('day').plus({ minutes: today[0] }) }
  }
  for (let ahead = 1; ahead <= 14; ahead++) {
    const day = local.startOf('day').plus({ days: ahead })
    const window = windowOf(day)
    if (window) return { open: false, nextOpening: day.plus({ minutes: window[0] }) }
  }
  return { open: false, nextOpening: null }
}
