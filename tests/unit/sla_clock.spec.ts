import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import {
  addBusinessSeconds,
  aroundTheClock,
  businessSecondsBetween,
  calendarFrom,
  isBusinessTime,
  type BusinessCalendar,
} from '#services/inbox/sla_clock'

const MINUTE = 60
const HOUR = 3600

/** Rows of branch_hours: the same interval(s) on Monday to Friday. */
const weekdays = (...intervals: [string, string][]) =>
  [1, 2, 3, 4, 5].flatMap((weekday) =>
    intervals.map(([opensAt, closesAt]) => ({ weekday, opensAt, closesAt }))
  )

const local = (zone: string) => (iso: string) => DateTime.fromISO(iso, { zone })
const jakarta = local('Asia/Jakarta')
const kualaLumpur = local('Asia/Kuala_Lumpur')
const berlin = local('Europe/Berlin')
const utc = (at: DateTime) => at.toUTC().toISO()

// January 2025: Friday the 10th, 24th and 31st; Isra Mi'raj on Monday the 27th, Chinese New Year
// on Wednesday the 29th.
const office = calendarFrom('Asia/Jakarta', weekdays(['08:00', '17:00']), [
  { date: '2025-01-27' },
  { date: '2025-01-29' },
])

test.group('SLA clock: around the clock', () => {
  test('adds plain time, in UTC', ({ assert }) => {
    const calendar = aroundTheClock('Asia/Jakarta')
    const due = addBusinessSeconds(jakarta('2025-01-11T23:30'), 90 * MINUTE, calendar)
    assert.equal(utc(due), '2025-01-11T18:00:00.000Z')
    assert.equal(due.zoneName, 'UTC')
    assert.equal(
      businessSecondsBetween(jakarta('2025-01-11T23:30'), jakarta('2025-01-14T23:30'), calendar),
      3 * 24 * HOUR
    )
  })

  test('0 seconds is the start itself; milliseconds are kept and fractions rounded', ({
    assert,
  }) => {
    const calendar = aroundTheClock('Asia/Jakarta')
    const start = jakarta('2025-01-11T10:00:00.250')
    assert.equal(addBusinessSeconds(start, 0, calendar).toMillis(), start.toMillis())
    assert.equal(addBusinessSeconds(start, 1.5, calendar).toMillis(), start.toMillis() + 1500)
    assert.equal(addBusinessSeconds(start, 0.0004, calendar).toMillis(), start.toMillis())
    assert.equal(businessSecondsBetween(start, start.plus({ milliseconds: 1250 }), calendar), 1.25)
  })

  test('no hour rows means 24/7, but the holidays stay closed', ({ assert }) => {
    const calendar = calendarFrom('Asia/Jakarta', [], [{ date: '2025-01-27' }])
    assert.isTrue(isBusinessTime(jakarta('2025-01-26T03:00'), calendar))
    assert.isFalse(isBusinessTime(jakarta('2025-01-27T12:00'), calendar))
    assert.equal(
      utc(addBusinessSeconds(jakarta('2025-01-26T23:00'), 2 * HOUR, calendar)),
      jakarta('2025-01-28T01:00').toUTC().toISO()
    )
    assert.equal(
      businessSecondsBetween(jakarta('2025-01-26T00:00'), jakarta('2025-01-29T00:00'), calendar),
      2 * 24 * HOUR
    )
  })
})

