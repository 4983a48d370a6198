import type { HttpContext } from '@adonisjs/core/http'
import BookingSettingsStore from '#services/bookings/booking_settings_store'
import { bookingSettingsValidator } from '#validators/bookings'
import { actorOf } from '#controllers/admin/scope'
import { BLENDING_MODES } from '#enums/booking'

/**
 * Admin: how the business takes bookings (session length, arrival tolerance, slots, payment
 * time, cut-off, reminders, no-shows, queue blending). Tenant-wide: owners only. The payment
 * gateway is chosen on the payments page.
 */
export default class BookingSettingsController {
  async edit({ view, bouncer, tenant }: HttpContext) {
    await bouncer.authorize('configureBookings')
    return view.render('pages/admin/bookings/settings', { section: 'booking_settings', settings: tenant.booking, blendingModes: BLENDING_MODES })
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.authorize('configureBookings')
    const data = await ctx.request.validateUsing(bookingSettingsValidator)
    await BookingSettingsStore.update(
      ctx.tenant,
      {
        sessionDurationMinutes: data.session_duration_minutes,
        arrivalToleranceMinutes: data.arrival_tolerance_minutes,
        earlyCheckinMinutes: data.early_checkin_minutes,
        slotMinutes: data.slot_minutes,
        quotaPerSlot: data.quota_per_slot,
        paymentMinutes: data.payment_minutes,
        cancellationCutoffMinutes: data.cancellation_cutoff_minutes,
        reminders: { dayBefore: data.reminder_day_before ?? false, hourBefore: data.reminder_hour_before ?? false },
        noShowGraceMinutes: data.no_show_grace_minutes,
        blending: { mode: data.blending_mode, autoMinutesBefore: data.blending_auto_minutes },
      },
      actorOf(ctx)
    )
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.bookings.settings')
  }
}
