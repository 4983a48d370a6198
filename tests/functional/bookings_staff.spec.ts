import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import Booking from '#models/booking'
import BookingEvent from '#models/booking_event'
import Branch from '#models/branch'
import Ticket from '#models/ticket'
import BookingService from '#services/bookings/booking_service'
import clock from '#support/clock'
import { bookingEvents, createBookingWorld, tomorrow } from '#tests/helpers/bookings'
import { rateLimits } from '#start/limiter'
import app from '@adonisjs/core/services/app'

const bookings = await app.container.make(BookingService)
type BookingWorld = Awaited<ReturnType<typeof createBookingWorld>>

/** The moment `time` on `date` in Jakarta. */
const at = (date: string, time: string) =>
  DateTime.fromISO(`${date}T${time}`, { zone: 'Asia/Jakarta' })

function book(
  world: BookingWorld,
  time: string,
  extra: { name?: string; phone?: string; resourceId?: number; date?: string } = {}
) {
  return bookings.book(world.entry, world.service, {
    date: extra.date ?? tomorrow(),
    time,
    resourceId: extra.resourceId,
    name: extra.name ?? 'Sari',
    phone: extra.phone ?? '+6281234567890',
    channel: 'web',
  })
}

const text = (html: string) => html.replace(/\u00a0/g, ' ')

test.group('Staff bookings: the day', (group) => {
  group.each.teardown(() => clock.reset())

  test("lists the day's bookings in time order, filtered by status and resource, searched by code, name or phone", async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({ resources: 2 })
    const date = tomorrow()
    const late = await book(world, '11:00', {
      name: 'Budi Santoso',
      phone: '+6281111111111',
      resourceId: world.resources[1].id,
    })
    const early = await book(world, '09:00', {
      name: 'Sari Dewi',
      phone: '+6282222222222',
      resourceId: world.resources[0].id,
    })
    await bookings.cancel(late.id, world.tenant.id, {
      by: world.operator,
      reason: 'Pelanggan menelepon',
    })

    const page = await client.get(`/app/bookings?date=${date}`).loginAs(world.operator)
    page.assertStatus(200)
    const html = page.text()
    assert.isBelow(html.indexOf(early.code), html.indexOf(late.code), 'earliest first')
    assert.include(html, 'Dibatalkan')
    assert.include(html, 'Menunggu pelanggan')

    const cancelled = (
      await client.get(`/app/bookings?date=${date}&status=cancelled`).loginAs(world.operator)
    ).text()
    assert.include(cancelled, late.code)
    assert.notInclude(cancelled, early.code)
    const atFirst = (
      await client
        .get(`/app/bookings?date=${date}&resource_id=${world.resources[0].id}`)
        .loginAs(world.operator)
    ).text()
    assert.include(atFirst, early.code)
    assert.notInclude(atFirst, late.code)

    for (const q of [early.code.toLowerCase(), 'sari', '0822-2222-2222', '82222']) {
      const found = (
        await client
          .get(`/app/bookings?date=${date}&q=${encodeURIComponent(q)}`)
          .loginAs(world.operator)
      ).text()
      assert.include(found, early.code, q)
      assert.notInclude(found, late.code, q)
    }
    const otherDay = (await client.get('/app/bookings').loginAs(world.operator)).text()
    assert.notInclude(otherDay, early.code)
  })

  test("another tenant's bookings never show, and its booking answers 404", async ({ client }) => {
    const world = await createBookingWorld()
    const other = await createBookingWorld()
    const theirs = await book(other, '09:00')
    const page = await client.get(`/app/bookings?date=${tomorrow()}`).loginAs(world.admin)
    page.assertStatus(200)
    page.assertTextIncludes('Tidak ada booking')
    ;(await client.get(`/app/bookings/${theirs.id}`).loginAs(world.admin)).assertStatus(404)
    ;(
      await client
        .post(`/app/bookings/${theirs.id}/cancel`)
        .form({ reason: 'bukan milik kami' })
        .withCsrfToken()
        .loginAs(world.admin)
    ).assertStatus(404)
    ;(
      await client
        .post(`/app/bookings/${theirs.id}/override`)
        .form({ status: 'done', reason: 'coba' })
        .withCsrfToken()
        .loginAs(world.admin)
    ).assertStatus(404)
  })

  test("a booking of a branch outside the staff member's scope answers 403", async ({ client }) => {
    const world = await createBookingWorld()
    const booking = await book(world, '09:00')
    const elsewhere = await Branch.create({
      tenantId: world.tenant.id,
      name: 'Cabang Dua',
      slug: `dua-${world.key}`,
      timezone: 'Asia/Jakarta',
    })
    world.operator.branchId = elsewhere.id
    await world.operator.save()
    ;(await client.get(`/app/bookings/${booking.id}`).loginAs(world.operator)).assertStatus(403)
  })
})

