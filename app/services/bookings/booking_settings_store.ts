import Booking from '#models/booking'
import Tenant from '#models/tenant'
import DomainError from '#exceptions/domain_error'
import Configuration from '#services/platform/configuration'
import clock from '#support/clock'
import { toSqlDateTime } from '#models/columns'
import { HOLDING_STATUSES } from '#enums/booking'
import type { Actor } from '#services/platform/audit_trail'
import type { BookingSettings } from '#models/settings/booking_settings'
import { inject } from '@adonisjs/core'

/** A change of the booking settings: any of them but the payment gateway (set on the payments page). */
export type BookingSettingsChange = Partial<
  Omit<BookingSettings, 'paymentProvider' | 'reminders' | 'blending'>
> & {
  reminders?: Partial<BookingSettings['reminders']>
  blending?: Partial<BookingSettings['blending']>
}

/** The settings as the admin form and the API name them (snake_case); a field left out is undefined. */
export interface BookingSettingsInput {
  session_duration_minutes?: number
  arrival_tolerance_minutes?: number
  early_checkin_minutes?: number
  slot_minutes?: number
  quota_per_slot?: number
  payment_minutes?: number
  cancellation_cutoff_minutes?: number
  no_show_grace_minutes?: number
  reminder_day_before?: boolean
  reminder_hour_before?: boolean
  blending_mode?: BookingSettings['blending']['mode']
  blending_auto_minutes?: number
}

/** The change that the form's or the API's fields ask for. */
export function settingsChange(data: BookingSettingsInput): BookingSettingsChange {
  return {
    sessionDurationMinutes: data.session_duration_minutes,
    arrivalToleranceMinutes: data.arrival_tolerance_minutes,
    earlyCheckinMinutes: data.early_checkin_minutes,
    slotMinutes: data.slot_minutes,
    quotaPerSlot: data.quota_per_slot,
    paymentMinutes: data.payment_minutes,
    cancellationCutoffMinutes: data.cancellation_cutoff_minutes,
    noShowGraceMinutes: data.no_show_grace_minutes,
    reminders: { dayBefore: data.reminder_day_before, hourBefore: data.reminder_hour_before },
    blending: { mode: data.blending_mode, autoMinutesBefore: data.blending_auto_minutes },
  }
}

/**
 * Changes a tenant's booking settings (Admin -> Booking settings, `PUT /api/v1/settings`): the
 * change is laid over the settings as stored now, so the payment gateway and anything left out
 * keep their value; it is written with its audit-log row.
 */
@inject()
export default class BookingSettingsStore {
  constructor(protected configuration: Configuration) {}

  async update(
    tenant: Tenant,
    change: BookingSettingsChange,
    actor: Actor
  ): Promise<BookingSettings> {
    // Read the row again: the payments page may have set the gateway since `tenant` was loaded.
    const fresh = await Tenant.findOrFail(tenant.id)
    const current = fresh.booking
    const next: BookingSettings = {
      ...current,
      ...definedOnly(change),
      reminders: { ...current.reminders, ...definedOnly(change.reminders ?? {}) },
      blending: { ...current.blending, ...definedOnly(change.blending ?? {}) },
      paymentProvider: current.paymentProvider,
    }
    // A booking must not be a no-show while its customer may still check in.
    if (next.noShowGraceMinutes < next.arrivalToleranceMinutes) {
      throw new DomainError(
        'booking_settings_grace',
        { tolerance: next.arrivalToleranceMinutes },
        422
      )
    }
    // Bookings hold their places on the slot grid they were made on: it changes only when none is to come.
    if (next.slotMinutes !== current.slotMinutes) {
      const [row] = await Booking.forTenant(fresh.id)
        .whereIn('status', [...HOLDING_STATUSES])
        .where('ends_at', '>', toSqlDateTime(clock.now()))
        .count('* as total')
      const count = Number(row.$extras.total)
      if (count > 0)
        throw new DomainError(
          'booking_settings_slot_in_use',
          { count, minutes: current.slotMinutes },
          409
        )
    }
    await this.configuration.update(
      fresh,
      { bookingSettings: JSON.stringify(next) },
      { subject: 'tenant', tenantId: fresh.id },
      actor,
      {
        action: 'booking_settings_updated',
      }
    )
    return next
  }
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(
      ([key, value]) => value !== undefined && key !== 'paymentProvider'
    )
  ) as Partial<T>
}