test.group('SLA clock: office hours Mon-Fri 08:00-17:00 in Asia/Jakarta', () => {
  test('5 minutes due at 16:58 on Friday land on Monday 08:03', ({ assert }) => {
    const due = addBusinessSeconds(jakarta('2025-01-10T16:58'), 5 * MINUTE, office)
    assert.equal(utc(due), '2025-01-13T01:03:00.000Z')
    assert.equal(due.setZone('Asia/Jakarta').toFormat('ccc HH:mm'), 'Mon 08:03')
  })

  test('a due time that uses up the day exactly is the closing time', ({ assert }) => {
    const due = addBusinessSeconds(jakarta('2025-01-10T16:55'), 5 * MINUTE, office)
    assert.equal(utc(due), jakarta('2025-01-10T17:00').toUTC().toISO())
  })

  test('a start before opening starts the clock at opening', ({ assert }) => {
    const due = addBusinessSeconds(jakarta('2025-01-14T06:30'), 30 * MINUTE, office)
    assert.equal(utc(due), '2025-01-14T01:30:00.000Z')
  })

  test('0 seconds outside hours is the next opening; inside hours the start itself', ({
    assert,
  }) => {
    assert.equal(
      utc(addBusinessSeconds(jakarta('2025-01-11T12:00'), 0, office)),
      jakarta('2025-01-13T08:00').toUTC().toISO()
    )
    assert.equal(
      utc(addBusinessSeconds(jakarta('2025-01-10T17:00'), 0, office)),
      jakarta('2025-01-13T08:00').toUTC().toISO()
    )
    assert.equal(
      utc(addBusinessSeconds(jakarta('2025-01-13T09:15'), 0, office)),
      jakarta('2025-01-13T09:15').toUTC().toISO()
    )
  })

  test('a start on a holiday skips it', ({ assert }) => {
    const due = addBusinessSeconds(jakarta('2025-01-29T10:00'), HOUR, office)
    assert.equal(utc(due), jakarta('2025-01-30T09:00').toUTC().toISO())
  })

  test('a Monday holiday after the weekend is skipped too', ({ assert }) => {
    const due = addBusinessSeconds(jakarta('2025-01-24T16:58'), 5 * MINUTE, office)
    assert.equal(utc(due), jakarta('2025-01-28T08:03').toUTC().toISO())
  })

  test('long targets run over several days, skipping nights, weekends and holidays', ({
    assert,
  }) => {
    // Friday 24th 09:00 + 24 business hours: 8h Fri, 9h Tue, 7h Thu (Mon and Wed are holidays).
    const due = addBusinessSeconds(jakarta('2025-01-24T09:00'), 24 * HOUR, office)
    assert.equal(utc(due), jakarta('2025-01-30T15:00').toUTC().toISO())
  })

  test('businessSecondsBetween across a weekend and a holiday, and 0 when reversed', ({
    assert,
  }) => {
    const from = jakarta('2025-01-24T16:00')
    const to = jakarta('2025-01-28T09:00')
    assert.equal(businessSecondsBetween(from, to, office), 2 * HOUR)
    assert.equal(businessSecondsBetween(to, from, office), 0)
    assert.equal(businessSecondsBetween(from, from, office), 0)
    assert.equal(
      businessSecondsBetween(jakarta('2025-01-25T10:00'), jakarta('2025-01-25T15:00'), office),
      0
    )
  })

  test('businessSecondsBetween is the inverse of addBusinessSeconds', ({ assert }) => {
    const start = jakarta('2025-01-23T11:20')
    for (const seconds of [0, 1, 5 * MINUTE, 7 * HOUR + 40 * MINUTE, 30 * HOUR]) {
      const due = addBusinessSeconds(start, seconds, office)
      assert.equal(businessSecondsBetween(start, due, office), seconds)
    }
  })

  test('a pending pause: time spent before it plus time after resuming is the target', ({
    assert,
  }) => {
    const target = 8 * HOUR
    const opened = jakarta('2025-01-13T16:00')
    const pendingAt = jakarta('2025-01-14T10:00')
    const resumedAt = jakarta('2025-01-15T15:00')

    const spent = businessSecondsBetween(opened, pendingAt, office)
    assert.equal(spent, 3 * HOUR) // Monday 16-17, Tuesday 08-10
    const due = addBusinessSeconds(resumedAt, target - spent, office)
    // Wednesday 15-17 and Thursday 08-11.
    assert.equal(utc(due), jakarta('2025-01-16T11:00').toUTC().toISO())
    assert.equal(spent + businessSecondsBetween(resumedAt, due, office), target)
    // Without the pause it would have been due on Tuesday already.
    assert.equal(
      utc(addBusinessSeconds(opened, target, office)),
      jakarta('2025-01-14T15:00').toUTC().toISO()
    )
  })

  test('isBusinessTime: opensAt inclusive, closesAt exclusive, weekends and holidays closed', ({
    assert,
  }) => {
    assert.isTrue(isBusinessTime(jakarta('2025-01-13T08:00'), office))
    assert.isFalse(isBusinessTime(jakarta('2025-01-13T07:59:59.999'), office))
    assert.isTrue(isBusinessTime(jakarta('2025-01-13T16:59:59.999'), office))
    assert.isFalse(isBusinessTime(jakarta('2025-01-13T17:00'), office))
    assert.isFalse(isBusinessTime(jakarta('2025-01-11T10:00'), office))
    assert.isFalse(isBusinessTime(jakarta('2025-01-27T10:00'), office))
    // The same instant given in another zone is judged in the calendar's zone.
    assert.isTrue(isBusinessTime(DateTime.fromISO('2025-01-13T01:00:00Z'), office))
    assert.isFalse(isBusinessTime(DateTime.fromISO('2025-01-13T00:59:59Z'), office))
  })
})