test.group('Staff bookings: the scan box', (group) => {
  group.each.teardown(() => clock.reset())

  test("a scanner typing the booking's link checks the customer in", async ({ client, assert }) => {
    const world = await createBookingWorld()
    const booking = await book(world, '09:00')
    clock.travelTo(at(tomorrow(), '08:50'))
    const response = await client
      .post('/app/bookings/scan')
      .form({ reference: `http://127.0.0.1:3361/booking/${booking.id}` })
      .withCsrfToken()
      .loginAs(world.operator)
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', `/app/bookings/${booking.id}`)
    response.assertFlashMessage('success', `Sari (${booking.code}) sudah check-in.`)
    await booking.refresh()
    assert.equal(booking.status, 'arrived')
    const event = await bookingEvents(booking.id, 'arrived').firstOrFail()
    assert.equal(event.userId, world.operator.id)
  })

  test('a typed code checks in too, in any case and with or without BK; an unknown code says so', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({ resources: 2 })
    const first = await book(world, '09:00')
    const second = await book(world, '09:00')
    const other = await createBookingWorld()
    const theirs = await book(other, '09:00')
    clock.travelTo(at(tomorrow(), '09:05'))
    await client
      .post('/app/bookings/scan')
      .form({ reference: ` ${first.code.toLowerCase()} ` })
      .withCsrfToken()
      .loginAs(world.operator)
    await client
      .post('/app/bookings/scan')
      .form({ reference: second.code.slice(2) })
      .withCsrfToken()
      .loginAs(world.operator)
    assert.equal((await Booking.findOrFail(first.id)).status, 'arrived')
    assert.equal((await Booking.findOrFail(second.id)).status, 'arrived')

    const unknown = await client
      .post('/app/bookings/scan')
      .form({ reference: 'BKZZZZZ' })
      .withCsrfToken()
      .loginAs(world.operator)
      .header('referer', '/app/bookings')
      .redirects(0)
    unknown.assertHeader('location', '/app/bookings')
    unknown.assertFlashMessage('error', 'Booking tidak ditemukan.')

    const foreign = await client
      .post('/app/bookings/scan')
      .form({ reference: theirs.code })
      .withCsrfToken()
      .loginAs(world.operator)
      .header('referer', '/app/bookings')
      .redirects(0)
    foreign.assertFlashMessage('error', 'Booking tidak ditemukan.')
    assert.equal((await Booking.findOrFail(theirs.id)).status, 'awaiting_customer')
  })

  test('scanning too late expires the booking ("hangus"); too early is refused with the time check-in opens', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({
      resources: 2,
      settings: { arrivalToleranceMinutes: 15, earlyCheckinMinutes: 30 },
    })
    const late = await book(world, '09:00')
    const early = await book(world, '11:00')
    clock.travelTo(at(tomorrow(), '09:20'))
    const expired = await client
      .post('/app/bookings/scan')
      .form({ reference: late.code })
      .withCsrfToken()
      .loginAs(world.operator)
      .redirects(0)
    expired.assertFlashMessage(
      'error',
      `Booking ${late.code} hangus: kedatangan melewati batas toleransi.`
    )
    assert.equal((await Booking.findOrFail(late.id)).status, 'expired')

    const tooEarly = await client
      .post('/app/bookings/scan')
      .form({ reference: early.code })
      .withCsrfToken()
      .loginAs(world.operator)
      .header('HX-Request', 'true')
    tooEarly.assertStatus(409)
    tooEarly.assertTextIncludes('Terlalu awal untuk check-in. Check-in dibuka pukul 10:30.')
  })
  test('scans are rate limited per staff member, not per front desk', async ({
    client,
    assert,
    cleanup,
  }) => {
    const world = await createBookingWorld()
    const before = rateLimits.takePerMinute
    rateLimits.takePerMinute = 2
    cleanup(() => {
      rateLimits.takePerMinute = before
    })
    const scan = (user: typeof world.operator) =>
      client
        .post('/app/bookings/scan')
        .form({ reference: 'BKZZZZZ' })
        .withCsrfToken()
        .loginAs(user)
        .header('referer', '/app/bookings')
        .redirects(0)
    const statuses: number[] = []
    for (let attempt = 0; attempt < 3; attempt++)
      statuses.push((await scan(world.operator)).status())
    assert.deepEqual(statuses, [302, 302, 429])
    const colleague = await scan(world.operator2)
    colleague.assertStatus(302)
  })
})

