import type { HttpContext } from '@adonisjs/core/http'
import BookingSettingsStore, { settingsChange } from '#services/bookings/booking_settings_store'
import { bookingSettingsValidator } from '#validators/bookings'
import { actorOf } from '#controllers/scope'
import { BLENDING_MODES } from '#enums/booking'
import { inject } from '@adonisjs/core'

/**
 * Admin: how the business takes bookings (session length, arrival tolerance, slots, payment
 * time, cut-off, reminders, no-shows, queue blending). Tenant-wide: owners only. The payment
 * gateway is chosen on the payments page.
 */
@inject()
export default class BookingSettingsController {
  constructor(protected bookingSettingsStore: BookingSettingsStore) {}

  async edit({ view, bouncer, tenant }: HttpContext) {
    await bouncer.authorize('configureBookings')
    return view.render('pages/bookings/admin/settings', {
      section: 'booking_settings',
      settings: tenant.booking,
      blendingModes: BLENDING_MODES,
    })
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.authorize('configureBookings')
    const data = await ctx.request.validateUsing(bookingSettingsValidator)
    // An unticked checkbox is not sent: the reminder is off.
    const change = settingsChange({
      ...data,
      reminder_day_before: data.reminder_day_before ?? false,
      reminder_hour_before: data.reminder_hour_before ?? false,
    })
    await this.bookingSettingsStore.update(ctx.tenant, change, actorOf(ctx))
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.bookings.settings')
  }
}
