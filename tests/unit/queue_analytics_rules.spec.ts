import { test } from '@japa/runner'
import {
  addEvents,
  emptyHist,
  emptyRollup,
  percentileOf,
  type CountedEvent,
} from '#services/analytics/queue_stats'
import { kpisOf } from '#services/analytics/queue_analytics'

const base = {
  tenantId: 1,
  branchId: 2,
  serviceId: 3,
  counterId: 4,
  userId: 5,
  day: '2026-12-07',
  hour: 9,
  waitSeconds: null,
  serviceSeconds: null,
  slaMinutes: 15,
}
const event = (type: CountedEvent['type'], extra: Partial<CountedEvent> = {}): CountedEvent => ({
  ...base,
  type,
  ...extra,
})

test.group('Analytics rollups: counting events', () => {
  test('a number taken counts at its service without counter or staff; endings count at the counter and staff', ({
    assert,
  }) => {
    const rows = addEvents(emptyRollup(), [
      event('created'),
      event('created'),
      event('created'),
      event('created'),
      event('completed', { waitSeconds: 4 * 60, serviceSeconds: 300 }),
      event('completed', { waitSeconds: 20 * 60 + 30, serviceSeconds: 500 }),
      event('no_show'),
      event('cancelled', { counterId: null, userId: null }),
    ])
    const all = [...rows.days.values()]
    const taking = all.find((row) => row.counterId === 0 && row.taken > 0)!
    assert.equal(taking.taken, 4)
    const counter = all.find((row) => row.counterId === 4)!
    assert.deepInclude(counter, {
      userId: 5,
      served: 2,
      noShow: 1,
      withinSla: 1,
      waitCount: 2,
      waitSum: 4 * 60 + 20 * 60 + 30,
      waitMax: 20 * 60 + 30,
      serviceCount: 2,
      serviceSum: 800,
    })
    const [waits] = rows.waits.values()
    assert.equal(waits.waitHist[4], 1)
    assert.equal(waits.waitHist[20], 1)
    assert.equal(rows.waits.size, 1)
    const [hour] = rows.hours.values()
    assert.deepInclude(hour, { hour: 9, weekday: 1, taken: 4, served: 2 }) // 7 Dec 2026 is a Monday
    assert.equal(all.find((row) => row.cancelled > 0)!.counterId, 0)
  })

  test('a wait beyond three hours lands in the last bucket', ({ assert }) => {
    const rollup = addEvents(emptyRollup(), [event('completed', { waitSeconds: 5 * 3600 })])
    assert.equal([...rollup.waits.values()][0].waitHist.at(-1), 1)
    assert.equal([...rollup.days.values()][0].waitMax, 5 * 3600)
  })
})

test.group('Analytics KPIs: definitions on a known dataset', () => {
  test('percentiles of a histogram, to the minute', ({ assert }) => {
    const hist = emptyHist()
    // Ten waits: 1, 2, 2, 3, 3, 3, 4, 10, 12, 30 minutes.
    for (const minute of [1, 2, 2, 3, 3, 3, 4, 10, 12, 30]) hist[minute]++
    assert.equal(percentileOf(hist, 0.5), 3 * 60)
    assert.equal(percentileOf(hist, 0.9), 12 * 60)
    assert.equal(percentileOf(hist, 1), 30 * 60)
    assert.isNull(percentileOf(emptyHist(), 0.5))
  })

  test('averages, SLA compliance, no-show, cancel and throughput rates', ({ assert }) => {
    const sums = {
      taken: 50,
      served: 40,
      noShow: 10,
      cancelled: 5,
      withinSla: 30,
      waitCount: 40,
      waitSum: 40 * 600,
      waitMax: 3600,
      serviceCount: 40,
      serviceSum: 40 * 300,
      activeHours: 8,
    }
    const kpis = kpisOf(sums, null)
    assert.equal(kpis.avgWaitSeconds, 600)
    assert.equal(kpis.avgServiceSeconds, 300)
    assert.equal(kpis.slaCompliance, 0.75)
    assert.equal(kpis.noShowRate, 0.2)
    assert.equal(kpis.cancelRate, 0.1)
    assert.equal(kpis.dropOffRate, 0.3) // (5 cancelled + 10 no-shows) / 50 taken
    assert.equal(kpis.throughputPerHour, 5)
    assert.equal(kpis.maxWaitSeconds, 3600)
    const empty = kpisOf(
      { ...sums, taken: 0, served: 0, noShow: 0, waitCount: 0, serviceCount: 0, activeHours: 0 },
      null
    )
    assert.isNull(empty.avgWaitSeconds)
    assert.isNull(empty.slaCompliance)
    assert.isNull(empty.noShowRate)
    assert.isNull(empty.cancelRate)
    assert.isNull(empty.maxWaitSeconds)
  })
})
