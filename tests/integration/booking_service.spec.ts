import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Booking from '#models/booking'
import BookingEvent from '#models/booking_event'
import Ticket from '#models/ticket'
import Notification from '#models/notification'
import BookingService from '#services/bookings/booking_service'
import BookingCron from '#services/bookings/booking_cron'
import QueueEngine from '#services/queue/queue_engine'
import DomainError from '#exceptions/domain_error'
import clock from '#support/clock'
import { seat } from '#tests/helpers/world'
import { bookingEvents, createBookingWorld, jakartaAt, tomorrow } from '#tests/helpers/bookings'
import { messageVisitors } from '#tests/helpers/outbox'
import { rejection } from '#tests/helpers/errors'
import app from '@adonisjs/core/services/app'

const bookingCron = await app.container.make(BookingCron)

const bookings = await app.container.make(BookingService)
const engine = await app.container.make(QueueEngine)

const customer = (extra: Record<string, unknown> = {}) => ({
  name: 'Sari',
  phone: '+6281234567890',
  channel: 'web' as const,
  ...extra,
})

/** The moment `time` on `date` in Jakarta. */
const at = (date: string, time: string) =>
  DateTime.fromISO(`${date}T${time}`, { zone: 'Asia/Jakarta' })

test.group('Bookings: taking a place', (group) => {
  group.each.teardown(() => clock.reset())

  test('a booking takes the slot\'s place; the next customer hears it is full; "any booth" finds the free one', async ({
    assert,
  }) => {
    const world = await createBookingWorld({ resources: 2 })
    const date = tomorrow()
    const first = await bookings.book(world.entry, world.service, {
      date,
      time: '09:00',
      resourceId: world.resources[0].id,
      ...customer(),
    })
    assert.equal(first.status, 'awaiting_customer')
    assert.equal(first.resourceId, world.resources[0].id)
    assert.match(first.code, /^BK[A-Z2-9]{5}$/)
    assert.equal(first.startsAt.toISO(), at(date, '09:00').toUTC().toISO())

    const full = await rejection(
      bookings.book(world.entry, world.service, {
        date,
        time: '09:00',
        resourceId: world.resources[0].id,
        ...customer(),
      })
    )
    assert.equal(full?.key, 'booking_slot_full')
    assert.equal(full?.status, 409)

    const any = await bookings.book(world.entry, world.service, {
      date,
      time: '09:00',
      ...customer(),
    })
    assert.equal(any.resourceId, world.resources[1].id)
    const times = await bookings.availability(world.entry, world.service, date)
    assert.equal(times.find((time) => time.time === '09:00')?.free, 0)
    assert.equal(times.find((time) => time.time === '09:30')?.free, 2)

    const events = await BookingEvent.query().where('booking_id', first.id)
    assert.deepEqual(
      events.map((event) => [event.type, event.toStatus]),
      [['created', 'awaiting_customer']]
    )
  })

  test('a time that is not offered (closed, past, off the grid) is refused with 422', async ({
    assert,
  }) => {
    const world = await createBookingWorld()
    const date = tomorrow()
    for (const time of ['07:30', '09:10', '17:00']) {
      const error = await rejection(
        bookings.book(world.entry, world.service, { date, time, ...customer() })
      )
      assert.equal(error?.key, 'booking_time_unavailable', time)
      assert.equal(error?.status, 422)
    }
    const yesterday = DateTime.now().setZone('Asia/Jakarta').minus({ days: 1 }).toISODate()!
    assert.equal(
      (
        await rejection(
          bookings.book(world.entry, world.service, {
            date: yesterday,
            time: '09:00',
            ...customer(),
          })
        )
      )?.key,
      'booking_time_unavailable'
    )
    assert.lengthOf(await Booking.query().where('tenant_id', world.tenant.id), 0)
  })

  test('a quota of 3 per slot takes exactly 3, and a 60-minute service takes two slots', async ({
    assert,
  }) => {
    const world = await createBookingWorld({ settings: { quotaPerSlot: 3 } })
    const date = tomorrow()
    for (let index = 0; index < 3; index++)
      await bookings.book(world.entry, world.service, { date, time: '10:00', ...customer() })
    assert.equal(
      (
        await rejection(
          bookings.book(world.entry, world.service, { date, time: '10:00', ...customer() })
        )
      )?.key,
      'booking_slot_full'
    )

    world.service.durationMinutes = 60
    await world.service.save()
    const long = await bookings.book(world.entry, world.service, {
      date,
      time: '11:00',
      ...customer(),
    })
    assert.equal(long.endsAt.diff(long.startsAt, 'minutes').minutes, 60)
    const rows = await db
      .from('resource_slots')
      .where('resource_id', world.resources[0].id)
      .where('booked', '>', 0)
      .orderBy('starts_at')
    assert.deepEqual(
      rows.map((row) => Number(row.booked)),
      [3, 1, 1]
    )
    const times = await bookings.availability(world.entry, world.service, date)
    assert.equal(times.find((time) => time.time === '10:30')?.free, 2)
    assert.equal(times.find((time) => time.time === '11:00')?.free, 2)
  })

  test('a repeated request id returns the first booking and takes no second place', async ({
    assert,
  }) => {
    const world = await createBookingWorld({ settings: { quotaPerSlot: 2 } })
    const input = {
      date: tomorrow(),
      time: '09:00',
      requestId: 'c0ffee00-0000-4000-8000-000000000001',
      ...customer(),
    }
    const first = await bookings.book(world.entry, world.service, input)
    const again = await bookings.book(world.entry, world.service, input)
    assert.equal(again.id, first.id)
    assert.lengthOf(await Booking.query().where('tenant_id', world.tenant.id), 1)
  })

  test('50 customers booking the last place at once: exactly one gets it', async ({ assert }) => {
    const world = await createBookingWorld()
    const date = tomorrow()
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, index) =>
        bookings.book(world.entry, world.service, {
          date,
          time: '13:00',
          ...customer({ name: `C${index}` }),
        })
      )
    )
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled')
    const lost = outcomes.filter(
      (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected'
    )
    assert.lengthOf(won, 1)
    assert.lengthOf(lost, 49)
    for (const { reason } of lost) assert.equal((reason as DomainError).key, 'booking_slot_full')
    const slot = await db
      .from('resource_slots')
      .where('resource_id', world.resources[0].id)
      .where('booked', '>', 0)
    assert.deepEqual(
      slot.map((row) => Number(row.booked)),
      [1]
    )
  }).timeout(60_000)
})

