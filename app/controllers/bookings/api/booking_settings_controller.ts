import type { HttpContext } from '@adonisjs/core/http'
import DomainError from '#exceptions/domain_error'
import ApiKeys from '#services/platform/api_keys'
import BookingSettingsStore, { settingsChange } from '#services/bookings/booking_settings_store'
import { bookingSettingsResource } from '#services/platform/api_resources'
import { apiBookingSettingsValidator } from '#validators/bookings'
import { inject } from '@adonisjs/core'

/**
 * `/api/v1/settings`: the booking settings (seed 002's system config). Anyone with a key reads
 * them; only a key an owner created changes them (the owner's word in the admin pages is the
 * same: owners only).
 */
@inject()
export default class BookingSettingsController {
  constructor(
    protected apiKeys: ApiKeys,
    protected bookingSettingsStore: BookingSettingsStore
  ) {}

  async show({ tenant }: HttpContext) {
    return bookingSettingsResource(tenant.booking)
  }

  async update({ request, tenant, apiKey }: HttpContext) {
    const owner = await this.apiKeys.ownerWhoCreated(apiKey)
    if (!owner) throw new DomainError('api_key_not_owner', {}, 403)
    const data = await request.validateUsing(apiBookingSettingsValidator)
    const settings = await this.bookingSettingsStore.update(tenant, settingsChange(data), {
      user: owner,
      ip: request.ip(),
    })
    return bookingSettingsResource(settings)
  }
}
