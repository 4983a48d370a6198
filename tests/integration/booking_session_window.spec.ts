import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import Booking from '#models/booking'
import BookingService from '#services/bookings/booking_service'
import clock from '#support/clock'
import { bookingAtNine, bookingEvents, jakartaAt as at, tomorrow } from '#tests/helpers/bookings'
import { expectedRejection } from '#tests/helpers/errors'
import app from '@adonisjs/core/services/app'

const bookings = await app.container.make(BookingService)

test.group('Bookings: a session starts within the arrival window', (group) => {
  group.each.teardown(() => clock.reset())

  test('8.5 hours early the start is refused like the check-in, and nothing changes', async ({
    assert,
  }) => {
    const { world, booking } = await bookingAtNine()
    clock.travelTo(at(tomorrow(), '00:30'))

    const checkIn = await expectedRejection(
      bookings.checkIn(booking.id, world.tenant.id, { by: world.operator })
    )
    assert.equal(checkIn.key, 'booking_too_early')
    const start = await expectedRejection(
      bookings.start(booking.id, world.tenant.id, { by: world.operator })
    )
    assert.equal(start.key, 'booking_start_too_early')
    assert.equal(start.status, 409)
    assert.deepEqual(start.params, { time: '08:00' })

    const unchanged = await Booking.findOrFail(booking.id)
    assert.equal(unchanged.status, 'awaiting_customer')
    assert.isNull(unchanged.startedAt)
    assert.lengthOf(await bookingEvents(booking.id, 'started'), 0)
  })

  test('from the opening of check-in the session starts, checked in or not', async ({ assert }) => {
    const { world, booking } = await bookingAtNine()
    clock.travelTo(at(tomorrow(), '08:00'))
    const started = await bookings.start(booking.id, world.tenant.id, { by: world.operator })
    assert.equal(started.status, 'ongoing')
    const event = await bookingEvents(booking.id, 'started').firstOrFail()
    assert.isNull(event.reason)
    assert.isNull(event.data)
  })

  test('a customer who never checked in cannot start past the tolerance; one who did still can', async ({
    assert,
  }) => {
    const { world, booking } = await bookingAtNine()
    const other = await bookings.book(world.entry, world.service, {
      date: tomorrow(),
      time: '09:30',
      name: 'Budi',
      channel: 'web',
    })
    clock.travelTo(at(tomorrow(), '09:16'))
    const late = await expectedRejection(
      bookings.start(booking.id, world.tenant.id, { by: world.operator })
    )
    assert.equal(late.key, 'booking_start_too_late')
    assert.deepEqual(late.params, { time: '09:15' })

    clock.travelTo(at(tomorrow(), '09:40'))
    await bookings.checkIn(other.id, world.tenant.id, { by: world.operator })
    clock.travelTo(at(tomorrow(), '09:50'))
    const started = await bookings.start(other.id, world.tenant.id, { by: world.operator })
    assert.equal(started.status, 'ongoing')
  })

  test('staff may start outside the window with a reason: kept on the event and in the audit log', async ({
    assert,
  }) => {
    const { world, booking } = await bookingAtNine()
    clock.travelTo(at(tomorrow(), '00:30'))
    const started = await bookings.start(booking.id, world.tenant.id, {
      by: world.operator,
      ip: '10.0.0.7',
      outsideWindow: { reason: '  Acara dimajukan oleh panitia  ' },
    })
    assert.equal(started.status, 'ongoing')
    assert.isNotNull(started.sessionEndsAt)

    const event = await bookingEvents(booking.id, 'started').firstOrFail()
    assert.equal(event.reason, 'Acara dimajukan oleh panitia')
    assert.equal(event.userId, world.operator.id)
    assert.deepEqual(event.data, { outside_window: 'early', minutes_from_start: -510 })

    const audit = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .where('action', 'booking.start_outside_window')
      .firstOrFail()
    assert.equal(audit.subjectId, booking.id)
    assert.equal(audit.userId, world.operator.id)
    assert.equal(audit.ip, '10.0.0.7')
    assert.deepInclude(audit.changes, {
      code: booking.code,
      window: 'early',
      reason: 'Acara dimajukan oleh panitia',
    })
  })

  test('an override without a reason is refused (422) and starts nothing', async ({ assert }) => {
    const { world, booking } = await bookingAtNine()
    clock.travelTo(at(tomorrow(), '00:30'))
    for (const reason of [null, '', '  ', 'ok']) {
      const error = await expectedRejection(
        bookings.start(booking.id, world.tenant.id, {
          by: world.operator,
          outsideWindow: { reason },
        })
      )
      assert.equal(error.key, 'booking_start_override_reason')
      assert.equal(error.status, 422)
    }
    assert.equal((await Booking.findOrFail(booking.id)).status, 'awaiting_customer')
    const audits = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .where('action', 'booking.start_outside_window')
    assert.lengthOf(audits, 0)
  })
})
