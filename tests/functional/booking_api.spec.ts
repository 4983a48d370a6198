import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import SwaggerParser from '@apidevtools/swagger-parser'
import Booking from '#models/booking'
import BookingEvent from '#models/booking_event'
import Branch from '#models/branch'
import Tenant from '#models/tenant'
import AuditLog from '#models/audit_log'
import ApiKeys from '#services/platform/api_keys'
import BookingService from '#services/bookings/booking_service'
import clock from '#support/clock'
import {
  bookingEvents,
  createBookingWorld,
  tomorrow,
  type BookingWorldOptions,
} from '#tests/helpers/bookings'
import app from '@adonisjs/core/services/app'

const apiKeys = await app.container.make(ApiKeys)

const bookings = await app.container.make(BookingService)

/** A booking world with an API key an admin created (and one its owner created). */
async function apiWorld(options: BookingWorldOptions = {}) {
  const world = await createBookingWorld(options)
  const { plainKey } = await apiKeys.create(world.tenant, 'Booth app', { user: world.admin })
  const { plainKey: ownerKey } = await apiKeys.create(world.tenant, 'Owner tools', {
    user: world.owner,
  })
  return { ...world, plainKey, ownerKey }
}
type ApiWorld = Awaited<ReturnType<typeof apiWorld>>

const at = (date: string, time: string) =>
  DateTime.fromISO(`${date}T${time}`, { zone: 'Asia/Jakarta' })

function book(world: ApiWorld, time: string, name = 'Sari', date = tomorrow()) {
  return bookings.book(world.entry, world.service, { date, time, name, channel: 'web' })
}

