import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { openState } from '#services/platform/opening_hours'
import { normalizePhone } from '#support/phone'
import { formatTicketNumber } from '#models/service'
import { parseQueueSettings, DEFAULT_QUEUE_SETTINGS } from '#models/settings/queue_settings'

const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({
  weekday,
  opensAt: '08:00',
  closesAt: '16:00',
}))
const jakarta = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Jakarta' })

test.group('Opening hours', () => {
  test('no hours at all means open around the clock', ({ assert }) => {
    assert.isTrue(openState([], new Set(), null, jakarta('2026-11-22T03:00')).open)
  })

  test('open inside the hours, closed before with today’s opening time', ({ assert }) => {
    assert.isTrue(openState(weekdays, new Set(), null, jakarta('2026-11-23T09:30')).open)
    const early = openState(weekdays, new Set(), null, jakarta('2026-11-23T07:15'))
    assert.isFalse(early.open)
    assert.equal(early.nextOpening!.toISO({ includeOffset: false }), '2026-11-23T08:00:00.000')
  })

  test('after closing, and over the weekend, it names the next working day', ({ assert }) => {
    const friday = openState(weekdays, new Set(), null, jakarta('2026-11-27T16:00'))
    assert.isFalse(friday.open)
    assert.equal(friday.nextOpening!.toISODate(), '2026-11-30')
    assert.equal(friday.nextOpening!.toFormat('HH:mm'), '08:00')
  })

  test('a holiday is closed and skipped', ({ assert }) => {
    const state = openState(weekdays, new Set(['2026-11-23']), null, jakarta('2026-11-23T10:00'))
    assert.isFalse(state.open)
    assert.equal(state.nextOpening!.toISODate(), '2026-11-24')
  })

  test('a service’s own hours narrow the branch’s', ({ assert }) => {
    const pharmacy = { opensAt: '10:00', closesAt: '12:00' }
    assert.isFalse(openState(weekdays, new Set(), pharmacy, jakarta('2026-11-23T09:00')).open)
    assert.isTrue(openState(weekdays, new Set(), pharmacy, jakarta('2026-11-23T11:00')).open)
    assert.equal(
      openState(weekdays, new Set(), pharmacy, jakarta('2026-11-23T12:30')).nextOpening!.toFormat(
        'yyyy-MM-dd HH:mm'
      ),
      '2026-11-24 10:00'
    )
  })
})

test.group('Phone numbers', () => {
  test('Indonesian numbers become E.164', ({ assert }) => {
    assert.equal(normalizePhone('0812-3456-7890'), '+6281234567890')
    assert.equal(normalizePhone('62 812 3456 7890'), '+6281234567890')
    assert.equal(normalizePhone('+62 812 3456 7890'), '+6281234567890')
    assert.equal(normalizePhone('812 3456 7890'), '+6281234567890')
  })

  test('Malaysian branches read a leading 0 as +60', ({ assert }) => {
    assert.equal(normalizePhone('012-345 6789', 'MY'), '+60123456789')
  })

  test('anything else is not a phone number', ({ assert }) => {
    assert.isNull(normalizePhone('hello'))
    assert.isNull(normalizePhone('123'))
    assert.isNull(normalizePhone('0812<script>'))
  })
})

test.group('Ticket numbers and settings', () => {
  test('number formats', ({ assert }) => {
    assert.equal(formatTicketNumber('{code}{n:3}', 'A', 7), 'A007')
    assert.equal(formatTicketNumber('{code}{n:3}', 'B', 1234), 'B1234')
    assert.equal(formatTicketNumber('{code}-{n}', 'CS', 12), 'CS-12')
    assert.equal(formatTicketNumber('{n:4}', 'A', 5), '0005')
  })

  test('queue settings fall back to the defaults, field by field', ({ assert }) => {
    assert.deepEqual(parseQueueSettings(null), DEFAULT_QUEUE_SETTINGS)
    assert.deepEqual(parseQueueSettings('not json'), DEFAULT_QUEUE_SETTINGS)
    const settings = parseQueueSettings(
      JSON.stringify({ ratio: { regular: 2, priority: 1 }, priorityWeights: { vip: 99 } })
    )
    assert.deepEqual(settings.ratio, { regular: 2, priority: 1 })
    assert.equal(settings.priorityWeights.vip, 99)
    assert.equal(
      settings.priorityWeights.emergency,
      DEFAULT_QUEUE_SETTINGS.priorityWeights.emergency
    )
  })

  test('the same stored settings read as one frozen object; the defaults stay untouched', ({
    assert,
  }) => {
    const raw = JSON.stringify({ priorityWeights: { vip: 7 } })
    const first = parseQueueSettings(raw)
    assert.strictEqual(parseQueueSettings(raw), first)
    assert.notStrictEqual(parseQueueSettings(JSON.stringify({ maxWaitMinutes: 9 })), first)
    assert.isTrue(Object.isFrozen(first) && Object.isFrozen(first.priorityWeights))
    assert.throws(() => {
      ;(first.priorityWeights as Record<string, number>).vip = 1
    })
    const defaults = parseQueueSettings(null)
    assert.notStrictEqual(defaults, DEFAULT_QUEUE_SETTINGS)
    assert.isFalse(Object.isFrozen(DEFAULT_QUEUE_SETTINGS))
  })
})