test.group('Staff bookings: a booking and its actions', (group) => {
  group.each.teardown(() => clock.reset())

  test("the booking's page shows customer, service, resource, time, status, payment and history", async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({ price: 2_500_000 })
    const booking = await book(world, '10:00', { name: 'Rina' })
    const page = await client.get(`/app/bookings/${booking.id}`).loginAs(world.operator)
    page.assertStatus(200)
    const html = text(page.text())
    for (const expected of [
      'Rina',
      '+6281234567890',
      world.service.name,
      'Booth 1',
      `${tomorrow()} 10:00`,
      'Menunggu pelanggan',
      'Rp 25.000 · dibayar di tempat',
      'Dibuat',
      'Halaman booking',
    ]) {
      assert.include(html, expected)
    }
    assert.include(html, 'data-testid="booking-history"')
    assert.notInclude(html, 'data-testid="override"', 'operators cannot override')
  })

  test('check in, start and finish with one click each: htmx gets the card and a toast, the history grows', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({ settings: { sessionDurationMinutes: 10 } })
    const booking = await book(world, '09:00')
    clock.travelTo(at(tomorrow(), '08:58'))

    const arrived = await client
      .post(`/app/bookings/${booking.id}/checkin`)
      .form({})
      .withCsrfToken()
      .loginAs(world.operator)
      .header('HX-Request', 'true')
    arrived.assertStatus(200)
    arrived.assertTextIncludes('data-status="arrived"')
    assert.include(String(arrived.header('hx-trigger')), 'sudah check-in')

    const started = await client
      .post(`/app/bookings/${booking.id}/start`)
      .form({})
      .withCsrfToken()
      .loginAs(world.operator)
      .header('HX-Request', 'true')
    started.assertStatus(200)
    started.assertTextIncludes('data-status="ongoing"')
    started.assertTextIncludes('data-testid="session-countdown"')

    clock.travelTo(at(tomorrow(), '09:12'))
    const finished = await client
      .post(`/app/bookings/${booking.id}/finish`)
      .form({})
      .withCsrfToken()
      .loginAs(world.operator)
      .redirects(0)
    finished.assertStatus(302)
    finished.assertFlashMessage('success', `Sesi ${booking.code} selesai.`)

    await booking.refresh()
    assert.equal(booking.status, 'done')
    const events = await BookingEvent.query().where('booking_id', booking.id).orderBy('id')
    assert.deepEqual(
      events.map((event) => event.type),
      ['created', 'arrived', 'started', 'finished']
    )
    assert.deepEqual(
      events.slice(1).map((event) => event.userId),
      [world.operator.id, world.operator.id, world.operator.id]
    )
    const page = text(
      (await client.get(`/app/bookings/${booking.id}`).loginAs(world.operator)).text()
    )
    // Started at 08:58 for 10 minutes, finished at 09:12: four minutes over.
    assert.include(page, 'lewat waktu 4:00')
  })

  test('a move the status does not allow answers 409 with the reason; a cancel without a reason 422', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld()
    const booking = await book(world, '09:00')
    const finish = await client
      .post(`/app/bookings/${booking.id}/finish`)
      .form({})
      .withCsrfToken()
      .loginAs(world.operator)
      .header('HX-Request', 'true')
    finish.assertStatus(409)
    finish.assertTextIncludes(`Sesi booking ${booking.code} tidak bisa diselesaikan`)

    const noReason = await client
      .post(`/app/bookings/${booking.id}/cancel`)
      .form({ reason: '' })
      .withCsrfToken()
      .loginAs(world.operator)
      .header('HX-Request', 'true')
    noReason.assertStatus(422)
    noReason.assertTextIncludes('Alasan wajib diisi')
    assert.equal((await Booking.findOrFail(booking.id)).status, 'awaiting_customer')

    const cancelled = await client
      .post(`/app/bookings/${booking.id}/cancel`)
      .form({ reason: 'Pelanggan sakit' })
      .withCsrfToken()
      .loginAs(world.operator)
      .header('HX-Request', 'true')
    cancelled.assertStatus(200)
    cancelled.assertTextIncludes('Pelanggan sakit')
    await booking.refresh()
    assert.equal(booking.status, 'cancelled')
    assert.equal(booking.cancelReason, 'Pelanggan sakit')
    const again = await client
      .post(`/app/bookings/${booking.id}/start`)
      .form({})
      .withCsrfToken()
      .loginAs(world.operator)
      .header('HX-Request', 'true')
    again.assertStatus(409)
  })

  test('the same click twice (one request id) acts once', async ({ client, assert }) => {
    const world = await createBookingWorld()
    const booking = await book(world, '09:00')
    clock.travelTo(at(tomorrow(), '09:00'))
    const requestId = '3f0c2a9e-8d5b-4a43-9d8e-0c5c1f6b7a21'
    for (let index = 0; index < 2; index++) {
      const response = await client
        .post(`/app/bookings/${booking.id}/checkin`)
        .form({ request_id: requestId })
        .withCsrfToken()
        .loginAs(world.operator)
        .header('HX-Request', 'true')
      response.assertStatus(200)
    }
    assert.lengthOf(await bookingEvents(booking.id, 'arrived'), 1)
  })

  test('an admin overrides the status with a reason: kept and shown with who, when, from and to', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld()
    const booking = await book(world, '09:00')
    const page = await client.get(`/app/bookings/${booking.id}`).loginAs(world.admin)
    page.assertTextIncludes('data-testid="override"')

    const noReason = await client
      .post(`/app/bookings/${booking.id}/override`)
      .form({ status: 'done', reason: '' })
      .withCsrfToken()
      .loginAs(world.admin)
      .header('HX-Request', 'true')
    noReason.assertStatus(422)
    noReason.assertTextIncludes('Alasan wajib diisi')
    assert.equal((await Booking.findOrFail(booking.id)).status, 'awaiting_customer')

    clock.travelTo(at(tomorrow(), '09:30'))
    const response = await client
      .post(`/app/bookings/${booking.id}/override`)
      .form({ status: 'done', reason: 'Printer booth macet, sesi diulang manual' })
      .withCsrfToken()
      .loginAs(world.admin)
      .header('HX-Request', 'true')
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, 'data-status="done"')
    assert.match(
      html,
      /data-event="overridden"[\s\S]*Menunggu pelanggan → Selesai[\s\S]*Admin [\s\S]*Printer booth macet, sesi diulang manual/
    )
    assert.include(html, `${at(tomorrow(), '09:30').setLocale('id').toFormat('dd LLL yyyy')} 09:30`)

    const event = await bookingEvents(booking.id, 'overridden').firstOrFail()
    assert.deepInclude(event.$attributes, {
      fromStatus: 'awaiting_customer',
      toStatus: 'done',
      userId: world.admin.id,
      reason: 'Printer booth macet, sesi diulang manual',
    })
  })

  test('an operator cannot override', async ({ client, assert }) => {
    const world = await createBookingWorld()
    const booking = await book(world, '09:00')
    const response = await client
      .post(`/app/bookings/${booking.id}/override`)
      .form({ status: 'done', reason: 'saya mau' })
      .withCsrfToken()
      .loginAs(world.operator)
    response.assertStatus(403)
    assert.equal((await Booking.findOrFail(booking.id)).status, 'awaiting_customer')
    assert.lengthOf(await bookingEvents(booking.id, 'overridden'), 0)
  })

  test('with check-in blending the page shows the queue number the booking got', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({
      settings: { blending: { mode: 'checkin', autoMinutesBefore: 15 } },
    })
    const booking = await book(world, '09:00')
    clock.travelTo(at(tomorrow(), '08:55'))
    await client
      .post('/app/bookings/scan')
      .form({ reference: booking.code })
      .withCsrfToken()
      .loginAs(world.operator)
    const ticket = await Ticket.query().where('booking_id', booking.id).firstOrFail()
    const page = await client.get(`/app/bookings/${booking.id}`).loginAs(world.operator)
    page.assertTextIncludes(`<strong>${ticket.number}</strong>`)
    page.assertTextIncludes(`/app/tickets/${ticket.id}`)
    assert.equal(ticket.priority, 'appointment')
    const day = await client.get(`/app/bookings?date=${tomorrow()}`).loginAs(world.operator)
    day.assertTextIncludes(ticket.number)
  })

  test('moving a booking: the form lists free times; another free time moves it; a taken one answers 409', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld()
    const booking = await book(world, '09:00')
    await book(world, '10:00', { name: 'Budi' })
    const form = await client.get(`/app/bookings/${booking.id}/reschedule`).loginAs(world.operator)
    form.assertStatus(200)
    assert.include(form.text(), 'value="09:30"')
    assert.notInclude(form.text(), 'value="10:00"', 'taken')
    assert.notInclude(form.text(), 'value="09:00"', 'its own time')

    const moved = await client
      .post(`/app/bookings/${booking.id}/reschedule`)
      .form({ date: tomorrow(), time: '09:30' })
      .withCsrfToken()
      .loginAs(world.operator)
      .redirects(0)
    moved.assertFlashMessage(
      'success',
      `Booking ${booking.code} dipindah ke ${tomorrow()} pukul 09:30.`
    )
    await booking.refresh()
    assert.equal(booking.localTime, '09:30')

    const taken = await client
      .post(`/app/bookings/${booking.id}/reschedule`)
      .form({ date: tomorrow(), time: '10:00' })
      .withCsrfToken()
      .loginAs(world.operator)
      .header('HX-Request', 'true')
    taken.assertStatus(409)
    taken.assertTextIncludes('Maaf, pukul 10:00 baru saja penuh')
    const history = await client.get(`/app/bookings/${booking.id}`).loginAs(world.operator)
    history.assertTextIncludes('Jadwal dipindah')
  })
})

