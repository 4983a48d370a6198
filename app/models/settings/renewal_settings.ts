/**
 * How a tenant reminds its outlets of their renewal (seed 004 Renewal Flow), stored as JSON on
 * the tenant (`renewal_settings`); every field has a default. Days are counted from the outlet's
 * expiry date in the tenant's time zone (its first branch's); quiet hours are local too.
 */
export interface RenewalSettings {
  /** Reminder days relative to the expiry date: -14 is 14 days before, +3 three days after. */
  cadence: number[]
  /** The most reminders one renewal gets (the winback cadence has its own steps). */
  attemptCap: number
  /** No message goes between these local times (`21:00` to `08:00`); equal times: no quiet hours. */
  quietStart: string
  quietEnd: string
  /** Winback days after the renewal churned (+14, +30). */
  winback: number[]
  /** Outlets whose expiry date is this many days ahead or less get a renewal. */
  horizonDays: number
}

export const DEFAULT_RENEWAL_SETTINGS: RenewalSettings = {
  cadence: [-14, -7, -1, 3],
  attemptCap: 4,
  quietStart: '21:00',
  quietEnd: '08:00',
  winback: [14, 30],
  horizonDays: 60,
}

export const RENEWAL_LIMITS = {
  steps: 8,
  maxOffset: 90,
  maxWinback: 365,
  maxCap: 10,
  maxHorizon: 365,
} as const

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/

/** Day offsets from text (`-14, -7, -1, +3`): sorted, without duplicates; null when unreadable. */
export function parseOffsets(text: string, range: { min: number; max: number }) {
  const parts = text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean)
  if (parts.length === 0 || parts.length > RENEWAL_LIMITS.steps) return null
  const values: number[] = []
  for (const part of parts) {
    if (!/^[+-]?\d{1,3}$/.test(part)) return null
    const value = Number(part)
    if (value < range.min || value > range.max) return null
    values.push(value)
  }
  return [...new Set(values)].sort((a, b) => a - b)
}

/** Offsets as people write them: `-14, -7, -1, +3`. */
export function formatOffsets(values: readonly number[]) {
  return values.map((value) => (value > 0 ? `+${value}` : String(value))).join(', ')
}

export function isTime(value: unknown): value is string {
  return typeof value === 'string' && TIME.test(value)
}

/** The stored JSON read with defaults for anything missing or malformed. */
export function parseRenewalSettings(raw: string | null | undefined): RenewalSettings {
  let stored: Partial<RenewalSettings> = {}
  try {
    stored = raw ? JSON.parse(raw) : {}
  } catch {
    stored = {}
  }
  const numbers = (value: unknown, min: number, max: number) =>
    Array.isArray(value) &&
    value.length > 0 &&
    value.length <= RENEWAL_LIMITS.steps &&
    value.every((item) => Number.isInteger(item) && item >= min && item <= max)
      ? [...new Set(value as number[])].sort((a, b) => a - b)
      : null
  const defaults = DEFAULT_RENEWAL_SETTINGS
  const cap = Number(stored.attemptCap)
  const horizon = Number(stored.horizonDays)
  return {
    cadence:
      numbers(stored.cadence, -RENEWAL_LIMITS.maxOffset, RENEWAL_LIMITS.maxOffset) ??
      defaults.cadence,
    attemptCap:
      Number.isInteger(cap) && cap >= 1 && cap <= RENEWAL_LIMITS.maxCap ? cap : defaults.attemptCap,
    quietStart: isTime(stored.quietStart) ? stored.quietStart : defaults.quietStart,
    quietEnd: isTime(stored.quietEnd) ? stored.quietEnd : defaults.quietEnd,
    winback:
      Array.isArray(stored.winback) && stored.winback.length === 0
        ? []
        : (numbers(stored.winback, 1, RENEWAL_LIMITS.maxWinback) ?? defaults.winback),
    horizonDays:
      Number.isInteger(horizon) && horizon >= 1 && horizon <= RENEWAL_LIMITS.maxHorizon
        ? horizon
        : defaults.horizonDays,
  }
}