test.group('Bookings: paying', (group) => {
  group.each.teardown(() => clock.reset())

  test('a prepaid service waits for its payment; paying confirms it once; unpaid ones are released', async ({
    assert,
  }) => {
    const world = await createBookingWorld({
      price: 5_000_000,
      prepay: true,
      settings: { paymentMinutes: 20 },
    })
    await messageVisitors(world)
    // 07:00 in Jakarta: tomorrow's 09:00 is more than a day away, so no day-before reminder is due.
    const today = DateTime.now().setZone('Asia/Jakarta').toISODate()!
    clock.travelTo(jakartaAt(today, '07:00'))
    const date = DateTime.fromISO(today).plus({ days: 1 }).toISODate()!
    const paid = await bookings.book(world.entry, world.service, {
      date,
      time: '09:00',
      ...customer(),
    })
    assert.equal(paid.status, 'pending_payment')
    assert.equal(paid.price, 5_000_000)
    assert.equal(paid.currency, 'IDR')
    assert.approximately(paid.payBy!.diff(clock.now(), 'minutes').minutes, 20, 1)

    await bookings.markPaid(paid.id, world.tenant.id)
    await bookings.markPaid(paid.id, world.tenant.id)
    await paid.refresh()
    assert.equal(paid.status, 'awaiting_customer')
    assert.isNotNull(paid.paidAt)
    assert.lengthOf(await bookingEvents(paid.id, 'paid'), 1)

    const unpaid = await bookings.book(world.entry, world.service, {
      date,
      time: '09:30',
      ...customer(),
    })
    clock.travelTo(clock.now().plus({ minutes: 21 }))
    const done = await bookingCron.run()
    assert.equal(done.expired, 1)
    await unpaid.refresh()
    assert.equal(unpaid.status, 'expired')
    assert.equal(
      (await bookings.availability(world.entry, world.service, date)).find(
        (time) => time.time === '09:30'
      )?.free,
      1
    )

    const messages = await Notification.query().where('tenant_id', world.tenant.id).orderBy('id')
    assert.deepEqual(
      messages.map((message) => message.event),
      ['booking_payment_due', 'booking_confirmed', 'booking_payment_due', 'booking_expired']
    )
    assert.include(messages[1].body, paid.code)
  })
})

