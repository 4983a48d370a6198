import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import type Booking from '#models/booking'
import { parseBookingReference } from '#services/bookings/booking_lookup'
import { sessionView, staffActions } from '#services/bookings/booking_board'
import { formatPrice, majorAmountText, parseMajorAmount } from '#support/prices'

test.group('Booking references: what a scanner or a person typed', () => {
  test("the booking's link gives its id, wherever the UUID sits and in any case", ({ assert }) => {
    const id = '0b9d6f0e-5d4f-4f8e-9a51-7c0e4d2b9a11'
    assert.deepEqual(parseBookingReference(`https://antre.klinik.id/booking/${id}`), { id })
    assert.deepEqual(
      parseBookingReference(`HTTPS://ANTRE.KLINIK.ID/BOOKING/${id.toUpperCase()}?lang=en`),
      { id }
    )
    assert.deepEqual(parseBookingReference(id), { id })
  })

  test('a code is read in any case, with spaces or dashes, with or without BK', ({ assert }) => {
    for (const typed of ['BK7Q3XM', 'bk7q3xm', ' BK 7Q3-XM ', '7Q3XM', '7q3xm']) {
      assert.deepEqual(parseBookingReference(typed), { code: 'BK7Q3XM' }, typed)
    }
  })

  test('anything else is no reference: wrong length, letters codes never use, other text', ({
    assert,
  }) => {
    for (const typed of [
      'BK7Q3X',
      'BK7Q3XMM',
      'BKOOOOO',
      'BK11111',
      'hello world',
      '',
      'https://example.com/booking/123',
    ]) {
      assert.isNull(parseBookingReference(typed), typed)
    }
  })
})

test.group(
  'Prices: typed in the major unit, kept in minor units, shown as their country writes them',
  () => {
    test('rupiah with or without thousands separators; ringgit with its sen', ({ assert }) => {
      const cases: [string, number][] = [
        ['25000', 2_500_000],
        ['25.000', 2_500_000],
        ['25.505', 2_550_500],
        ['25,000', 2_500_000],
        ['25 000', 2_500_000],
        ['1.250.000', 125_000_000],
        ['25.50', 2550],
        ['25,50', 2550],
        ['25.5', 2550],
        ['1,250.50', 125_050],
        ['0', 0],
      ]
      for (const [typed, minor] of cases) assert.equal(parseMajorAmount(typed), minor, typed)
    })

    test('refuses what is not an amount', ({ assert }) => {
      for (const typed of ['', 'abc', '-5', '25.5055', '2.5.0', '25,5,0', '1.25.000'])
        assert.isNull(parseMajorAmount(typed), typed)
    })

    test('shows Rp 25.000 and RM 25.50, and gives the form its field back', ({ assert }) => {
      assert.equal(formatPrice(2_500_000, 'IDR').replace(/\u00a0/g, ' '), 'Rp 25.000')
      assert.equal(formatPrice(2550, 'MYR').replace(/\u00a0/g, ' '), 'RM 25.50')
      assert.equal(majorAmountText(2_500_000, 'IDR'), '25000')
      assert.equal(majorAmountText(2550, 'MYR'), '25.50')
    })
  }
)

test.group('Staff actions and sessions', () => {
  test('each status offers the one-click moves the state machine allows', ({ assert }) => {
    assert.deepEqual(staffActions('awaiting_customer'), {
      checkIn: true,
      start: true,
      finish: false,
      cancel: true,
      reschedule: true,
    })
    assert.deepEqual(staffActions('arrived'), {
      checkIn: false,
      start: true,
      finish: false,
      cancel: false,
      reschedule: false,
    })
    assert.deepEqual(staffActions('ongoing'), {
      checkIn: false,
      start: false,
      finish: true,
      cancel: false,
      reschedule: false,
    })
    assert.deepEqual(staffActions('pending_payment'), {
      checkIn: false,
      start: false,
      finish: false,
      cancel: true,
      reschedule: true,
    })
    for (const status of ['done', 'expired', 'cancelled', 'no_show'] as const) {
      assert.isFalse(Object.values(staffActions(status)).some(Boolean), status)
    }
  })

  test('a running session counts down to its planned end and flags the overrun once past it', ({
    assert,
  }) => {
    const now = DateTime.fromISO('2026-11-22T09:05:00Z') as DateTime<true>
    const booking = {
      id: 'b',
      code: 'BK7Q3XM',
      status: 'ongoing',
      customerName: 'Sari',
      startsAt: DateTime.fromISO('2026-11-22T09:00:00Z'),
      startedAt: DateTime.fromISO('2026-11-22T09:01:00Z'),
      sessionEndsAt: DateTime.fromISO('2026-11-22T09:16:00Z'),
    } as unknown as Booking
    assert.containsSubset(sessionView(booking, now), {
      seconds_left: 660,
      overrun: false,
      session_ends_at: '2026-11-22T09:16:00.000Z',
    })
    assert.containsSubset(sessionView(booking, now.plus({ minutes: 12 })), {
      seconds_left: 0,
      overrun: true,
    })
    const waiting = {
      ...booking,
      status: 'arrived',
      startedAt: null,
      sessionEndsAt: null,
    } as unknown as Booking
    assert.containsSubset(sessionView(waiting, now), {
      seconds_left: null,
      overrun: false,
      started_at: null,
    })
  })
})