test.group('Staff bookings: booking at the desk', (group) => {
  group.each.teardown(() => clock.reset())

  test('the desk form offers the free times of the day; booking one creates a staff booking with the phone in E.164', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({ resources: 2 })
    await book(world, '09:00', { resourceId: world.resources[0].id })
    await book(world, '09:00', { resourceId: world.resources[1].id })
    const form = await client
      .get(`/app/bookings/new?service_id=${world.service.id}&date=${tomorrow()}`)
      .loginAs(world.operator)
    form.assertStatus(200)
    assert.notInclude(form.text(), 'value="09:00"', 'full')
    assert.include(form.text(), 'value="09:30"')
    assert.include(form.text(), 'Booth / ruang mana saja')

    const times = await client
      .get(`/app/bookings/new?service_id=${world.service.id}&date=${tomorrow()}`)
      .loginAs(world.operator)
      .header('HX-Request', 'true')
    times.assertTextIncludes('data-testid="desk-times"')
    assert.notInclude(times.text(), '<html')

    const response = await client
      .post('/app/bookings')
      .form({
        service_id: world.service.id,
        date: tomorrow(),
        time: '09:30',
        resource_id: world.resources[1].id,
        name: 'Pak Joko',
        phone: '0813-9999-8888',
        note: 'Telepon',
      })
      .withCsrfToken()
      .loginAs(world.operator)
      .redirects(0)
    response.assertStatus(302)
    const booking = await Booking.query()
      .where('tenant_id', world.tenant.id)
      .where('customer_name', 'Pak Joko')
      .firstOrFail()
    response.assertHeader('location', `/app/bookings/${booking.id}`)
    response.assertFlashMessage('success', `Booking ${booking.code} dibuat.`)
    assert.deepInclude(booking.$attributes, {
      channel: 'staff',
      customerPhone: '+6281399998888',
      resourceId: world.resources[1].id,
      localTime: '09:30',
      note: 'Telepon',
      status: 'awaiting_customer',
    })
    const created = await BookingEvent.query().where('booking_id', booking.id).firstOrFail()
    assert.equal(created.userId, world.operator.id)
  })

  test('a wrong phone answers 422, a full time 409, and nothing is booked', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld()
    await book(world, '09:00')
    const phone = await client
      .post('/app/bookings')
      .form({
        service_id: world.service.id,
        date: tomorrow(),
        time: '09:30',
        name: 'Pak Joko',
        phone: 'bukan nomor',
      })
      .withCsrfToken()
      .loginAs(world.operator)
      .header('HX-Request', 'true')
    phone.assertStatus(422)
    const full = await client
      .post('/app/bookings')
      .form({ service_id: world.service.id, date: tomorrow(), time: '09:00', name: 'Pak Joko' })
      .withCsrfToken()
      .loginAs(world.operator)
      .header('HX-Request', 'true')
    full.assertStatus(409)
    full.assertTextIncludes('baru saja penuh')
    assert.lengthOf(
      await Booking.query().where('tenant_id', world.tenant.id).where('customer_name', 'Pak Joko'),
      0
    )
  })
})