test.group('Bookings: arrival, sessions and the queue', (group) => {
  group.each.teardown(() => clock.reset())

  test('arriving within the tolerance marks arrived; too early is refused; too late expires ("hangus")', async ({
    assert,
  }) => {
    const world = await createBookingWorld({
      settings: { arrivalToleranceMinutes: 15, earlyCheckinMinutes: 60 },
    })
    const date = tomorrow()
    const onTime = await bookings.book(world.entry, world.service, {
      date,
      time: '09:00',
      ...customer(),
    })
    const late = await bookings.book(world.entry, world.service, {
      date,
      time: '10:00',
      ...customer(),
    })

    clock.travelTo(at(date, '07:30'))
    assert.equal(
      (await rejection(bookings.checkIn(onTime.id, world.tenant.id, { by: null })))?.key,
      'booking_too_early'
    )
    clock.travelTo(at(date, '09:14'))
    const arrived = await bookings.checkIn(onTime.id, world.tenant.id, { by: null })
    assert.equal(arrived.status, 'arrived')
    assert.isNull(arrived.ticketId, 'booths do not join the queue')
    assert.equal(
      (await rejection(bookings.checkIn(onTime.id, world.tenant.id, { by: null })))?.key,
      'booking_illegal_arrive'
    )

    clock.travelTo(at(date, '10:16'))
    const expired = await bookings.checkIn(late.id, world.tenant.id, { by: null })
    assert.equal(expired.status, 'expired')
    const event = await bookingEvents(late.id, 'late').firstOrFail()
    assert.equal(event.data?.minutes_late, 16)
  })

  test("a session runs for the tenant's session length; finishing late records the overrun", async ({
    assert,
  }) => {
    const world = await createBookingWorld({ settings: { sessionDurationMinutes: 10 } })
    const date = tomorrow()
    const booking = await bookings.book(world.entry, world.service, {
      date,
      time: '09:00',
      ...customer(),
    })
    assert.equal(
      (await rejection(bookings.finish(booking.id, world.tenant.id, { by: world.operator })))?.key,
      'booking_illegal_finish'
    )
    clock.travelTo(at(date, '09:00'))
    await bookings.checkIn(booking.id, world.tenant.id, { by: world.operator })
    const started = await bookings.start(booking.id, world.tenant.id, { by: world.operator })
    assert.equal(started.status, 'ongoing')
    assert.equal(started.sessionEndsAt!.diff(started.startedAt!, 'minutes').minutes, 10)
    clock.travelTo(at(date, '09:12'))
    const done = await bookings.finish(booking.id, world.tenant.id, { by: world.operator })
    assert.equal(done.status, 'done')
    const event = await bookingEvents(booking.id, 'finished').firstOrFail()
    assert.approximately(Number(event.data?.overrun_seconds), 120, 2)
    assert.equal(event.userId, world.operator.id)
  })

  test('with check-in blending, arriving takes an appointment ticket; serving and completing it runs the booking', async ({
    assert,
  }) => {
    const world = await createBookingWorld({
      settings: { blending: { mode: 'checkin', autoMinutesBefore: 15 } },
    })
    const date = tomorrow()
    const booking = await bookings.book(world.entry, world.service, {
      date,
      time: '09:00',
      ...customer(),
    })
    clock.travelTo(at(date, '08:55'))
    const arrived = await bookings.checkIn(booking.id, world.tenant.id, { by: null })
    const ticket = await Ticket.findOrFail(arrived.ticketId)
    assert.equal(ticket.priority, 'appointment')
    assert.equal(ticket.channel, 'booking')
    assert.equal(ticket.bookingId, booking.id)
    assert.equal(ticket.customerName, 'Sari')

    await seat(world.counters[0], world.operator)
    const called = await engine.callNext(world.branch, {
      counter: world.counters[0],
      by: world.operator,
    })
    assert.equal(called?.id, ticket.id)
    await engine.start(ticket, { counter: world.counters[0], by: world.operator })
    await booking.refresh()
    assert.equal(booking.status, 'ongoing')
    await engine.complete(ticket, { counter: world.counters[0], by: world.operator })
    await booking.refresh()
    assert.equal(booking.status, 'done')
    const types = (await BookingEvent.query().where('booking_id', booking.id).orderBy('id')).map(
      (event) => event.type
    )
    assert.deepEqual(types, ['created', 'arrived', 'started', 'finished'])
  })

  test('auto blending enqueues the appointment N minutes before its start, once', async ({
    assert,
  }) => {
    const world = await createBookingWorld({
      settings: { blending: { mode: 'auto', autoMinutesBefore: 20 } },
    })
    const date = tomorrow()
    const booking = await bookings.book(world.entry, world.service, {
      date,
      time: '09:00',
      ...customer(),
    })
    clock.travelTo(at(date, '08:30'))
    assert.equal((await bookingCron.run()).enqueued, 0)
    clock.travelTo(at(date, '08:41'))
    assert.equal((await bookingCron.run()).enqueued, 1)
    assert.equal((await bookingCron.run()).enqueued, 0)
    await booking.refresh()
    assert.isNotNull(booking.ticketId)
    assert.equal(booking.status, 'awaiting_customer')
    const arrived = await bookings.checkIn(booking.id, world.tenant.id, { by: null })
    assert.equal(arrived.ticketId, booking.ticketId)
    assert.lengthOf(await Ticket.query().where('booking_id', booking.id), 1)
  })
})

