import { test } from '@japa/runner'
import { QuietCollector } from '#support/idle_memory'

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
