import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import Booking from '#models/booking'
import BookingService from '#services/bookings/booking_service'
import clock from '#support/clock'
import { HttpSession } from '#tests/helpers/http_session'
import { createBookingWorld, tomorrow } from '#tests/helpers/bookings'
import app from '@adonisjs/core/services/app'

const bookings = await app.container.make(BookingService)
const at = (date: string, time: string) =>
  DateTime.fromISO(`${date}T${time}`, { zone: 'Asia/Jakarta' })

test.group('Public booking: choosing', () => {
  test('the branch lists its bookable services with length and price; an unknown branch is 404', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({ price: 7_500_000 })
    const page = await client.get(`/book/${world.branch.slug}`)
    page.assertStatus(200)
    page.assertTextIncludes(world.service.name)
    page.assertTextIncludes('30 menit')
    assert.match(page.text(), /Rp\s75\.000/)
    assert.notInclude(
      page.text(),
      world.services[1].name,
      'a service that is not bookable is not listed'
    )
    ;(await client.get('/book/no-such-branch')).assertStatus(404)
  })

  test('a day shows its free times; htmx swaps only the times when another day is picked', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({ opens: '09:00', closes: '11:00' })
    const date = tomorrow()
    await bookings.book(world.entry, world.service, {
      date,
      time: '09:30',
      name: 'A',
      channel: 'web',
    })
    const page = await client.get(
      `/book/${world.branch.slug}/services/${world.service.id}?date=${date}`
    )
    page.assertStatus(200)
    const times = [...page.text().matchAll(/name="time" value="(\d\d:\d\d)"/g)].map(
      (match) => match[1]
    )
    assert.deepEqual(times, ['09:00', '09:30', '10:00', '10:30'])
    assert.match(page.text(), /value="09:30"[^>]*disabled/)
    page.assertTextIncludes('penuh')

    const fragment = await client
      .get(`/book/${world.branch.slug}/services/${world.service.id}?date=${date}`)
      .header('hx-request', 'true')
    assert.notInclude(fragment.text(), '<html')
    assert.include(fragment.text(), 'id="booking-times"')
    ;(await client.get(`/book/${world.branch.slug}/services/${world.services[1].id}`)).assertStatus(
      404
    )
  })
})

test.group('Public booking: booking', () => {
  test('booking a time leads to the booking page with its code, QR code and calendar file', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld()
    const date = tomorrow()
    const response = await client
      .post(`/book/${world.branch.slug}`)
      .form({
        service_id: world.service.id,
        date,
        time: '10:00',
        name: 'Sari Dewi',
        phone: '0812-3456-7890',
        request_id: randomUUID(),
      })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(303)
    const booking = await Booking.query().where('tenant_id', world.tenant.id).firstOrFail()
    assert.equal(response.header('location'), `/booking/${booking.id}`)
    assert.equal(booking.customerPhone, '+6281234567890')
    assert.equal(booking.channel, 'web')
    assert.equal(booking.locale, 'id')

    const page = await client.get(`/booking/${booking.id}`)
    page.assertStatus(200)
    page.assertTextIncludes(booking.code)
    page.assertTextIncludes('Terkonfirmasi')
    page.assertTextIncludes('<svg')
    const ics = await client.get(`/booking/${booking.id}/calendar.ics`)
    assert.include(String(ics.header('content-type')), 'text/calendar')
    const start = at(date, '10:00').toUTC().toFormat("yyyyLLdd'T'HHmmss'Z'")
    assert.include(ics.text(), `DTSTART:${start}`)
    assert.include(ics.text(), `UID:${booking.id}@loket`)
    assert.include(ics.text(), '\r\nEND:VCALENDAR\r\n')
  })

  test('a wrong phone number, a missing name or a taken time answer in Indonesian and book nothing', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld()
    const date = tomorrow()
    const form = {
      service_id: world.service.id,
      date,
      time: '10:00',
      name: 'Sari',
      phone: '0812 3456 7890',
    }
    const json = (body: Record<string, unknown>) =>
      client
        .post(`/book/${world.branch.slug}`)
        .form(body)
        .header('accept', 'application/json')
        .withCsrfToken()
        .redirects(0)

    const phone = await json({ ...form, phone: 'call me', request_id: randomUUID() })
    phone.assertStatus(422)
    assert.include(phone.body().error.message, 'Nomor HP tidak valid')
    ;(await json({ ...form, name: '', request_id: randomUUID() })).assertStatus(422)
    ;(await json({ ...form, time: '03:00', request_id: randomUUID() })).assertStatus(422)
    assert.lengthOf(await Booking.query().where('tenant_id', world.tenant.id), 0)

    ;(await json({ ...form, request_id: randomUUID() })).assertStatus(303)
    const full = await json({ ...form, request_id: randomUUID() })
    full.assertStatus(409)
    assert.include(full.body().error.message, 'baru saja penuh')
    assert.lengthOf(await Booking.query().where('tenant_id', world.tenant.id), 1)
  })

  test('without a CSRF token nothing is booked; a double tap books once', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({ settings: { quotaPerSlot: 2 } })
    const form = {
      service_id: world.service.id,
      date: tomorrow(),
      time: '10:00',
      name: 'Sari',
      phone: '0812 3456 7890',
      request_id: randomUUID(),
    }
    await client.post(`/book/${world.branch.slug}`).form(form).redirects(0)
    assert.lengthOf(await Booking.query().where('tenant_id', world.tenant.id), 0)
    const first = await client
      .post(`/book/${world.branch.slug}`)
      .form(form)
      .withCsrfToken()
      .redirects(0)
    const second = await client
      .post(`/book/${world.branch.slug}`)
      .form(form)
      .withCsrfToken()
      .redirects(0)
    assert.equal(first.header('location'), second.header('location'))
    assert.lengthOf(await Booking.query().where('tenant_id', world.tenant.id), 1)
  })

  test('50 customers booking the last place over HTTP at once: one booking, 49 told it is full', async ({
    assert,
  }) => {
    const world = await createBookingWorld()
    const date = tomorrow()
    const sessions = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const session = new HttpSession()
        await session.get(`/book/${world.branch.slug}/services/${world.service.id}?date=${date}`)
        return session
      })
    )
    const answers = await Promise.all(
      sessions.map((session, index) =>
        session.post(
          `/book/${world.branch.slug}`,
          {
            service_id: world.service.id,
            date,
            time: '15:00',
            name: `Pelanggan ${index}`,
            phone: `0812000000${String(index).padStart(2, '0')}`,
            request_id: randomUUID(),
          },
          { accept: 'application/json' }
        )
      )
    )
    const statuses = answers.map((answer) => answer.status)
    assert.equal(statuses.filter((status) => status === 303).length, 1)
    assert.equal(statuses.filter((status) => status === 409).length, 49)
    assert.lengthOf(await Booking.query().where('tenant_id', world.tenant.id), 1)
  }).timeout(60_000)
})

