import v8 from 'node:v8'
import { runInNewContext } from 'node:vm'
import logger from '@adonisjs/core/services/logger'
import { loadShedding } from '#support/load_shedding'

/**
 * Memory under a burst and back after it (issue 17). During a burst the heap grows at most to
 * twice what survived the last full collection (HEAP_GROWING_PERCENT). V8 collects garbage only
 * while the program allocates, so a server that has just turned away a crowd keeps the heap it
 * grew to for as long as it stays quiet. Every 5 s the server checks: when no request started
 * since the last check and the heap holds much more than when the server was last quiet, one
 * full collection runs (tens of milliseconds, at most once a minute), and the pages go back to
 * the system.
 */
const CHECK_EVERY_MS = 5_000

/** The decision, apart from the timer and the collector (unit-tested). */
export class QuietCollector {
  #quietHeap: number
  #lastStarted: number
  #lastCollection = -Infinity

  constructor(
    heapUsed: number,
    started: number,
    protected options = { worthBytes: 20 * 1048576, atMostEveryMs: 60_000 }
  ) {
    this.#quietHeap = heapUsed
    this.#lastStarted = started
  }

  /** One check: whether to collect now. */
  shouldCollect(now: number, started: number, inFlight: number, heapUsed: number) {
    const busy = started !== this.#lastStarted || inFlight > 0
    this.#lastStarted = started
    if (busy) return false
    const grown = heapUsed - this.#quietHeap >= this.options.worthBytes
    if (!grown || now - this.#lastCollection < this.options.atMostEveryMs) {
      this.#quietHeap = Math.min(this.#quietHeap, heapUsed)
      return false
    }
    this.#lastCollection = now
    return true
  }

  /** The heap after a collection is the new quiet level. */
  collected(heapUsed: number) {
    this.#quietHeap = heapUsed
  }
}

/**
 * How much room V8 leaves for new garbage after a full collection, as a share of what survived
 * it (100: the heap may grow to twice the live objects before the next one). V8 picks up to 300
 * (four times) on a machine with memory to spare, and a burst of takes then grew the heap from 65
 * to 190 MB of mostly garbage before it collected (RSS 292-298 MB; 183-209 MB with 30-100, the
 * same number of takes answered; `npm run bench:memory`, 2026-12-07). A flag the operator passes
 * wins.
 */
export const HEAP_GROWING_PERCENT = 100

/** The V8 flag to set, or null when the operator chose their own (node's options or NODE_OPTIONS). */
export function heapGrowingFlag(execArgv: string[], nodeOptions = '') {
  const chosen = [...execArgv, ...nodeOptions.split(/\s+/)].some((option) =>
    /^--heap[-_]growing[-_]percent\b/.test(option)
  )
  return chosen ? null : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`
}

export function watchIdleMemory() {
  const growing = heapGrowingFlag(process.execArgv, process.env.NODE_OPTIONS)
  if (growing) v8.setFlagsFromString(growing)
  v8.setFlagsFromString('--expose-gc')
  const collect = runInNewContext('gc') as (() => void) | undefined
  if (typeof collect !== 'function') return
  const collector = new QuietCollector(process.memoryUsage().heapUsed, loadShedding.started)
  setInterval(() => {
    const before = process.memoryUsage()
    if (
      !collector.shouldCollect(
        Date.now(),
        loadShedding.started,
        loadShedding.inFlight,
        before.heapUsed
      )
    )
      return
    collect()
    const after = process.memoryUsage()
    collector.collected(after.heapUsed)
    logger.info(
      { heapMb: mb(before.heapUsed), heapAfterMb: mb(after.heapUsed), rssAfterMb: mb(after.rss) },
      'quiet after a burst: memory collected'
    )
  }, CHECK_EVERY_MS).unref()
}

function mb(bytes: number) {
  return Math.round(bytes / 1048576)
}
