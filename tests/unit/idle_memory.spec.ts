import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { QuietCollector, heapGrowingFlag, HEAP_GROWING_PERCENT } from '#support/idle_memory'

const MB = 1048576

test.group('Memory back after a burst: when to collect', () => {
  test('collects once the server is quiet with a heap grown past the quiet level', ({ assert }) => {
    const collector = new QuietCollector(60 * MB, 0)
    // The burst: requests keep starting, the heap grows; never during it.
    assert.isFalse(collector.shouldCollect(5_000, 500, 80, 140 * MB))
    assert.isFalse(collector.shouldCollect(10_000, 1_200, 0, 150 * MB))
    // Quiet: nothing started since the last check, nothing in progress.
    assert.isTrue(collector.shouldCollect(15_000, 1_200, 0, 150 * MB))
    collector.collected(62 * MB)
    assert.isFalse(collector.shouldCollect(20_000, 1_200, 0, 62 * MB))
  })

  test('a request in progress or started since the last check means busy', ({ assert }) => {
    const collector = new QuietCollector(60 * MB, 10)
    assert.isFalse(collector.shouldCollect(5_000, 10, 1, 200 * MB))
    assert.isFalse(collector.shouldCollect(10_000, 11, 0, 200 * MB))
    assert.isTrue(collector.shouldCollect(15_000, 11, 0, 200 * MB))
  })

  test('small growth is left alone, and collections are at most once a minute', ({ assert }) => {
    const collector = new QuietCollector(60 * MB, 0)
    assert.isFalse(collector.shouldCollect(5_000, 0, 0, 70 * MB))
    assert.isTrue(collector.shouldCollect(10_000, 0, 0, 120 * MB))
    collector.collected(100 * MB)
    // Grown again soon after: waits for the minute to pass.
    assert.isFalse(collector.shouldCollect(15_000, 0, 0, 130 * MB))
    assert.isTrue(collector.shouldCollect(70_000, 0, 0, 130 * MB))
  })
})

/**
 * A program that keeps about 100 MB alive and churns objects that live long enough to reach the
 * old generation, as requests in flight do under a burst: prints its peak heap and what is alive
 * at the end. The V8 flag (argv) is set at run time, the way the web server sets it.
 */
const CHURN = `
const v8 = require('node:v8')
if (process.argv[1]) v8.setFlagsFromString(process.argv[1])
const live = []
for (let i = 0; i < 200000; i++) live.push({ i, text: 'x'.repeat(40) + i })
const ring = new Array(300000)
let peak = 0
for (let round = 0; round < 2000000; round++) {
  ring[round % ring.length] = { round, text: 'y'.repeat(30) + round }
  if (round % 10000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed)
}
v8.setFlagsFromString('--expose-gc')
require('node:vm').runInNewContext('gc')()
console.log(JSON.stringify({ kept: live.length + ring.length, peak, live: process.memoryUsage().heapUsed }))
`

async function churn(flag: string) {
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', CHURN, flag])
  return JSON.parse(stdout) as { kept: number; peak: number; live: number }
}

test.group('Memory under a burst: how far the heap grows', () => {
  test('the web server asks V8 to grow the heap to twice what survives, unless told otherwise', ({
    assert,
  }) => {
    assert.equal(heapGrowingFlag([]), `--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
    assert.equal(HEAP_GROWING_PERCENT, 100)
    assert.isNull(heapGrowingFlag(['--heap-growing-percent=300']))
    assert.isNull(
      heapGrowingFlag(
        ['--enable-source-maps'],
        '--max-old-space-size=512 --heap_growing_percent=50'
      )
    )
    assert.isNotNull(heapGrowingFlag(['--max-old-space-size=512'], '--enable-source-maps'))
  })

  test('set at run time, the growing flag keeps the heap near twice what survives', async ({
    assert,
  }) => {
    const chosen = await churn(heapGrowingFlag([])!)
    const tight = await churn('--heap-growing-percent=10')
    for (const run of [chosen, tight]) assert.equal(run.kept, 500_000)
    // Measured: peaks of about 1.3 and 2.2 times what is alive at the end (2.7 with other programs
    // running, as marking then falls behind; 3.0-3.4 with V8's own choice): the order proves the
    // flag, set after start, is obeyed; the bound leaves room for a busy machine.
    assert.isBelow(tight.peak, chosen.peak)
    assert.isAtMost(chosen.peak / chosen.live, 3.5)
  }).timeout(30_000)
})