test.group('SLA clock: intervals', () => {
  test('split shifts skip the lunch gap', ({ assert }) => {
    const calendar = calendarFrom(
      'Asia/Jakarta',
      weekdays(['13:00', '17:00'], ['08:00', '12:00']),
      []
    )
    assert.equal(
      utc(addBusinessSeconds(jakarta('2025-01-13T11:50'), 20 * MINUTE, calendar)),
      jakarta('2025-01-13T13:10').toUTC().toISO()
    )
    assert.equal(
      utc(addBusinessSeconds(jakarta('2025-01-13T12:30'), 0, calendar)),
      jakarta('2025-01-13T13:00').toUTC().toISO()
    )
    assert.isFalse(isBusinessTime(jakarta('2025-01-13T12:00'), calendar))
    assert.isTrue(isBusinessTime(jakarta('2025-01-13T13:00'), calendar))
    assert.equal(
      businessSecondsBetween(jakarta('2025-01-13T00:00'), jakarta('2025-01-14T00:00'), calendar),
      8 * HOUR
    )
  })

  test('overlapping and touching intervals of a day are merged, not counted twice', ({
    assert,
  }) => {
    const calendar = calendarFrom(
      'Asia/Jakarta',
      [
        { weekday: 1, opensAt: '08:00', closesAt: '12:00' },
        { weekday: 1, opensAt: '10:00', closesAt: '14:00' },
        { weekday: 1, opensAt: '14:00', closesAt: '15:00' },
        { weekday: 1, opensAt: '09:00', closesAt: '09:00' },
      ],
      []
    )
    assert.equal(
      businessSecondsBetween(jakarta('2025-01-13T00:00'), jakarta('2025-01-14T00:00'), calendar),
      7 * HOUR
    )
    assert.equal(
      utc(addBusinessSeconds(jakarta('2025-01-13T08:00'), 7 * HOUR, calendar)),
      jakarta('2025-01-13T15:00').toUTC().toISO()
    )
  })

  test("'24:00' closes at the next midnight", ({ assert }) => {
    const evenings = calendarFrom(
      'Asia/Jakarta',
      [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opensAt: '18:00', closesAt: '24:00' })),
      []
    )
    assert.isTrue(isBusinessTime(jakarta('2025-01-14T23:59:59.999'), evenings))
    assert.isFalse(isBusinessTime(jakarta('2025-01-15T00:00'), evenings))
    assert.equal(
      utc(addBusinessSeconds(jakarta('2025-01-14T23:50'), 20 * MINUTE, evenings)),
      jakarta('2025-01-15T18:10').toUTC().toISO()
    )
    assert.equal(
      utc(addBusinessSeconds(jakarta('2025-01-14T23:50'), 10 * MINUTE, evenings)),
      jakarta('2025-01-15T00:00').toUTC().toISO()
    )
    assert.equal(
      businessSecondsBetween(jakarta('2025-01-14T12:00'), jakarta('2025-01-15T12:00'), evenings),
      6 * HOUR
    )
  })

  test("a late shift to '24:00' continues into an early shift from '00:00'", ({ assert }) => {
    const nights = calendarFrom(
      'Asia/Jakarta',
      [
        { weekday: 1, opensAt: '20:00', closesAt: '24:00' },
        { weekday: 2, opensAt: '00:00', closesAt: '02:00' },
      ],
      []
    )
    assert.equal(
      utc(addBusinessSeconds(jakarta('2025-01-13T23:50'), 20 * MINUTE, nights)),
      jakarta('2025-01-14T00:10').toUTC().toISO()
    )
    assert.equal(
      businessSecondsBetween(jakarta('2025-01-13T00:00'), jakarta('2025-01-15T00:00'), nights),
      6 * HOUR
    )
  })
})

test.group('SLA clock: closed calendars and bad input', () => {
  test('a calendar with no open day throws instead of searching forever', ({ assert }) => {
    const never: BusinessCalendar = { zone: 'Asia/Jakarta', hours: { 1: [] }, holidays: new Set() }
    assert.throws(() => addBusinessSeconds(jakarta('2025-01-13T10:00'), 60, never))
    assert.equal(
      businessSecondsBetween(jakarta('2025-01-13T00:00'), jakarta('2025-02-13T00:00'), never),
      0
    )
    assert.isFalse(isBusinessTime(jakarta('2025-01-13T10:00'), never))
  })

  test('open days all on holidays for more than 400 days throws', ({ assert }) => {
    // Open on Mondays only, and each of the next 60 Mondays (420 days) is a holiday.
    const mondays = Array.from({ length: 60 }, (_, week) => ({
      date: jakarta('2025-01-13').plus({ weeks: week }).toISODate()!,
    }))
    const calendar = calendarFrom(
      'Asia/Jakarta',
      [{ weekday: 1, opensAt: '08:00', closesAt: '17:00' }],
      mondays
    )
    assert.throws(
      () => addBusinessSeconds(jakarta('2025-01-13T10:00'), 60, calendar),
      /no open time for 400 days/
    )
    // Within the limit the search goes on: 50 holiday Mondays, then the 51st is open.
    const fewer = calendarFrom(
      'Asia/Jakarta',
      [{ weekday: 1, opensAt: '08:00', closesAt: '17:00' }],
      mondays.slice(0, 50)
    )
    assert.equal(
      utc(addBusinessSeconds(jakarta('2025-01-13T10:00'), 60, fewer)),
      jakarta('2025-01-13T08:01').plus({ weeks: 50 }).toUTC().toISO()
    )
  })

  test('negative seconds, bad times, weekdays, dates and zones are rejected', ({ assert }) => {
    assert.throws(() => addBusinessSeconds(jakarta('2025-01-13T10:00'), -1, office), RangeError)
    assert.throws(
      () => addBusinessSeconds(jakarta('2025-01-13T10:00'), Number.NaN, office),
      RangeError
    )
    assert.throws(
      () => calendarFrom('Asia/Jakarta', [{ weekday: 1, opensAt: '8:00', closesAt: '17:00' }], []),
      RangeError
    )
    assert.throws(
      () => calendarFrom('Asia/Jakarta', [{ weekday: 1, opensAt: '08:00', closesAt: '24:30' }], []),
      RangeError
    )
    assert.throws(
      () => calendarFrom('Asia/Jakarta', [{ weekday: 7, opensAt: '08:00', closesAt: '17:00' }], []),
      RangeError
    )
    assert.throws(() => calendarFrom('Asia/Jakarta', [], [{ date: '2025-02-30' }]), RangeError)
    assert.throws(() => aroundTheClock('Asia/Atlantis'), RangeError)
  })
})

