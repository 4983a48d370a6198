import Queue from 'bull'
import logger from '@adonisjs/core/services/logger'
import { redisConnection, redisEnabled, redisPrefix } from '#config/redis'

/**
 * A background job: a name, a handler and its retry policy. Handlers must be idempotent:
 * a job can run again after a crash or a retry.
 */
export interface JobDefinition<Payload = any> {
  name: string
  attempts?: number
  /** First retry delay; each later retry waits twice as long. */
  backoffMs?: number
  handle(payload: Payload): Promise<void>
}

/** Picks jobs by name and payload. */
export type JobFilter = (name: string, payload: any) => boolean

/** When a job runs: at once, or `delayMs` from now (an SLA's due time). */
export interface DispatchOptions {
  delayMs?: number
}

export interface JobDriver {
  readonly name: 'bull' | 'in-process'
  dispatch(job: JobDefinition, payload: unknown, options?: DispatchOptions): Promise<void>
  startWorkers(find: (name: string) => JobDefinition | undefined): void
  /** Resolves when nothing is queued or running (in-process only; Bull resolves at once). */
  idle(): Promise<void>
  /** How many jobs (those `matching`, or all) are waiting, running or due for a retry. */
  pending(matching?: JobFilter): Promise<number>
  /** Whether the queue is reachable now (false while Redis is unreachable). */
  ready(): boolean
  /**
   * Whether a dispatch now is handed to the queue: it is reachable, or still making its first
   * connection (Bull's add waits for it). False once the connection is lost: the caller leaves
   * the work to a sweeper instead of piling commands up for a Redis that may not come back.
   */
  accepting(): boolean
  health(): Promise<{ ok: boolean; detail: Record<string, unknown> }>
  close(): Promise<void>
}

const DEFAULT_ATTEMPTS = 5
const DEFAULT_BACKOFF_MS = 1000
const WORKER_CONCURRENCY = 4

/** Runs jobs inside this process, with the same retry policy. The embedded default. */
export class InProcessDriver implements JobDriver {
  readonly name = 'in-process'
  #pending = new Map<Promise<void>, { name: string; payload: unknown }>()
  #timers = new Map<NodeJS.Timeout, { name: string; payload: unknown }>()
  #failed = 0
  #closed = false

