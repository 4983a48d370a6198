import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import Device from '#models/device'
import Resource from '#models/resource'
import AuditLog from '#models/audit_log'
import BookingService from '#services/bookings/booking_service'
import clock from '#support/clock'
import { createWorld } from '#tests/helpers/world'
import { createBookingWorld, tomorrow } from '#tests/helpers/bookings'
import app from '@adonisjs/core/services/app'

const bookings = await app.container.make(BookingService)
type BookingWorld = Awaited<ReturnType<typeof createBookingWorld>>

const at = (date: string, time: string) =>
  DateTime.fromISO(`${date}T${time}`, { zone: 'Asia/Jakarta' })

function createBooth(world: BookingWorld, resource: Resource | null = world.resources[0]) {
  return Device.create({
    tenantId: world.tenant.id,
    branchId: world.branch.id,
    kind: 'booth',
    name: 'Tablet booth',
    token: `booth-${world.key}-${randomUUID().slice(0, 8)}`,
    resourceId: resource?.id ?? null,
  })
}

function book(world: BookingWorld, time: string, name = 'Sari', resource = world.resources[0]) {
  return bookings.book(world.entry, world.service, {
    date: tomorrow(),
    time,
    name,
    resourceId: resource.id,
    channel: 'web',
  })
}

test.group('Booth devices: admin', () => {
  test('an admin adds a booth device and links it to a resource of the branch; the link is audited', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({ resources: 2 })
    const created = await client
      .post('/admin/devices')
      .form({ name: 'Tablet Booth 2', kind: 'booth' })
      .withCsrfToken()
      .loginAs(world.admin)
      .redirects(0)
    created.assertStatus(302)
    const device = await Device.query()
      .where('branch_id', world.branch.id)
      .where('kind', 'booth')
      .firstOrFail()

    const edit = await client.get(`/admin/devices/${device.id}/edit`).loginAs(world.admin)
    edit.assertStatus(200)
    edit.assertTextIncludes('name="resource_id"')
    edit.assertTextIncludes(`/booth/${device.token}/status`)

    const saved = await client
      .put(`/admin/devices/${device.id}`)
      .form({ name: 'Tablet Booth 2', resource_id: world.resources[1].id })
      .withCsrfToken()
      .loginAs(world.admin)
      .redirects(0)
    saved.assertStatus(302)
    await device.refresh()
    assert.equal(device.resourceId, world.resources[1].id)
    const audit = await AuditLog.query()
      .where('action', 'device.updated')
      .where('subject_id', String(device.id))
      .firstOrFail()
    assert.deepEqual((audit.changes as any).resourceId, [null, world.resources[1].id])

    const list = await client.get('/admin/devices').loginAs(world.admin)
    list.assertTextIncludes('di Booth 2')
    list.assertTextIncludes(`/booth/${device.token}/status`)
  })

  test('a resource of another branch or tenant is refused', async ({ client, assert }) => {
    const world = await createBookingWorld()
    const other = await createBookingWorld()
    const device = await createBooth(world, null)
    const response = await client
      .put(`/admin/devices/${device.id}`)
      .json({ name: 'Tablet', resource_id: other.resources[0].id })
      .withCsrfToken()
      .loginAs(world.admin)
      .accept('json')
    response.assertStatus(422)
    response.assertBodyContains({
      error: { code: 'E_UNKNOWN_RESOURCE', message: 'Booth / ruang tidak dikenal di cabang ini.' },
    })
    await device.refresh()
    assert.isNull(device.resourceId)
  })
})