test.group('Bookings: changes', (group) => {
  group.each.teardown(() => clock.reset())

  test('customers cancel or move until the cut-off; staff may later', async ({ assert }) => {
    const world = await createBookingWorld({ settings: { cancellationCutoffMinutes: 120 } })
    const date = tomorrow()
    const booking = await bookings.book(world.entry, world.service, {
      date,
      time: '12:00',
      ...customer(),
    })
    clock.travelTo(at(date, '09:00'))
    const moved = await bookings.reschedule(
      booking.id,
      world.tenant.id,
      { date, time: '14:00' },
      { by: null, byCustomer: true }
    )
    assert.equal(moved.localTime, '14:00')
    const times = await bookings.availability(world.entry, world.service, date)
    assert.equal(
      times.find((time) => time.time === '12:00')?.free,
      1,
      'the old place is free again'
    )
    assert.equal(times.find((time) => time.time === '14:00')?.free, 0)

    clock.travelTo(at(date, '12:30'))
    const refused = await rejection(
      bookings.cancel(booking.id, world.tenant.id, { by: null, reason: 'sakit', byCustomer: true })
    )
    assert.equal(refused?.key, 'booking_cutoff_passed')
    const cancelled = await bookings.cancel(booking.id, world.tenant.id, {
      by: world.admin,
      reason: 'Pelanggan menelepon',
    })
    assert.equal(cancelled.status, 'cancelled')
    assert.equal(cancelled.cancelReason, 'Pelanggan menelepon')
  })

  test('an admin overrides any status with a reason, kept with who, from and to; no reason is refused', async ({
    assert,
  }) => {
    const world = await createBookingWorld()
    const booking = await bookings.book(world.entry, world.service, {
      date: tomorrow(),
      time: '09:00',
      ...customer(),
    })
    const noReason = await rejection(
      bookings.override(
        booking.id,
        world.tenant.id,
        { to: 'done', reason: ' ' },
        { by: world.admin }
      )
    )
    assert.equal(noReason?.status, 422)
    await bookings.override(
      booking.id,
      world.tenant.id,
      { to: 'expired', reason: 'Printer booth rusak' },
      { by: world.admin }
    )
    await booking.refresh()
    assert.equal(booking.status, 'expired')
    const event = await bookingEvents(booking.id, 'overridden').firstOrFail()
    assert.deepInclude(event.$attributes, {
      fromStatus: 'awaiting_customer',
      toStatus: 'expired',
      reason: 'Printer booth rusak',
      userId: world.admin.id,
    })
    // Back to a place-holding status takes the place again (and refuses when it is gone).
    await bookings.book(world.entry, world.service, {
      date: tomorrow(),
      time: '09:00',
      ...customer({ name: 'Budi' }),
    })
    const full = await rejection(
      bookings.override(
        booking.id,
        world.tenant.id,
        { to: 'awaiting_customer', reason: 'salah klik' },
        { by: world.admin }
      )
    )
    assert.equal(full?.key, 'booking_slot_full')
  })

  test("another tenant's booking is not found", async ({ assert }) => {
    const world = await createBookingWorld()
    const other = await createBookingWorld()
    const booking = await bookings.book(world.entry, world.service, {
      date: tomorrow(),
      time: '09:00',
      ...customer(),
    })
    for (const attempt of [
      () => bookings.checkIn(booking.id, other.tenant.id, { by: null }),
      () => bookings.cancel(booking.id, other.tenant.id, { by: null, reason: 'x' }),
      () =>
        bookings.override(
          booking.id,
          other.tenant.id,
          { to: 'done', reason: 'x' },
          { by: other.admin }
        ),
    ]) {
      // One at a time: a rejection nobody awaits yet would be unhandled.
      const error = await rejection(attempt())
      assert.equal(error?.status, 404)
    }
  })
})

