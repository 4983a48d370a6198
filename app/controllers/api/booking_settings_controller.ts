import type { HttpContext } from '@adonisjs/core/http'
import DomainError from '#exceptions/domain_error'
import ApiKeys from '#services/api_keys'
import BookingSettingsStore from '#services/bookings/booking_settings_store'
import { bookingSettingsResource } from '#services/api_resources'
import { apiBookingSettingsValidator } from '#validators/bookings'

/**
 * `/api/v1/settings`: the booking settings (seed 002's system config). Anyone with a key reads
 * them; only a key an owner created changes them (the owner's word in the admin pages is the
 * same: owners only).
 */
export default class BookingSettingsController {
  async show({ tenant }: HttpContext) {
    return bookingSettingsResource(tenant.booking)
  }

  async update({ request, tenant, apiKey }: HttpContext) {
    const owner = await ApiKeys.ownerWhoCreated(apiKey)
    if (!owner) throw new DomainError('api_key_not_owner', {}, 403)
    const data = await request.validateUsing(apiBookingSettingsValidator)
    const settings = await BookingSettingsStore.update(
      tenant,
      {
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
      },
      { user: owner, ip: request.ip() }
    )
    return bookingSettingsResource(settings)
  }
}
