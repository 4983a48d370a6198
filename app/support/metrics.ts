/*
| Metrics for Prometheus (GET /metrics), kept with prom-client: this process's counters,
| histograms and summaries (HTTP requests per route, outbox deliveries, payment notifications),
| Node's own (event loop lag, heap, GC, handles), and gauges read at scrape time from shared state
| (the outbox backlog and its oldest row, the job queue's depth) and from this process (the
| database pool). Prometheus scrapes every server and sums them.
*/
import client from 'prom-client'
import { loadShedding } from '#support/load_shedding'

export const registry = new client.Registry()
client.collectDefaultMetrics({ register: registry, prefix: 'loket_' })

/** What the scrape-time gauges read; set once at boot by whoever knows (start/metrics.ts). */
export interface MetricSources {
  outbox(): Promise<
    Record<string, { byStatus: Record<string, number>; oldestPendingSeconds: number }>
  >
  jobs(): Promise<Record<string, number> | null>
  pool(): { used: number; free: number; pending: number } | null
}

let sources: MetricSources | null = null

export function useMetricSources(next: MetricSources) {
  sources = next
}

const registers = [registry]

class Metrics {
  readonly httpRequests = new client.Counter({
    name: 'loket_http_requests_total',
    help: 'HTTP requests answered, per method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  })

  readonly httpDuration = new client.Histogram({
    name: 'loket_http_request_duration_seconds',
    help: 'Time from a request arriving to its answer, per method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  })

  readonly httpErrors = new client.Counter({
    name: 'loket_http_errors_total',
    help: 'Requests answered with a 5xx (a fault of Loket or of what it depends on), per route pattern.',
    labelNames: ['route'] as const,
    registers,
  })

  readonly deliveries = new client.Counter({
    name: 'loket_outbox_deliveries_total',
    help: 'Delivery attempts by outcome (sent, retry, dead), per kind and channel.',
    labelNames: ['kind', 'channel', 'outcome'] as const,
    registers,
  })

  readonly deliveryLatency = new client.Histogram({
    name: 'loket_outbox_delivery_latency_seconds',
    help: 'From the outbox row being written to the provider or endpoint accepting it.',
    labelNames: ['kind', 'channel'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
    registers,
  })

  readonly enqueueDuration = new client.Summary({
    name: 'loket_outbox_enqueue_seconds',
    help: 'Time a ticket event spends writing its messages and webhook calls to the outbox, inside its transaction (the last 10 minutes).',
    percentiles: [0.5, 0.95, 0.99],
    maxAgeSeconds: 600,
    ageBuckets: 5,
    registers,
  })

  readonly paymentNotifications = new client.Counter({
    name: 'loket_payment_notifications_total',
    help: "Payment gateways' notifications received, per gateway and outcome (applied, duplicate, rejected...).",
    labelNames: ['provider', 'outcome'] as const,
    registers,
  })

  readonly paymentNotificationDuration = new client.Summary({
    name: 'loket_payment_notification_seconds',
    help: 'Time a payment notification takes from its handler being called to its answer (the last 10 minutes).',
    percentiles: [0.5, 0.95, 0.99],
    maxAgeSeconds: 600,
    ageBuckets: 5,
    registers,
  })

  readonly outboxRows = new client.Gauge({
    name: 'loket_outbox_rows',
    help: 'Outbox rows waiting, being sent, retrying or dead, per kind (all servers: read from the database).',
    labelNames: ['kind', 'status'] as const,
    registers,
    async collect() {
      const stats = await outboxNow()
      this.reset()
      for (const [table, { byStatus }] of Object.entries(stats))
        for (const status of ['queued', 'sending', 'failed', 'dead'])
          this.set({ kind: kindOf(table), status }, byStatus[status] ?? 0)
    },
  })

  readonly outboxOldest = new client.Gauge({
    name: 'loket_outbox_oldest_pending_seconds',
    help: 'Age of the oldest outbox row waiting to be sent, per kind: how far messages and webhooks lag behind their events.',
    labelNames: ['kind'] as const,
    registers,
    async collect() {
      const stats = await outboxNow()
      this.reset()
      for (const [table, { oldestPendingSeconds }] of Object.entries(stats))
        this.set({ kind: kindOf(table) }, oldestPendingSeconds)
    },
  })

  readonly jobQueue = new client.Gauge({
    name: 'loket_job_queue_jobs',
    help: 'Jobs in the queue per state (waiting, active, delayed, failed); Bull on Redis only.',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      this.reset()
      const counts = await sources?.jobs()
      for (const [state, count] of Object.entries(counts ?? {}))
        if (typeof count === 'number') this.set({ state }, count)
    },
  })

  readonly inFlight = new client.Gauge({
    name: 'loket_http_in_flight',
    help: 'Requests this process is handling now (load shedding starts past MAX_IN_FLIGHT).',
    registers,
    collect() {
      this.set(loadShedding.inFlight)
    },
  })

  readonly livePollsWaiting = new client.Gauge({
    name: 'loket_live_polls_waiting',
    help: "Live screens' long polls this process holds until their branch changes.",
    registers,
    collect() {
      this.set(loadShedding.waiting)
    },
  })

  readonly shed = new client.Counter({
    name: 'loket_http_shed_total',
    help: 'Visitor and API requests refused with 503 because the process was past MAX_IN_FLIGHT.',
    registers,
  })

  readonly databasePool = new client.Gauge({
    name: 'loket_db_pool_connections',
    help: "This process's database connections: used, free, and requests waiting for one (pending).",
    labelNames: ['state'] as const,
    registers,
    collect() {
      const pool = sources?.pool()
      if (!pool) return
      this.set({ state: 'used' }, pool.used)
      this.set({ state: 'free' }, pool.free)
      this.set({ state: 'pending' }, pool.pending)
    },
  })

  /** The exposition text, as `GET /metrics` answers it. */
  render() {
    return registry.metrics()
  }
}

/**
 * The outbox figures of the scrape under way: prom-client collects the gauges at once, and both
 * outbox gauges share one read of the database (for a second).
 */
let outboxRead: { at: number; stats: ReturnType<MetricSources['outbox']> } | null = null

function outboxNow() {
  const now = Date.now()
  if (!outboxRead || now - outboxRead.at > 1000)
    outboxRead = { at: now, stats: sources ? sources.outbox() : Promise.resolve({}) }
  return outboxRead.stats
}

function kindOf(table: string) {
  return table === 'notifications' ? 'notification' : 'webhook'
}

const metrics = new Metrics()
export default metrics