test.group('Booking API: appointments', (group) => {
  group.each.teardown(() => clock.reset())

  test('POST /appointments books a free time through the api channel, phone in E.164', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld({ resources: 2, price: 2_500_000 })
    const response = await client.post('/api/v1/appointments').bearerToken(world.plainKey).json({
      branch_id: world.branch.id,
      service_id: world.service.id,
      date: tomorrow(),
      time: '09:30',
      resource_id: world.resources[1].id,
      name: 'Sari',
      phone: '0812-3456-7890',
      email: 'sari@example.com',
      note: 'Wisuda',
    })
    response.assertStatus(201)
    const body = response.body()
    assert.containsSubset(body, {
      status: 'awaiting_customer',
      channel: 'api',
      branch_id: world.branch.id,
      resource: { id: world.resources[1].id, kind: 'booth', name: 'Booth 2' },
      service: { id: world.service.id, code: 'A' },
      service_date: tomorrow(),
      local_time: '09:30',
      starts_at: at(tomorrow(), '09:30').toUTC().toISO(),
      customer: { name: 'Sari', phone: '+6281234567890', email: 'sari@example.com' },
      note: 'Wisuda',
      price: { amount: 2_500_000, currency: 'IDR' },
      seconds_left: null,
      overrun: false,
      ticket: null,
    })
    assert.equal(body.price.formatted.replace(/\u00a0/g, ' '), 'Rp 25.000')
    assert.match(body.code, /^BK[A-Z2-9]{5}$/)
    const booking = await Booking.findOrFail(body.id)
    assert.equal(booking.channel, 'api')
  })

  test('a repeat with the same Idempotency-Key gets the first booking again and takes no second place', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld({ resources: 2 })
    const key = randomUUID()
    const payload = {
      branch_id: world.branch.id,
      service_id: world.service.id,
      date: tomorrow(),
      time: '10:00',
      name: 'Budi',
    }
    const first = await client
      .post('/api/v1/appointments')
      .bearerToken(world.plainKey)
      .header('Idempotency-Key', key)
      .json(payload)
    const again = await client
      .post('/api/v1/appointments')
      .bearerToken(world.plainKey)
      .header('Idempotency-Key', key)
      .json(payload)
    first.assertStatus(201)
    again.assertStatus(201)
    again.assertHeader('idempotent-replayed', 'true')
    assert.equal(again.body().id, first.body().id)
    assert.lengthOf(await Booking.query().where('tenant_id', world.tenant.id), 1)
    const times = await bookings.availability(world.entry, world.service, tomorrow())
    assert.equal(times.find((time) => time.time === '10:00')?.free, 1)

    const other = await client
      .post('/api/v1/appointments')
      .bearerToken(world.plainKey)
      .header('Idempotency-Key', key)
      .json({ ...payload, name: 'Lain' })
    other.assertStatus(422)
    other.assertBodyContains({ error: { code: 'E_IDEMPOTENCY_KEY_REUSED' } })
  })

  test('a full time answers 409, a time not offered 422, bad input 422 with the fields', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    await book(world, '09:00')
    const payload = {
      branch_id: world.branch.id,
      service_id: world.service.id,
      date: tomorrow(),
      name: 'Budi',
    }
    const full = await client
      .post('/api/v1/appointments')
      .bearerToken(world.plainKey)
      .json({ ...payload, time: '09:00' })
    full.assertStatus(409)
    full.assertBodyContains({
      error: {
        code: 'E_BOOKING_SLOT_FULL',
        message: 'Sorry, 09:00 has just filled up. Please choose another time.',
      },
    })
    const closed = await client
      .post('/api/v1/appointments')
      .bearerToken(world.plainKey)
      .json({ ...payload, time: '07:00' })
    closed.assertStatus(422)
    closed.assertBodyContains({ error: { code: 'E_BOOKING_TIME_UNAVAILABLE' } })
    const invalid = await client
      .post('/api/v1/appointments')
      .bearerToken(world.plainKey)
      .json({ branch_id: world.branch.id, time: '9am' })
    invalid.assertStatus(422)
    const fields = invalid.body().error.fields.map((field: { field: string }) => field.field)
    assert.includeMembers(fields, ['service_id', 'date', 'time', 'name'])
    const phone = await client
      .post('/api/v1/appointments')
      .bearerToken(world.plainKey)
      .json({ ...payload, time: '09:30', phone: 'abc' })
    phone.assertStatus(422)
    assert.lengthOf(await Booking.query().where('tenant_id', world.tenant.id), 1)
  })

  test("another tenant's branch, service or resource answers 404 and books nothing", async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const other = await apiWorld()
    const base = { date: tomorrow(), time: '09:00', name: 'Budi' }
    const branch = await client
      .post('/api/v1/appointments')
      .bearerToken(world.plainKey)
      .json({ ...base, branch_id: other.branch.id, service_id: other.service.id })
    branch.assertStatus(404)
    const service = await client
      .post('/api/v1/appointments')
      .bearerToken(world.plainKey)
      .json({ ...base, branch_id: world.branch.id, service_id: other.service.id })
    service.assertStatus(404)
    const resource = await client
      .post('/api/v1/appointments')
      .bearerToken(world.plainKey)
      .json({
        ...base,
        branch_id: world.branch.id,
        service_id: world.service.id,
        resource_id: other.resources[0].id,
      })
    resource.assertStatus(404)
    assert.lengthOf(
      await Booking.query().whereIn('tenant_id', [world.tenant.id, other.tenant.id]),
      0
    )
  })

  test('POST /appointments/:id/checkin: arrived within the tolerance, expired later, 409 too early, 404 for another tenant', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld({
      resources: 3,
      settings: { arrivalToleranceMinutes: 15, earlyCheckinMinutes: 30 },
    })
    const onTime = await book(world, '09:00')
    const late = await book(world, '09:00', 'Budi')
    const early = await book(world, '11:00', 'Citra')
    clock.travelTo(at(tomorrow(), '09:10'))
    const arrived = await client
      .post(`/api/v1/appointments/${onTime.id}/checkin`)
      .bearerToken(world.plainKey)
    arrived.assertStatus(200)
    assert.equal(arrived.body().status, 'arrived')
    assert.isNotNull(arrived.body().arrived_at)

    clock.travelTo(at(tomorrow(), '09:16'))
    const expired = await client
      .post(`/api/v1/appointments/${late.id}/checkin`)
      .bearerToken(world.plainKey)
    expired.assertStatus(200)
    assert.equal(expired.body().status, 'expired')

    const tooEarly = await client
      .post(`/api/v1/appointments/${early.id}/checkin`)
      .bearerToken(world.plainKey)
      .header('Accept-Language', 'id')
    tooEarly.assertStatus(409)
    tooEarly.assertBodyContains({
      error: {
        code: 'E_BOOKING_TOO_EARLY',
        message: 'Terlalu awal untuk check-in. Check-in dibuka pukul 10:30.',
      },
    })

    const other = await apiWorld()
    ;(
      await client.post(`/api/v1/appointments/${early.id}/checkin`).bearerToken(other.plainKey)
    ).assertStatus(404)
    assert.equal((await Booking.findOrFail(early.id)).status, 'awaiting_customer')
  })
})

