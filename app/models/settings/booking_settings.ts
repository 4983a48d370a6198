import {
  BLENDING_MODES,
  PAYMENT_PROVIDERS,
  type BlendingMode,
  type PaymentProvider,
} from '#enums/booking'

/**
 * How a tenant takes bookings (seed 002's system config and more). Stored as JSON on the tenant;
 * every field has a default. Owners change them (Admin -> Booking settings, or the API).
 */
export interface BookingSettings {
  /** How long a started session lasts; the staff screen counts it down and flags an overrun. */
  sessionDurationMinutes: number
  /** A customer arriving later than this after the start forfeits the booking ("hangus"). */
  arrivalToleranceMinutes: number
  /** How early before the start a customer may check in. */
  earlyCheckinMinutes: number
  /** The grid of bookable times; a service longer than one slot takes consecutive slots. */
  slotMinutes: number
  /** Bookings one resource takes per slot (a booth 1; a doctor's half hour maybe 3). */
  quotaPerSlot: number
  /** An unpaid booking is released after this long. */
  paymentMinutes: number
  /** Customers may cancel or move their booking until this long before its start. */
  cancellationCutoffMinutes: number
  /** Reminders: the day before, and an hour before. */
  reminders: { dayBefore: boolean; hourBefore: boolean }
  /** A booking nobody showed up for is marked no-show this long after its start. */
  noShowGraceMinutes: number
  /**
   * How bookings meet the walk-in queue: `none` (booths: staff start sessions themselves),
   * `checkin` (an appointment ticket when the customer checks in) or `auto` (one N minutes before
   * the slot). The ticket's weight against walk-ins is the tenant's `appointment` priority weight,
   * or its share under the ratio rule (queue settings).
   */
  blending: { mode: BlendingMode; autoMinutesBefore: number }
  /** Which gateway takes prepayments. */
  paymentProvider: PaymentProvider | null
}

export const DEFAULT_BOOKING_SETTINGS: BookingSettings = {
  sessionDurationMinutes: 15,
  arrivalToleranceMinutes: 15,
  earlyCheckinMinutes: 60,
  slotMinutes: 30,
  quotaPerSlot: 1,
  paymentMinutes: 30,
  cancellationCutoffMinutes: 120,
  reminders: { dayBefore: true, hourBefore: true },
  noShowGraceMinutes: 30,
  blending: { mode: 'checkin', autoMinutesBefore: 15 },
  paymentProvider: null,
}

/** The settings stored on a tenant, completed with defaults; unknown or broken JSON reads as defaults. */
export function parseBookingSettings(raw: string | null | undefined): BookingSettings {
  const defaults = structuredClone(DEFAULT_BOOKING_SETTINGS)
  if (!raw) return defaults
  try {
    const stored = JSON.parse(raw) as Partial<BookingSettings>
    const settings: BookingSettings = {
      ...defaults,
      ...stored,
      reminders: { ...defaults.reminders, ...(stored.reminders ?? {}) },
      blending: { ...defaults.blending, ...(stored.blending ?? {}) },
    }
    if (!BLENDING_MODES.includes(settings.blending.mode))
      settings.blending.mode = defaults.blending.mode
    if (settings.paymentProvider && !PAYMENT_PROVIDERS.includes(settings.paymentProvider))
      settings.paymentProvider = null
    return settings
  } catch {
    return defaults
  }
}
