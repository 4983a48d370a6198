import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { timeZone } from '#support/time_zones'

test.group('Time zones that remember their offsets', () => {
  test('every moment reads as luxon reads it, across daylight-saving changes and half-hour offsets', ({
    assert,
  }) => {
    const zones = [
      'Asia/Jakarta',
      'Asia/Kuala_Lumpur',
      'Europe/Berlin',
      'America/St_Johns',
      'Australia/Lord_Howe',
    ]
    // 2026-03-28 .. 2026-04-06 and 2026-10-03 .. 2026-10-26: Berlin, St John's and Lord Howe change.
    const spans = [
      [Date.UTC(2026, 2, 28), Date.UTC(2026, 3, 6)],
      [Date.UTC(2026, 9, 3), Date.UTC(2026, 9, 26)],
    ]
    let compared = 0
    for (const name of zones) {
      for (const [from, to] of spans) {
        // Every 17 minutes and 13 seconds: each minute's memory is asked at odd seconds too.
        for (let ts = from; ts < to; ts += 1_033_000) {
          const moment = DateTime.fromMillis(ts)
          const expected = moment.setZone(name)
          const actual = moment.setZone(timeZone(name))
          assert.equal(actual.toISO(), expected.toISO(), `${name} ${ts}`)
          assert.equal(actual.offset, expected.offset)
          compared++
        }
      }
    }
    assert.isAbove(compared, 10_000)
  })

  test('local times convert back the same way, also in the hour a clock skips or repeats', ({
    assert,
  }) => {
    for (const local of ['2026-03-29T02:30', '2026-10-25T02:30', '2026-12-07T09:00']) {
      const expected = DateTime.fromISO(local, { zone: 'Europe/Berlin' })
      const actual = DateTime.fromISO(local, { zone: timeZone('Europe/Berlin') })
      assert.equal(actual.toMillis(), expected.toMillis(), local)
      assert.equal(actual.startOf('day').toISO(), expected.startOf('day').toISO())
      assert.equal(actual.plus({ days: 1 }).toISO(), expected.plus({ days: 1 }).toISO())
    }
  })

  test('one instance per name, equal to luxon’s own zone; an unknown name gives an invalid moment', ({
    assert,
  }) => {
    assert.strictEqual(timeZone('Asia/Jakarta'), timeZone('Asia/Jakarta'))
    const now = DateTime.utc()
    assert.isTrue(now.setZone(timeZone('Asia/Jakarta')).equals(now.setZone('Asia/Jakarta')))
    assert.equal(now.setZone(timeZone('Asia/Jakarta')).zoneName, 'Asia/Jakarta')
    assert.isFalse(now.setZone(timeZone('Mars/Olympus')).isValid)
  })
})
