import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import Booking from '#models/booking'
import clock from '#support/clock'
import { bookingAtNine, bookingEvents, jakartaAt as at, tomorrow } from '#tests/helpers/bookings'

test.group('Staff bookings: starting a session outside the arrival window', (group) => {
  group.each.teardown(() => clock.reset())

  test('too early answers 409 with the reason in Indonesian; the page offers the override with a reason', async ({
    client,
    assert,
  }) => {
    const { world, booking } = await bookingAtNine()
    clock.travelTo(at(tomorrow(), '00:30'))

    const refused = await client
      .post(`/app/bookings/${booking.id}/start`)
      .form({})
      .withCsrfToken()
      .loginAs(world.operator)
      .header('HX-Request', 'true')
    refused.assertStatus(409)
    refused.assertTextIncludes('Sesi belum bisa dimulai')
    refused.assertTextIncludes('08:00')

    assert.equal((await Booking.findOrFail(booking.id)).status, 'awaiting_customer')

    const page = await client.get(`/app/bookings/${booking.id}`).loginAs(world.operator)
    page.assertStatus(200)
    page.assertTextIncludes('data-testid="start-outside-window"')
    page.assertTextIncludes('name="outside_window"')
    page.assertTextIncludes('08:00–09:15')
  })

  test('within the window the plain start works and the page offers the one-click button', async ({
    client,
    assert,
  }) => {
    const { world, booking } = await bookingAtNine()
    clock.travelTo(at(tomorrow(), '08:10'))
    const page = await client.get(`/app/bookings/${booking.id}`).loginAs(world.operator)
    assert.notInclude(page.text(), 'data-testid="start-outside-window"')

    const started = await client
      .post(`/app/bookings/${booking.id}/start`)
      .form({})
      .withCsrfToken()
      .loginAs(world.operator)
      .header('HX-Request', 'true')
    started.assertStatus(200)
    started.assertTextIncludes('data-status="ongoing"')
  })

  test('the override with a reason starts it and is recorded; without a reason it is a 422', async ({
    client,
    assert,
  }) => {
    const { world, booking } = await bookingAtNine()
    clock.travelTo(at(tomorrow(), '00:30'))

    const noReason = await client
      .post(`/app/bookings/${booking.id}/start`)
      .form({ outside_window: '1', reason: '' })
      .withCsrfToken()
      .loginAs(world.operator)
      .header('HX-Request', 'true')
    noReason.assertStatus(422)
    noReason.assertTextIncludes('Tuliskan alasan memulai sesi di luar jadwal')
    assert.equal((await Booking.findOrFail(booking.id)).status, 'awaiting_customer')

    const started = await client
      .post(`/app/bookings/${booking.id}/start`)
      .form({ outside_window: '1', reason: 'Acara dimajukan panitia' })
      .withCsrfToken()
      .loginAs(world.operator)
      .header('HX-Request', 'true')
    started.assertStatus(200)
    started.assertTextIncludes('data-status="ongoing"')
    started.assertTextIncludes('Acara dimajukan panitia')

    const event = await bookingEvents(booking.id, 'started').firstOrFail()
    assert.equal(event.reason, 'Acara dimajukan panitia')
    assert.equal(event.userId, world.operator.id)
    assert.equal(event.data?.outside_window, 'early')
    const audit = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .where('action', 'booking.start_outside_window')
      .firstOrFail()
    assert.equal(audit.subjectId, booking.id)
    assert.equal(audit.userId, world.operator.id)
  })
})