test.group('SLA clock: time zones', () => {
  test('Europe/Berlin across the last Sunday of March counts the real (23-hour) day', ({
    assert,
  }) => {
    // 2025-03-30: clocks go from 02:00 CET (+01:00) to 03:00 CEST (+02:00).
    const always = aroundTheClock('Europe/Berlin')
    assert.equal(
      utc(addBusinessSeconds(berlin('2025-03-29T12:00'), 24 * HOUR, always)),
      '2025-03-30T11:00:00.000Z'
    )
    assert.equal(
      businessSecondsBetween(berlin('2025-03-30T00:00'), berlin('2025-03-31T00:00'), always),
      23 * HOUR
    )

    const office9to5 = calendarFrom('Europe/Berlin', weekdays(['09:00', '17:00']), [])
    // Friday 16:00 CET is 15:00Z; two hours later it is Monday 10:00 CEST, 08:00Z.
    assert.equal(
      utc(addBusinessSeconds(berlin('2025-03-28T16:00'), 2 * HOUR, office9to5)),
      '2025-03-31T08:00:00.000Z'
    )
    assert.isTrue(isBusinessTime(DateTime.fromISO('2025-03-31T07:00:00Z'), office9to5))
    assert.isFalse(isBusinessTime(DateTime.fromISO('2025-03-31T06:59:59Z'), office9to5))

    // A Sunday shift over the change: 01:00-04:00 local is two real hours.
    const sundayNight = calendarFrom(
      'Europe/Berlin',
      [{ weekday: 0, opensAt: '01:00', closesAt: '04:00' }],
      []
    )
    assert.equal(
      businessSecondsBetween(berlin('2025-03-29T00:00'), berlin('2025-03-31T00:00'), sundayNight),
      2 * HOUR
    )
    assert.equal(
      utc(addBusinessSeconds(berlin('2025-03-29T00:00'), 90 * MINUTE, sundayNight)),
      '2025-03-30T01:30:00.000Z'
    )
  })

  test('Europe/Berlin on the last Sunday of October counts a 25-hour day', ({ assert }) => {
    const always = aroundTheClock('Europe/Berlin')
    assert.equal(
      businessSecondsBetween(berlin('2025-10-26T00:00'), berlin('2025-10-27T00:00'), always),
      25 * HOUR
    )
  })

  test('Asia/Kuala_Lumpur works like Jakarta with its own offset (+08:00)', ({ assert }) => {
    const calendar = calendarFrom('Asia/Kuala_Lumpur', weekdays(['08:00', '17:00']), [
      { date: '2025-01-29' },
    ])
    const due = addBusinessSeconds(kualaLumpur('2025-01-10T16:58'), 5 * MINUTE, calendar)
    assert.equal(utc(due), '2025-01-13T00:03:00.000Z')
    assert.equal(
      utc(addBusinessSeconds(kualaLumpur('2025-01-29T10:00'), HOUR, calendar)),
      '2025-01-30T01:00:00.000Z'
    )
    assert.isTrue(isBusinessTime(DateTime.fromISO('2025-01-13T00:00:00Z'), calendar))
    // 08:00 in Jakarta is 09:00 in Kuala Lumpur: the same instant, an hour into the day.
    assert.equal(
      businessSecondsBetween(
        kualaLumpur('2025-01-13T08:00'),
        jakarta('2025-01-13T08:00'),
        calendar
      ),
      HOUR
    )
  })
})
