import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import BookingService from '#services/bookings/booking_service'
import BookingEvent from '#models/booking_event'
import Resource from '#models/resource'
import ResourceSchedule from '#models/resource_schedule'
import Service from '#models/service'
import branchDirectory from '#services/platform/branch_directory'
import { createWorld, type WorldOptions } from '#tests/helpers/world'
import type { BookingSettings } from '#models/settings/booking_settings'
import type { BookingEventType, ResourceKind } from '#enums/booking'

export interface BookingWorldOptions extends WorldOptions {
  resources?: number
  kind?: ResourceKind
  settings?: Partial<BookingSettings>
  /** Service price in minor units, and whether it must be paid first. */
  price?: number
  prepay?: boolean
  /** Local opening hours of every resource, every day. */
  opens?: string
  closes?: string
}

/**
 * A world (tests/helpers/world.ts) that takes bookings: its first service is bookable, offered by
 * `resources` resources open every day (08:00-17:00 unless told), with the tenant's booking settings.
 */
export async function createBookingWorld(options: BookingWorldOptions = {}) {
  const world = await createWorld(options)
  const { tenant, branch } = world
  tenant.bookingSettings = JSON.stringify({
    blending: { mode: 'none', autoMinutesBefore: 15 },
    ...options.settings,
  })
  await tenant.save()
  const service: Service = world.services[0]
  service.merge({
    isBookable: true,
    price: options.price ?? 0,
    requiresPrepayment: options.prepay ?? false,
  })
  await service.save()

  const resources: Resource[] = []
  for (let index = 0; index < (options.resources ?? 1); index++) {
    const resource = await Resource.create({
      tenantId: tenant.id,
      branchId: branch.id,
      kind: options.kind ?? 'booth',
      name: `${options.kind === 'doctor' ? 'Dokter' : 'Booth'} ${index + 1}`,
      position: index + 1,
      isActive: true,
    })
    await ResourceSchedule.createMany(
      [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
        tenantId: tenant.id,
        resourceId: resource.id,
        weekday,
        opensAt: options.opens ?? '08:00',
        closesAt: options.closes ?? '17:00',
      }))
    )
    await db
      .table('resource_services')
      .insert({ tenant_id: tenant.id, resource_id: resource.id, service_id: service.id })
    resources.push(resource)
  }
  branchDirectory.forget({ branchId: branch.id })
  const entry = (await branchDirectory.byId(branch.id))!
  return { ...world, service, resources, entry }
}

/** The branch-local day after today, YYYY-MM-DD. */
export function tomorrow(timezone = 'Asia/Jakarta') {
  return DateTime.now().setZone(timezone).plus({ days: 1 }).toISODate()!
}

/** The booking's events of one type (a query: await it for the rows, or add `.firstOrFail()`). */
export function bookingEvents(bookingId: string, type: BookingEventType) {
  return BookingEvent.query().where('booking_id', bookingId).where('type', type)
}

/** The moment `time` on `date` in Jakarta. */
export const jakartaAt = (date: string, time: string) =>
  DateTime.fromISO(`${date}T${time}`, { zone: 'Asia/Jakarta' })

/**
 * Sari's 09:00 booking tomorrow in a new booking world, with the default arrival window
 * (check-in from 08:00, 15 minutes late at most).
 */
export async function bookingAtNine() {
  const world = await createBookingWorld({
    settings: { earlyCheckinMinutes: 60, arrivalToleranceMinutes: 15 },
  })
  const bookings = await app.container.make(BookingService)
  const booking = await bookings.book(world.entry, world.service, {
    date: tomorrow(),
    time: '09:00',
    name: 'Sari',
    phone: '+6281234567890',
    channel: 'web',
  })
  return { world, booking }
}