test.group("Public booking: the customer's own changes", (group) => {
  group.each.teardown(() => clock.reset())

  test('moving and cancelling work until the cut-off, then the page says it is too late', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({ settings: { cancellationCutoffMinutes: 120 } })
    const date = tomorrow()
    const booking = await bookings.book(world.entry, world.service, {
      date,
      time: '12:00',
      name: 'Sari',
      phone: '+6281234567890',
      channel: 'web',
    })

    const picker = await client.get(`/booking/${booking.id}/reschedule?date=${date}`)
    picker.assertStatus(200)
    picker.assertTextIncludes('Pindah jadwal booking')
    ;(
      await client
        .post(`/booking/${booking.id}/reschedule`)
        .form({ date, time: '13:00' })
        .withCsrfToken()
        .redirects(0)
    ).assertStatus(302)
    await booking.refresh()
    assert.equal(booking.localTime, '13:00')

    clock.travelTo(at(date, '11:30'))
    const page = await client.get(`/booking/${booking.id}`)
    page.assertTextIncludes('tidak bisa diubah lagi')
    assert.notInclude(page.text(), 'Batalkan booking')
    await client.post(`/booking/${booking.id}/cancel`).withCsrfToken().redirects(0)
    await booking.refresh()
    assert.equal(booking.status, 'awaiting_customer')

    clock.reset()
    ;(await client.post(`/booking/${booking.id}/cancel`).withCsrfToken().redirects(0)).assertStatus(
      302
    )
    await booking.refresh()
    assert.equal(booking.status, 'cancelled')
    assert.equal(booking.cancelReason, 'Dibatalkan oleh pelanggan')
  })

  test('"I am here" checks in within the window; the page\'s poll answers 204 until something changes', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({ settings: { earlyCheckinMinutes: 30 } })
    const date = tomorrow()
    const booking = await bookings.book(world.entry, world.service, {
      date,
      time: '09:00',
      name: 'Sari',
      channel: 'web',
    })
    clock.travelTo(at(date, '08:00'))
    const early = await client.get(`/booking/${booking.id}`)
    assert.notInclude(early.text(), 'data-testid="checkin"')
    const version = /booking-live[^>]*\?v=(\d+)/s.exec(early.text())![1]
    ;(await client.get(`/booking/${booking.id}/live?v=${version}`)).assertStatus(204)

    clock.travelTo(at(date, '08:45'))
    const page = await client.get(`/booking/${booking.id}`)
    page.assertTextIncludes('Saya sudah tiba')
    ;(
      await client.post(`/booking/${booking.id}/checkin`).withCsrfToken().redirects(0)
    ).assertStatus(302)
    await booking.refresh()
    assert.equal(booking.status, 'arrived')
    const live = await client.get(`/booking/${booking.id}/live?v=${version}`)
    live.assertStatus(200)
    live.assertTextIncludes('Anda sudah check-in')
  })

  test('an unknown or malformed booking id is 404', async ({ client }) => {
    ;(await client.get(`/booking/${randomUUID()}`)).assertStatus(404)
    ;(await client.get('/booking/not-a-uuid')).assertStatus(404)
    ;(await client.get(`/booking/${randomUUID()}/calendar.ics`)).assertStatus(404)
  })
})