  async dispatch(job: JobDefinition, payload: unknown, options: DispatchOptions = {}) {
    if (!options.delayMs || options.delayMs <= 0) return this.#run(job, payload, 1)
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      this.#run(job, payload, 1)
    }, options.delayMs)
    timer.unref()
    this.#timers.set(timer, { name: job.name, payload })
  }

  #run(job: JobDefinition, payload: unknown, attempt: number) {
    if (this.#closed) return
    const running = job
      .handle(payload)
      .catch((error) => {
        const attempts = job.attempts ?? DEFAULT_ATTEMPTS
        if (attempt >= attempts) {
          this.#failed++
          logger.error({ err: error, job: job.name, attempt }, 'job failed for good')
          return
        }
        logger.warn({ err: error, job: job.name, attempt }, 'job failed, will retry')
        const delay = (job.backoffMs ?? DEFAULT_BACKOFF_MS) * 2 ** (attempt - 1)
        const timer = setTimeout(() => {
          this.#timers.delete(timer)
          this.#run(job, payload, attempt + 1)
        }, delay)
        timer.unref()
        this.#timers.set(timer, { name: job.name, payload })
      })
      .finally(() => this.#pending.delete(running))
    this.#pending.set(running, { name: job.name, payload })
  }

  startWorkers() {}

  ready() {
    return !this.#closed
  }

  accepting() {
    return this.ready()
  }

  async idle() {
    while (this.#pending.size > 0) await Promise.all([...this.#pending.keys()])
  }

  async pending(matching: JobFilter = () => true) {
    return [...this.#pending.values(), ...this.#timers.values()].filter(({ name, payload }) =>
      matching(name, payload)
    ).length
  }

  async health() {
    return {
      ok: true,
      detail: { running: this.#pending.size, retrying: this.#timers.size, failed: this.#failed },
    }
  }

  async close() {
    this.#closed = true
    for (const timer of this.#timers.keys()) clearTimeout(timer)
    await this.idle()
  }
}

/** Runs jobs on Bull workers over Redis: any server (or `node ace jobs:work`) may process them. */
export class BullDriver implements JobDriver {
  readonly name = 'bull'
  #queue: Queue.Queue
  #processing = false
  #closing = false
  /** Whether the connection to Redis has ever failed or closed. */
  #lost = false

  constructor(connection: { host: string; port: number; password?: string } = redisConnection) {
    this.#queue = new Queue('jobs', {
      prefix: `${redisPrefix}bull`,
      redis: { ...connection, maxRetriesPerRequest: null, enableReadyCheck: false },
    })
    // Bull reconnects by itself; an unreachable Redis must not crash the process.
    this.#queue.on('error', (error) => logger.warn({ err: error }, 'job queue error'))
    for (const event of ['error', 'close'])
      this.#queue.client.once(event, () => {
        this.#lost = true
      })
  }

  async dispatch(job: JobDefinition, payload: unknown, options: DispatchOptions = {}) {
    await this.#queue.add(job.name, payload, {
      delay: options.delayMs && options.delayMs > 0 ? Math.ceil(options.delayMs) : undefined,
      attempts: job.attempts ?? DEFAULT_ATTEMPTS,
      backoff: { type: 'exponential', delay: job.backoffMs ?? DEFAULT_BACKOFF_MS },
      removeOnComplete: 100,
      removeOnFail: 1000,
    })
  }

  /**
   * One processor for every job name: it looks the handler up when the job runs, so jobs
   * registered later are found too. A job this process does not know fails and is retried.
   */
  startWorkers(find: (name: string) => JobDefinition | undefined) {
    if (this.#processing) return
    this.#processing = true
    // Bull names the worker's connection in a promise it drops, whose catch reads `err.message`:
    // a stop before Redis is ready rejects it with no error, and the TypeError that follows ended
    // the process with status 1. Its failure changes nothing here (the name only labels the
    // connection in Redis's CLIENT LIST).
    const nameWorker = this.#queue.setWorkerName.bind(this.#queue)
    this.#queue.setWorkerName = () =>
      nameWorker().catch((error: unknown) => {
        if (!this.#closing) logger.warn({ err: error }, 'could not name the job worker')
      })
    this.#queue
      .process('*', WORKER_CONCURRENCY, (bullJob) => {
        const job = find(bullJob.name)
        if (!job) throw new Error(`No handler for job "${bullJob.name}" in this process`)
        return job.handle(bullJob.data)
      })
      // Settles when the workers stop. It rejects (with no reason) when the queue closes while
      // they are still starting, a stop right after boot: left unhandled, that ended the process
      // with status 1 instead of a clean stop.
      .catch((error) => {
        if (!this.#closing) logger.error({ err: error }, 'the job workers stopped')
      })
    this.#queue.on('failed', (bullJob, error) => {
      logger.warn({ err: error, job: bullJob.name, attempt: bullJob.attemptsMade }, 'job failed')
    })
  }

  async idle() {}

  async pending(matching: JobFilter = () => true) {
    const queued = await this.#queue.getJobs(['waiting', 'active', 'delayed'])
    return queued.filter((job) => job && matching(job.name, job.data)).length
  }

  ready() {
    return this.#queue.client.status === 'ready'
  }

  accepting() {
    const { status } = this.#queue.client
    return status === 'ready' || (!this.#lost && ['wait', 'connecting', 'connect'].includes(status))
  }

  async health() {
    try {
      const counts = await this.#queue.getJobCounts()
      return { ok: true, detail: { ...counts, processing: this.#processing } }
    } catch (error) {
      return { ok: false, detail: { error: (error as Error).message } }
    }
  }

  async close() {
    this.#closing = true
    await this.#queue.close()
  }
}

/**
 * The job queue facade: Bull on Redis when REDIS_HOST is set, in-process otherwise.
 * Jobs are registered once (start/jobs.ts) and dispatched by name.
 */
class Jobs {
  #definitions = new Map<string, JobDefinition>()
  #driver: JobDriver | null = null

  get driver() {
    this.#driver ??= redisEnabled ? new BullDriver() : new InProcessDriver()
    return this.#driver
  }

  register(...definitions: JobDefinition[]) {
    for (const definition of definitions) this.#definitions.set(definition.name, definition)
  }

  /** Tests only: runs jobs on `driver` from now on; returns the driver it replaces. */
  use(driver: JobDriver) {
    const previous = this.driver
    this.#driver = driver
    return previous
  }

  ready() {
    return this.driver.ready()
  }

  accepting() {
    return this.driver.accepting()
  }

  async dispatch<Payload>(name: string, payload: Payload, options?: DispatchOptions) {
    const definition = this.#definitions.get(name)
    if (!definition) throw new Error(`Unknown job "${name}"`)
    await this.driver.dispatch(definition, payload, options)
  }

  /** Starts consuming jobs in this process (Bull). The in-process driver always runs them. */
  startWorkers() {
    this.driver.startWorkers((name) => this.#definitions.get(name))
  }

  idle() {
    return this.#driver?.idle() ?? Promise.resolve()
  }

  pending(matching?: JobFilter) {
    return this.driver.pending(matching)
  }

  health() {
    return this.driver.health()
  }

  async close() {
    await this.#driver?.close()
    this.#driver = null
  }
}

const jobs = new Jobs()
export default jobs