test.group('Booth devices: GET /booth/:token/status', (group) => {
  group.each.teardown(() => clock.reset())

  test('answers the resource and its next session, then 204 while the version it holds is current', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld()
    const booth = await createBooth(world)
    const booking = await book(world, '10:00', 'Dewi')

    const first = await client.get(`/booth/${booth.token}/status`).accept('json')
    first.assertStatus(200)
    const body = first.body()
    assert.isNumber(body.version)
    assert.deepEqual(body.resource, {
      id: world.resources[0].id,
      kind: 'booth',
      name: 'Booth 1',
      is_active: true,
    })
    assert.isNull(body.session)
    assert.containsSubset(body.next, {
      booking_id: booking.id,
      code: booking.code,
      status: 'awaiting_customer',
      customer_name: 'Dewi',
      starts_at: booking.startsAt.toUTC().toISO(),
      started_at: null,
      session_ends_at: null,
      seconds_left: null,
      overrun: false,
    })

    for (let poll = 0; poll < 3; poll++)
      (await client.get(`/booth/${booth.token}/status?v=${body.version}`)).assertStatus(204)

    // A change in another branch does not wake this booth.
    const other = await createBookingWorld()
    await book(other, '10:00')
    ;(await client.get(`/booth/${booth.token}/status?v=${body.version}`)).assertStatus(204)

    await book(world, '11:00', 'Eka')
    const changed = await client
      .get(`/booth/${booth.token}/status?v=${body.version}`)
      .accept('json')
    changed.assertStatus(200)
    assert.isAbove(changed.body().version, body.version)
    assert.equal(changed.body().next.code, booking.code, 'still the earliest')
  })

  test('a started session counts down: seconds_left and session_ends_at, then overrun once past it', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({ settings: { sessionDurationMinutes: 15 } })
    const booth = await createBooth(world)
    const booking = await book(world, '09:00', 'Fajar')
    const later = await book(world, '09:30', 'Gita')
    clock.travelTo(at(tomorrow(), '08:58'))
    await bookings.checkIn(booking.id, world.tenant.id, { by: null })

    const arrived = (await client.get(`/booth/${booth.token}/status`).accept('json')).body()
    assert.containsSubset(arrived.session, {
      booking_id: booking.id,
      status: 'arrived',
      seconds_left: null,
      overrun: false,
    })
    assert.equal(arrived.next.booking_id, later.id)

    clock.travelTo(at(tomorrow(), '09:00'))
    await bookings.start(booking.id, world.tenant.id, { by: null })
    clock.travelTo(at(tomorrow(), '09:05'))
    const running = await client
      .get(`/booth/${booth.token}/status?v=${arrived.version}`)
      .accept('json')
    running.assertStatus(200)
    const session = running.body().session
    assert.equal(session.status, 'ongoing')
    assert.approximately(
      Date.parse(session.session_ends_at),
      at(tomorrow(), '09:15').toMillis(),
      1000,
      '15 minutes after the start'
    )
    assert.approximately(session.seconds_left, 600, 2)
    assert.isFalse(session.overrun)
    assert.isNotNull(session.started_at)

    // Time alone changes no version: the booth counts down by itself, and reads overrun when it asks afresh.
    clock.travelTo(at(tomorrow(), '09:17'))
    ;(await client.get(`/booth/${booth.token}/status?v=${running.body().version}`)).assertStatus(
      204
    )
    const over = (await client.get(`/booth/${booth.token}/status`).accept('json')).body().session
    assert.equal(over.seconds_left, 0)
    assert.isTrue(over.overrun)

    await bookings.finish(booking.id, world.tenant.id, { by: null })
    const done = (
      await client.get(`/booth/${booth.token}/status?v=${running.body().version}`).accept('json')
    ).body()
    assert.isNull(done.session)
    assert.equal(done.next.booking_id, later.id)
  })

  test("an unknown token, a kiosk's or a TV's token, and a booth linked to nothing answer 404", async ({
    client,
  }) => {
    const world = await createBookingWorld()
    const loose = await createBooth(world, null)
    const kiosk = await Device.create({
      tenantId: world.tenant.id,
      branchId: world.branch.id,
      kind: 'kiosk',
      name: 'Kiosk',
      token: `kiosk-${world.key}`,
    })
    for (const token of ['no-such-booth', kiosk.token, world.display.token, loose.token]) {
      ;(await client.get(`/booth/${token}/status`).accept('json')).assertStatus(404)
    }
  })

  test('the devices page offers the booth kind', async ({ client }) => {
    const { admin } = await createWorld()
    const page = await client.get('/admin/devices').loginAs(admin)
    page.assertTextIncludes('<option value="booth"')
  })
})