test.group('Booking API: the booth API', (group) => {
  group.each.teardown(() => clock.reset())

  test('GET /bookings lists a day in time order, by status and branch, a page at a time', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld({ resources: 2 })
    const second = await book(world, '10:00', 'Budi')
    const first = await book(world, '09:00', 'Ani')
    const third = await book(world, '11:00', 'Citra')
    await bookings.cancel(third.id, world.tenant.id, { by: null, reason: 'Batal' })
    const today = await book(
      world,
      DateTime.now().setZone('Asia/Jakarta').plus({ hours: 2 }).startOf('hour').toFormat('HH:mm'),
      'Hari ini',
      DateTime.now().setZone('Asia/Jakarta').toISODate()!
    ).catch(() => null)

    const day = await client
      .get(`/api/v1/bookings?date=${tomorrow()}&branch_id=${world.branch.id}`)
      .bearerToken(world.plainKey)
    day.assertStatus(200)
    assert.deepEqual(
      day.body().bookings.map((booking: { id: string }) => booking.id),
      [first.id, second.id, third.id]
    )
    assert.isNull(day.body().next_page)

    const active = await client
      .get(`/api/v1/bookings?date=${tomorrow()}&status=awaiting_customer`)
      .bearerToken(world.plainKey)
    assert.deepEqual(
      active.body().bookings.map((booking: { code: string }) => booking.code),
      [first.code, second.code]
    )

    const paged = await client
      .get(`/api/v1/bookings?date=${tomorrow()}&per_page=2`)
      .bearerToken(world.plainKey)
    assert.lengthOf(paged.body().bookings, 2)
    assert.equal(paged.body().next_page, 2)
    const page2 = await client
      .get(`/api/v1/bookings?date=${tomorrow()}&per_page=2&page=2`)
      .bearerToken(world.plainKey)
    assert.deepEqual(
      page2.body().bookings.map((booking: { id: string }) => booking.id),
      [third.id]
    )

    const defaults = await client.get('/api/v1/bookings').bearerToken(world.plainKey)
    defaults.assertStatus(200)
    assert.deepEqual(
      defaults.body().bookings.map((booking: { id: string }) => booking.id),
      today ? [today.id] : [],
      "without a date: each branch's today"
    )

    const other = await apiWorld()
    ;(
      await client.get(`/api/v1/bookings?branch_id=${other.branch.id}`).bearerToken(world.plainKey)
    ).assertStatus(404)
    ;(await client.get('/api/v1/bookings?status=lost').bearerToken(world.plainKey)).assertStatus(
      422
    )
  })

  test('a session runs arrival -> start -> finish; its status counts down and flags the overrun', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld({ settings: { sessionDurationMinutes: 10 } })
    const booking = await book(world, '09:00')
    clock.travelTo(at(tomorrow(), '08:55'))
    const arrival = await client
      .post(`/api/v1/sessions/${booking.id}/arrival`)
      .bearerToken(world.plainKey)
    arrival.assertStatus(200)
    assert.equal(arrival.body().status, 'arrived')

    clock.travelTo(at(tomorrow(), '09:00'))
    const started = await client
      .post(`/api/v1/sessions/${booking.id}/start`)
      .bearerToken(world.plainKey)
    started.assertStatus(200)
    assert.equal(started.body().status, 'ongoing')
    assert.approximately(started.body().seconds_left, 600, 2)

    clock.travelTo(at(tomorrow(), '09:04'))
    const status = await client
      .get(`/api/v1/sessions/${booking.id}/status`)
      .bearerToken(world.plainKey)
    status.assertStatus(200)
    assert.containsSubset(status.body(), {
      booking_id: booking.id,
      code: booking.code,
      status: 'ongoing',
      resource_id: world.resources[0].id,
      overrun: false,
    })
    assert.approximately(status.body().seconds_left, 360, 2)
    assert.approximately(Date.parse(status.body().server_time), clock.now().toMillis(), 2000)

    clock.travelTo(at(tomorrow(), '09:11'))
    const over = (
      await client.get(`/api/v1/sessions/${booking.id}/status`).bearerToken(world.plainKey)
    ).body()
    assert.isTrue(over.overrun)
    assert.equal(over.seconds_left, 0)

    const finished = await client
      .post(`/api/v1/sessions/${booking.id}/finish`)
      .bearerToken(world.plainKey)
    finished.assertStatus(200)
    assert.equal(finished.body().status, 'done')
    assert.isFalse(finished.body().overrun)
    const events = await BookingEvent.query().where('booking_id', booking.id).orderBy('id')
    assert.deepEqual(
      events.map((event) => event.type),
      ['created', 'arrived', 'started', 'finished']
    )

    const again = await client
      .post(`/api/v1/sessions/${booking.id}/finish`)
      .bearerToken(world.plainKey)
    again.assertStatus(409)
    again.assertBodyContains({ error: { code: 'E_BOOKING_ILLEGAL_FINISH' } })
  })

  test('a repeated action with the same Idempotency-Key acts once', async ({ client, assert }) => {
    const world = await apiWorld()
    const booking = await book(world, '09:00')
    clock.travelTo(at(tomorrow(), '09:00'))
    await bookings.checkIn(booking.id, world.tenant.id, { by: null })
    const key = randomUUID()
    const first = await client
      .post(`/api/v1/sessions/${booking.id}/start`)
      .bearerToken(world.plainKey)
      .header('Idempotency-Key', key)
    const again = await client
      .post(`/api/v1/sessions/${booking.id}/start`)
      .bearerToken(world.plainKey)
      .header('Idempotency-Key', key)
    first.assertStatus(200)
    again.assertStatus(200)
    again.assertHeader('idempotent-replayed', 'true')
    assert.lengthOf(await bookingEvents(booking.id, 'started'), 1)
  })

  test('override sets any status with the reason kept; no reason answers 422; the same status 422', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const booking = await book(world, '09:00')
    const missing = await client
      .post(`/api/v1/sessions/${booking.id}/override`)
      .bearerToken(world.plainKey)
      .json({ status: 'done' })
    missing.assertStatus(422)
    assert.equal(missing.body().error.fields[0].field, 'reason')
    const same = await client
      .post(`/api/v1/sessions/${booking.id}/override`)
      .bearerToken(world.plainKey)
      .json({ status: 'awaiting_customer', reason: 'tidak berubah' })
    same.assertStatus(422)
    same.assertBodyContains({ error: { code: 'E_BOOKING_OVERRIDE_SAME' } })

    const response = await client
      .post(`/api/v1/sessions/${booking.id}/override`)
      .bearerToken(world.plainKey)
      .json({ status: 'done', reason: 'Printer booth macet' })
    response.assertStatus(200)
    assert.equal(response.body().status, 'done')
    const event = await bookingEvents(booking.id, 'overridden').firstOrFail()
    assert.deepInclude(event.$attributes, {
      fromStatus: 'awaiting_customer',
      toStatus: 'done',
      reason: 'Printer booth macet',
    })
  })

  test("another tenant's session answers 404 on every endpoint, and nothing moves", async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const other = await apiWorld()
    const theirs = await book(other, '09:00')
    clock.travelTo(at(tomorrow(), '09:00'))
    for (const action of ['arrival', 'start', 'finish']) {
      ;(
        await client.post(`/api/v1/sessions/${theirs.id}/${action}`).bearerToken(world.plainKey)
      ).assertStatus(404)
    }
    ;(
      await client
        .post(`/api/v1/sessions/${theirs.id}/override`)
        .bearerToken(world.plainKey)
        .json({ status: 'done', reason: 'bukan milik kami' })
    ).assertStatus(404)
    const status = await client
      .get(`/api/v1/sessions/${theirs.id}/status`)
      .bearerToken(world.plainKey)
    status.assertStatus(404)
    status.assertBodyContains({ error: { code: 'E_ROW_NOT_FOUND' } })
    assert.equal((await Booking.findOrFail(theirs.id)).status, 'awaiting_customer')
  })

  test("GET /outlets lists the tenant's branches with their resources and the services each offers", async ({
    client,
    assert,
  }) => {
    const world = await apiWorld({ resources: 2 })
    await Branch.create({
      tenantId: world.tenant.id,
      name: 'Cabang Mall',
      slug: `mall-${world.key}`,
      timezone: 'Asia/Makassar',
    })
    const other = await apiWorld()
    const response = await client.get('/api/v1/outlets').bearerToken(world.plainKey)
    response.assertStatus(200)
    const outlets = response.body().outlets
    assert.deepEqual(
      outlets.map((outlet: { name: string }) => outlet.name),
      [world.branch.name, 'Cabang Mall']
    )
    assert.deepEqual(outlets[0].resources, [
      {
        id: world.resources[0].id,
        kind: 'booth',
        name: 'Booth 1',
        is_active: true,
        service_ids: [world.service.id],
      },
      {
        id: world.resources[1].id,
        kind: 'booth',
        name: 'Booth 2',
        is_active: true,
        service_ids: [world.service.id],
      },
    ])
    assert.deepEqual(outlets[1].resources, [])
    assert.equal(outlets[1].timezone, 'Asia/Makassar')
    assert.notInclude(JSON.stringify(outlets), other.branch.name)
  })
})

