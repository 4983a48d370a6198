import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import type { ApiClient } from '@japa/api-client'
import { DateTime } from 'luxon'
import Booking from '#models/booking'
import Branch from '#models/branch'
import Device from '#models/device'
import Resource from '#models/resource'
import ResourceSchedule from '#models/resource_schedule'
import Service from '#models/service'
import db from '@adonisjs/lucid/services/db'
import BookingService from '#services/bookings/booking_service'
import branchDirectory from '#services/platform/branch_directory'
import clock from '#support/clock'
import { rateLimits } from '#start/limiter'
import { createBookingWorld, tomorrow, type BookingWorldOptions } from '#tests/helpers/bookings'
import app from '@adonisjs/core/services/app'

const bookings = await app.container.make(BookingService)

const at = (date: string, time: string) =>
  DateTime.fromISO(`${date}T${time}`, { zone: 'Asia/Jakarta' })

async function kioskWorld(options: BookingWorldOptions = {}) {
  const world = await createBookingWorld({ resources: 2, ...options })
  const kiosk = await Device.create({
    tenantId: world.tenant.id,
    branchId: world.branch.id,
    kind: 'kiosk',
    name: 'Kiosk lobi',
    token: `kiosk-${world.key}-${randomUUID().slice(0, 8)}`,
  })
  return { ...world, kiosk }
}
type KioskWorld = Awaited<ReturnType<typeof kioskWorld>>

function book(world: KioskWorld, time: string, name = 'Sari') {
  return bookings.book(world.entry, world.service, { date: tomorrow(), time, name, channel: 'web' })
}

function checkIn(client: ApiClient, world: KioskWorld, body: Record<string, unknown>, lang = 'id') {
  return client
    .post(`/kiosk/${world.kiosk.token}/bookings/checkin?lang=${lang}`)
    .json(body)
    .withCsrfToken()
    .accept('json')
}