test.group('Bookings: reminders and no-shows', (group) => {
  group.each.teardown(() => clock.reset())

  test('a booking made days ahead is reminded the day before and the hour before, once each; a missed one becomes a no-show', async ({
    assert,
  }) => {
    const world = await createBookingWorld({ settings: { noShowGraceMinutes: 30 } })
    await messageVisitors(world)
    const date = DateTime.now().setZone('Asia/Jakarta').plus({ days: 3 }).toISODate()!
    const booking = await bookings.book(world.entry, world.service, {
      date,
      time: '10:00',
      ...customer(),
    })

    clock.travelTo(at(date, '10:30').minus({ days: 1 }))
    assert.equal((await bookingCron.run()).reminded, 1)
    assert.equal((await bookingCron.run()).reminded, 0)
    clock.travelTo(at(date, '09:05'))
    assert.equal((await bookingCron.run()).reminded, 1)
    clock.travelTo(at(date, '10:20'))
    assert.equal((await bookingCron.run()).noShows, 0)
    clock.travelTo(at(date, '10:31'))
    assert.equal((await bookingCron.run()).noShows, 1)
    await booking.refresh()
    assert.equal(booking.status, 'no_show')
    const events = (
      await Notification.query().where('tenant_id', world.tenant.id).orderBy('id')
    ).map((message) => message.event)
    assert.deepEqual(events, ['booking_confirmed', 'booking_reminder_day', 'booking_reminder_hour'])
  })
})