test.group('Booking API: settings', () => {
  test('GET /settings answers every booking setting', async ({ client, assert }) => {
    const world = await apiWorld({
      settings: { sessionDurationMinutes: 20, paymentProvider: 'midtrans' },
    })
    const response = await client.get('/api/v1/settings').bearerToken(world.plainKey)
    response.assertStatus(200)
    assert.deepEqual(response.body(), {
      session_duration_minutes: 20,
      arrival_tolerance_minutes: 15,
      early_checkin_minutes: 60,
      slot_minutes: 30,
      quota_per_slot: 1,
      payment_minutes: 30,
      cancellation_cutoff_minutes: 120,
      reminder_day_before: true,
      reminder_hour_before: true,
      no_show_grace_minutes: 30,
      blending_mode: 'none',
      blending_auto_minutes: 15,
      payment_provider: 'midtrans',
    })
  })

  test('PUT /settings with a key an owner created changes what it names, keeps the rest and the gateway, and is audited', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld({ settings: { paymentProvider: 'xendit' } })
    const response = await client.put('/api/v1/settings').bearerToken(world.ownerKey).json({
      session_duration_minutes: 25,
      arrival_tolerance_minutes: 10,
      reminder_day_before: false,
      blending_mode: 'checkin',
    })
    response.assertStatus(200)
    assert.containsSubset(response.body(), {
      session_duration_minutes: 25,
      arrival_tolerance_minutes: 10,
      reminder_day_before: false,
      reminder_hour_before: true,
      blending_mode: 'checkin',
      slot_minutes: 30,
      payment_provider: 'xendit',
    })
    const stored = (await Tenant.findOrFail(world.tenant.id)).booking
    assert.equal(stored.sessionDurationMinutes, 25)
    assert.equal(stored.paymentProvider, 'xendit')
    const audit = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .where('action', 'tenant.booking_settings_updated')
      .firstOrFail()
    assert.equal(audit.userId, world.owner.id)
  })

  test("PUT /settings with an admin's key, a command-line key or a demoted owner's key answers 403 and changes nothing", async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const admin = await client
      .put('/api/v1/settings')
      .bearerToken(world.plainKey)
      .json({ session_duration_minutes: 25 })
    admin.assertStatus(403)
    admin.assertBodyContains({
      error: {
        code: 'E_API_KEY_NOT_OWNER',
        message:
          'Only an API key created by the business owner may change settings. Ask the owner to create one under Admin → API keys.',
      },
    })

    const { plainKey: cliKey } = await apiKeys.create(world.tenant, 'CLI', { user: null })
    ;(
      await client
        .put('/api/v1/settings')
        .bearerToken(cliKey)
        .json({ session_duration_minutes: 25 })
    ).assertStatus(403)

    world.owner.role = 'admin'
    await world.owner.save()
    ;(
      await client
        .put('/api/v1/settings')
        .bearerToken(world.ownerKey)
        .json({ session_duration_minutes: 25 })
    ).assertStatus(403)
    assert.equal((await Tenant.findOrFail(world.tenant.id)).booking.sessionDurationMinutes, 15)
  })

  test('PUT /settings refuses values out of range and a no-show time shorter than the tolerance', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const range = await client
      .put('/api/v1/settings')
      .bearerToken(world.ownerKey)
      .json({ session_duration_minutes: 0, blending_mode: 'sometimes' })
    range.assertStatus(422)
    assert.sameMembers(
      range.body().error.fields.map((field: { field: string }) => field.field),
      ['session_duration_minutes', 'blending_mode']
    )
    const grace = await client
      .put('/api/v1/settings')
      .bearerToken(world.ownerKey)
      .json({ arrival_tolerance_minutes: 45 })
    grace.assertStatus(422)
    grace.assertBodyContains({ error: { code: 'E_BOOKING_SETTINGS_GRACE' } })
    assert.equal((await Tenant.findOrFail(world.tenant.id)).booking.arrivalToleranceMinutes, 15)
  })
})