test.group('Kiosk: "I have a booking"', (group) => {
  group.each.teardown(() => clock.reset())

  test('the start screen has the booking button in every language, and the check-in screen with its code keys', async ({
    client,
    assert,
  }) => {
    const world = await kioskWorld()
    const page = await client.get(`/kiosk/${world.kiosk.token}`)
    page.assertStatus(200)
    for (const text of [
      'Saya punya booking',
      'I have a booking',
      'Saya ada tempahan',
      'data-screen="booking"',
      'data-booking-form',
      'data-code-key="Q"',
    ])
      page.assertTextIncludes(text)
    assert.notInclude(page.text(), 'data-code-key="O"', 'no letter that reads like a zero')
    assert.include(page.text(), `/kiosk/${world.kiosk.token}/bookings/checkin`)
    // The screen's own texts for the check-in travel with the page, in every language.
    assert.include(page.text(), 'booking_result.not_found')
    assert.include(page.text(), 'Tempahan tidak dijumpai')
  })

  test('scanning the booking link checks the customer in and says so; a booth booking takes no queue number', async ({
    client,
    assert,
  }) => {
    const world = await kioskWorld()
    const booking = await book(world, '09:00', 'Dewi')
    clock.travelTo(at(tomorrow(), '08:50'))
    const response = await checkIn(client, world, {
      url: `http://127.0.0.1:3361/booking/${booking.id}`,
    })
    response.assertStatus(200)
    assert.containsSubset(response.body(), {
      result: 'arrived',
      message: 'Terima kasih, Dewi! Anda sudah check-in untuk pukul 09:00.',
      booking: { id: booking.id, code: booking.code, status: 'arrived', local_time: '09:00' },
      ticket: null,
    })
    assert.equal((await Booking.findOrFail(booking.id)).status, 'arrived')

    const twice = await checkIn(client, world, { code: booking.code })
    twice.assertStatus(200)
    assert.equal(twice.body().result, 'already_arrived')
    assert.equal(twice.body().message, 'Dewi, Anda sudah check-in untuk pukul 09:00.')
  })

  test('with check-in blending the answer carries the queue number, printable on this kiosk', async ({
    client,
    assert,
  }) => {
    const world = await kioskWorld({
      settings: { blending: { mode: 'checkin', autoMinutesBefore: 15 } },
    })
    const booking = await book(world, '09:00')
    clock.travelTo(at(tomorrow(), '08:55'))
    const response = await checkIn(client, world, { code: booking.code.toLowerCase() }, 'en')
    response.assertStatus(200)
    const { ticket, message } = response.body()
    assert.equal(message, 'Thank you, Sari! You are checked in for 09:00.')
    assert.match(ticket.number, /^A\d{3}$/)
    assert.include(ticket.qr_svg, '<svg')
    assert.equal(ticket.print_url, `/kiosk/${world.kiosk.token}/tickets/${ticket.id}/print`)
    assert.equal((await Booking.findOrFail(booking.id)).ticketId, ticket.id)

    const printed = await client.get(ticket.print_url)
    printed.assertStatus(200)
    printed.assertTextIncludes(ticket.number)
  })

  test('too late: the booking expires ("hangus") and the kiosk says why', async ({
    client,
    assert,
  }) => {
    const world = await kioskWorld({ settings: { arrivalToleranceMinutes: 15 } })
    const booking = await book(world, '09:00')
    clock.travelTo(at(tomorrow(), '09:20'))
    const response = await checkIn(client, world, { code: booking.code })
    response.assertStatus(409)
    assert.equal(response.body().result, 'expired')
    assert.equal(
      response.body().message,
      `Maaf, booking ${booking.code} hangus: Anda datang lebih dari 15 menit setelah jadwal pukul 09:00. Silakan hubungi petugas.`
    )
    assert.equal((await Booking.findOrFail(booking.id)).status, 'expired')
    const again = await checkIn(client, world, { code: booking.code })
    assert.equal(again.body().result, 'expired')
  })

  test('too early: refused with the time check-in opens, and nothing changes', async ({
    client,
    assert,
  }) => {
    const world = await kioskWorld({ settings: { earlyCheckinMinutes: 30 } })
    const booking = await book(world, '11:00')
    clock.travelTo(at(tomorrow(), '09:00'))
    const response = await checkIn(client, world, { code: booking.code }, 'ms')
    response.assertStatus(409)
    assert.equal(response.body().result, 'too_early')
    assert.equal(
      response.body().message,
      'Terlalu awal untuk tempahan pukul 11:00. Daftar masuk dibuka pukul 10:30.'
    )
    assert.equal((await Booking.findOrFail(booking.id)).status, 'awaiting_customer')
  })

  test("an unknown code, another tenant's booking and a booking of another branch are not checked in", async ({
    client,
    assert,
  }) => {
    const world = await kioskWorld()
    const unknown = await checkIn(client, world, { code: 'BK22222' })
    unknown.assertStatus(404)
    assert.equal(
      unknown.body().message,
      'Booking tidak ditemukan. Periksa kodenya, atau tanyakan kepada petugas.'
    )

    const other = await kioskWorld()
    const theirs = await book(other, '09:00')
    clock.travelTo(at(tomorrow(), '09:00'))
    const foreign = await checkIn(client, world, { code: theirs.code })
    foreign.assertStatus(404)
    assert.isNull(foreign.body().booking)
    assert.equal((await Booking.findOrFail(theirs.id)).status, 'awaiting_customer')
    clock.reset()

    const mall = await Branch.create({
      tenantId: world.tenant.id,
      name: 'Cabang Mall',
      slug: `mall-${world.key}`,
      timezone: 'Asia/Jakarta',
    })
    const booth = await Resource.create({
      tenantId: world.tenant.id,
      branchId: mall.id,
      kind: 'booth',
      name: 'Booth Mall',
      position: 1,
      isActive: true,
    })
    await ResourceSchedule.create({
      tenantId: world.tenant.id,
      resourceId: booth.id,
      weekday: at(tomorrow(), '09:00').weekday % 7,
      opensAt: '08:00',
      closesAt: '17:00',
    })
    const mallService = await Service.create({
      tenantId: world.tenant.id,
      branchId: mall.id,
      code: 'M',
      name: 'Foto Mall',
      position: 1,
      isActive: true,
      isBookable: true,
      price: 0,
    })
    await db
      .table('resource_services')
      .insert({ tenant_id: world.tenant.id, resource_id: booth.id, service_id: mallService.id })
    branchDirectory.forget({ branchId: mall.id })
    const mallEntry = (await branchDirectory.byId(mall.id))!
    const elsewhere = await bookings.book(mallEntry, mallService, {
      date: tomorrow(),
      time: '09:00',
      name: 'Hana',
      channel: 'web',
    })
    clock.travelTo(at(tomorrow(), '09:00'))
    const wrongBranch = await checkIn(client, world, { code: elsewhere.code })
    wrongBranch.assertStatus(409)
    assert.equal(wrongBranch.body().result, 'other_branch')
    assert.equal(
      wrongBranch.body().message,
      `Booking ${elsewhere.code} untuk cabang Cabang Mall, bukan cabang ini.`
    )
    assert.equal((await Booking.findOrFail(elsewhere.id)).status, 'awaiting_customer')
  })

  test('an unpaid booking is sent to pay first; neither a code nor a link answers 422', async ({
    client,
    assert,
  }) => {
    const world = await kioskWorld({ price: 2_500_000, prepay: true })
    const booking = await book(world, '09:00')
    clock.travelTo(at(tomorrow(), '09:00'))
    const unpaid = await checkIn(client, world, { code: booking.code })
    unpaid.assertStatus(409)
    assert.equal(unpaid.body().result, 'not_paid')
    const empty = await checkIn(client, world, {})
    empty.assertStatus(422)
    assert.equal(empty.body().error.fields[0].field, 'code')
  })

  test('check-ins are rate limited per kiosk', async ({ client, assert, cleanup }) => {
    const world = await kioskWorld()
    const before = rateLimits.takePerMinute
    rateLimits.takePerMinute = 2
    cleanup(() => {
      rateLimits.takePerMinute = before
    })
    const statuses: number[] = []
    for (let attempt = 0; attempt < 3; attempt++)
      statuses.push((await checkIn(client, world, { code: 'BK22222' })).status())
    assert.deepEqual(statuses, [404, 404, 429])
  })

  test('a TV display token cannot check anyone in', async ({ client }) => {
    const world = await kioskWorld()
    const response = await client
      .post(`/kiosk/${world.display.token}/bookings/checkin`)
      .json({ code: 'BK22222' })
      .withCsrfToken()
      .accept('json')
    response.assertStatus(404)
  })
})