test.group('Staff bookings: the booth board', (group) => {
  group.each.teardown(() => clock.reset())

  test('every resource live: the running session with its countdown and OVERRUN, who waits, the next one, free or closed', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({
      resources: 3,
      settings: { sessionDurationMinutes: 10 },
      opens: '08:00',
      closes: '17:00',
    })
    const date = tomorrow()
    const running = await book(world, '09:00', { name: 'Ani', resourceId: world.resources[0].id })
    const waiting = await book(world, '09:00', { name: 'Beni', resourceId: world.resources[1].id })
    const next = await book(world, '10:00', { name: 'Citra', resourceId: world.resources[0].id })
    clock.travelTo(at(date, '09:00'))
    await bookings.checkIn(running.id, world.tenant.id, { by: null })
    await bookings.start(running.id, world.tenant.id, { by: null })
    await bookings.checkIn(waiting.id, world.tenant.id, { by: null })

    clock.travelTo(at(date, '09:04'))
    const page = await client.get('/app/bookings/board').loginAs(world.operator)
    page.assertStatus(200)
    const html = page.text()
    assert.match(
      html,
      new RegExp(
        `data-resource="${world.resources[0].id}" data-state="busy"[\\s\\S]*Ani[\\s\\S]*data-testid="countdown"[^>]*>6:00<`
      )
    )
    assert.match(
      html,
      new RegExp(`data-resource="${world.resources[1].id}" data-state="waiting"[\\s\\S]*Beni`)
    )
    assert.match(html, new RegExp(`data-resource="${world.resources[2].id}" data-state="free"`))
    assert.include(html, `${next.code}`)
    const endsAt = (await Booking.findOrFail(running.id)).sessionEndsAt!.toUTC().toISO()
    assert.include(html, `data-ends-at="${endsAt}"`, 'the browser counts down to the planned end')
    assert.include(html, 'Mulai sesi Beni')

    clock.travelTo(at(date, '09:13'))
    const overrun = (await client.get('/app/bookings/board').loginAs(world.operator)).text()
    assert.match(overrun, /class="booth booth-busy booth-overrun"/)
    assert.match(overrun, /data-testid="overrun"[^>]*>LEWAT WAKTU</)
    assert.notMatch(overrun, /data-testid="overrun"[^>]*hidden/)
    assert.match(overrun, /data-testid="countdown"[^>]*>\+3:00</)

    clock.travelTo(at(date, '18:00'))
    const closed = (await client.get('/app/bookings/board').loginAs(world.operator)).text()
    assert.match(closed, new RegExp(`data-resource="${world.resources[2].id}" data-state="closed"`))
  })

  test('the board polls with its version: 204 while nothing changed, the fresh board once something did', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld()
    const booking = await book(world, '09:00')
    const page = await client.get('/app/bookings/board').loginAs(world.operator)
    const version = /data-version="(\d+)"/.exec(page.text())![1]
    const drawn = Date.now()
    const unchanged = await client
      .get(`/app/bookings/board/live?v=${version}&r=${drawn}`)
      .loginAs(world.operator)
    unchanged.assertStatus(204)

    clock.travelTo(at(tomorrow(), '09:00'))
    await bookings.checkIn(booking.id, world.tenant.id, { by: null })
    const changed = await client
      .get(`/app/bookings/board/live?v=${version}&r=${clock.now().toMillis()}`)
      .loginAs(world.operator)
    changed.assertStatus(200)
    assert.include(changed.text(), 'data-state="waiting"')
    assert.notInclude(changed.text(), '<html')

    const stale = await client
      .get(
        `/app/bookings/board/live?v=${/data-version="(\d+)"/.exec(changed.text())![1]}&r=${clock.now().toMillis() - 61_000}`
      )
      .loginAs(world.operator)
    stale.assertStatus(200)
  })

  test('starting from the board tells the board to refresh', async ({ client, assert }) => {
    const world = await createBookingWorld()
    const booking = await book(world, '09:00')
    clock.travelTo(at(tomorrow(), '09:00'))
    await bookings.checkIn(booking.id, world.tenant.id, { by: null })
    const response = await client
      .post(`/app/bookings/${booking.id}/start`)
      .form({})
      .withCsrfToken()
      .loginAs(world.operator)
      .header('HX-Request', 'true')
    response.assertStatus(200)
    assert.include(String(response.header('hx-trigger')), 'bookings:changed')
    assert.equal((await Booking.findOrFail(booking.id)).status, 'ongoing')
  })
})
