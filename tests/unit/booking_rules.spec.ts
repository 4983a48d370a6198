import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { resourceSlots, freePlaces, slotKey, type WeeklyOpening } from '#services/bookings/slots'
import { BOOKING_TRANSITIONS, canMove } from '#services/bookings/booking_state_machine'
import { parseBookingSettings, DEFAULT_BOOKING_SETTINGS } from '#models/settings/booking_settings'
import { BOOKING_STATUSES } from '#enums/booking'

const everyDay = (opensAt: string, closesAt: string): WeeklyOpening[] =>
  [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opensAt, closesAt }))
const query = (overrides: Partial<Parameters<typeof resourceSlots>[2]> = {}) => ({
  date: '2026-12-08',
  timezone: 'Asia/Jakarta',
  holidays: new Set<string>(),
  slotMinutes: 30,
  durationMinutes: 30,
  notBefore: DateTime.fromISO('2026-01-01T00:00:00Z'),
  ...overrides,
})

test.group('Booking slots', () => {
  test('a day is cut into slots from opening, and the last one ends by closing time', ({
    assert,
  }) => {
    const slots = resourceSlots(1, everyDay('09:00', '11:00'), query())
    assert.deepEqual(
      slots.map((slot) => slot.localTime),
      ['09:00', '09:30', '10:00', '10:30']
    )
  })

  test("local times are the branch's: 09:00 in Jakarta is 02:00 UTC, in Jayapura 00:00 UTC, in Kuala Lumpur 01:00 UTC", ({
    assert,
  }) => {
    const at = (timezone: string) =>
      resourceSlots(1, everyDay('09:00', '10:00'), query({ timezone }))[0].startsAt.toISO()
    assert.equal(at('Asia/Jakarta'), '2026-12-08T02:00:00.000Z')
    assert.equal(at('Asia/Jayapura'), '2026-12-08T00:00:00.000Z')
    assert.equal(at('Asia/Kuala_Lumpur'), '2026-12-08T01:00:00.000Z')
    assert.equal(at('Asia/Makassar'), '2026-12-08T01:00:00.000Z')
  })

  test("the weekday is the branch's local one, even when UTC is still the day before", ({
    assert,
  }) => {
    // 2026-12-07 is a Monday; 07:00 in Jayapura (UTC+9) is Sunday 22:00 UTC.
    const mondaysOnly: WeeklyOpening[] = [{ weekday: 1, opensAt: '07:00', closesAt: '08:00' }]
    const monday = resourceSlots(
      1,
      mondaysOnly,
      query({ date: '2026-12-07', timezone: 'Asia/Jayapura' })
    )
    assert.equal(monday[0].startsAt.toISO(), '2026-12-06T22:00:00.000Z')
    assert.lengthOf(
      resourceSlots(1, mondaysOnly, query({ date: '2026-12-08', timezone: 'Asia/Jayapura' })),
      0
    )
  })

  test('no slots on a branch holiday or a weekday the resource is closed', ({ assert }) => {
    assert.lengthOf(
      resourceSlots(1, everyDay('09:00', '12:00'), query({ holidays: new Set(['2026-12-08']) })),
      0
    )
    const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({
      weekday,
      opensAt: '09:00',
      closesAt: '12:00',
    }))
    assert.lengthOf(resourceSlots(1, weekdays, query({ date: '2026-12-13' })), 0, 'a Sunday')
    assert.lengthOf(resourceSlots(1, weekdays, query({ date: '2026-12-14' })), 6, 'a Monday')
  })

  test('a service longer than a slot takes consecutive slots and must fit before closing', ({
    assert,
  }) => {
    const slots = resourceSlots(1, everyDay('09:00', '11:00'), query({ durationMinutes: 60 }))
    assert.deepEqual(
      slots.map((slot) => slot.localTime),
      ['09:00', '09:30', '10:00']
    )
    assert.deepEqual(
      slots[0].gridStarts.map((start) => start.toISO()),
      ['2026-12-08T02:00:00.000Z', '2026-12-08T02:30:00.000Z']
    )
    assert.equal(slots[2].endsAt.toISO(), '2026-12-08T04:00:00.000Z')
  })

  test('times already past are not offered', ({ assert }) => {
    const slots = resourceSlots(
      1,
      everyDay('09:00', '11:00'),
      query({ notBefore: DateTime.fromISO('2026-12-08T09:10:00', { zone: 'Asia/Jakarta' }) })
    )
    assert.deepEqual(
      slots.map((slot) => slot.localTime),
      ['09:30', '10:00', '10:30']
    )
  })

  test('free places are the fewest left over the slots a booking takes', ({ assert }) => {
    const [slot] = resourceSlots(7, everyDay('09:00', '11:00'), query({ durationMinutes: 60 }))
    const booked = new Map([[slotKey(7, slot.gridStarts[1]), 2]])
    assert.equal(freePlaces(slot, booked, 3), 1)
    assert.equal(freePlaces(slot, new Map(), 3), 3)
    assert.equal(freePlaces(slot, new Map([[slotKey(7, slot.gridStarts[0]), 5]]), 3), 0)
  })
})

test.group('Booking state machine', () => {
  test('the happy path: pending payment, awaiting the customer, arrived, ongoing, done', ({
    assert,
  }) => {
    assert.isTrue(canMove('pending_payment', 'pay'))
    assert.isTrue(canMove('awaiting_customer', 'arrive'))
    assert.isTrue(canMove('arrived', 'start'))
    assert.isTrue(canMove('ongoing', 'finish'))
  })

  test('illegal moves are refused: a done booking does not start, an unpaid one does not arrive', ({
    assert,
  }) => {
    assert.isFalse(canMove('done', 'start'))
    assert.isFalse(canMove('pending_payment', 'arrive'))
    assert.isFalse(canMove('ongoing', 'cancel'))
    assert.isFalse(canMove('expired', 'pay'))
    assert.isFalse(canMove('arrived', 'no_show'))
  })

  test('every transition ends in a known status and final statuses lead nowhere', ({ assert }) => {
    for (const { from, to } of Object.values(BOOKING_TRANSITIONS)) {
      assert.include(BOOKING_STATUSES, to)
      for (const status of from)
        assert.notInclude(['done', 'expired', 'cancelled', 'no_show'], status)
    }
  })
})

test.group('Booking settings', () => {
  test('defaults fill what a tenant never set, and broken JSON reads as defaults', ({ assert }) => {
    const parsed = parseBookingSettings(
      JSON.stringify({ arrivalToleranceMinutes: 10, blending: { mode: 'auto' } })
    )
    assert.equal(parsed.arrivalToleranceMinutes, 10)
    assert.equal(parsed.blending.mode, 'auto')
    assert.equal(
      parsed.blending.autoMinutesBefore,
      DEFAULT_BOOKING_SETTINGS.blending.autoMinutesBefore
    )
    assert.deepEqual(parseBookingSettings('{oops'), DEFAULT_BOOKING_SETTINGS)
    assert.equal(
      parseBookingSettings(JSON.stringify({ blending: { mode: 'bogus' } })).blending.mode,
      'checkin'
    )
  })
})