test.group('Booking API: the OpenAPI document', () => {
  test('documents every booking and session endpoint, valid, with the 403 of the settings', async ({
    client,
    assert,
  }) => {
    const document = (await client.get('/api/v1/openapi.json')).body()
    await SwaggerParser.validate(structuredClone(document))
    for (const [path, method] of [
      ['/appointments', 'post'],
      ['/appointments/{id}/checkin', 'post'],
      ['/bookings', 'get'],
      ['/sessions/{id}/arrival', 'post'],
      ['/sessions/{id}/start', 'post'],
      ['/sessions/{id}/finish', 'post'],
      ['/sessions/{id}/override', 'post'],
      ['/sessions/{id}/status', 'get'],
      ['/outlets', 'get'],
      ['/settings', 'get'],
      ['/settings', 'put'],
    ]) {
      assert.property(document.paths[path], method, `${method.toUpperCase()} ${path}`)
    }
    assert.property(document.paths['/settings'].put.responses, '403')
    assert.includeMembers(document.components.schemas.Booking.required, [
      'seconds_left',
      'overrun',
      'session_ends_at',
    ])
    const docs = await client.get('/api/docs')
    docs.assertTextIncludes('PUT /api/v1/settings')
    docs.assertTextIncludes('POST /api/v1/sessions/{id}/override')
  })
})
