/*
| Process-local metrics in the Prometheus text format (GET /metrics): counters and histograms that
| this process observed since it started. Prometheus scrapes every server and sums them. Gauges
| that describe shared state (the outbox backlog) are read from the database at scrape time.
*/

type Labels = Record<string, string>

function labelText(labels: Labels) {
  const entries = Object.entries(labels)
  if (entries.length === 0) return ''
  return `{${entries.map(([key, value]) => `${key}="${value.replace(/["\\\n]/g, (char) => (char === '\n' ? '\\n' : `\\${char}`))}"`).join(',')}}`
}

class Counter {
  #values = new Map<string, { labels: Labels; value: number }>()
  constructor(
    readonly name: string,
    readonly help: string
  ) {}

  inc(labels: Labels = {}, by = 1) {
    const key = labelText(labels)
    const entry = this.#values.get(key) ?? { labels, value: 0 }
    entry.value += by
    this.#values.set(key, entry)
  }

  render() {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`]
    for (const { labels, value } of this.#values.values())
      lines.push(`${this.name}${labelText(labels)} ${value}`)
    return lines.join('\n')
  }
}

class Histogram {
  #series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>()
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[]
  ) {}

  observe(labels: Labels, value: number) {
    const key = labelText(labels)
    const series = this.#series.get(key) ?? {
      labels,
      counts: this.buckets.map(() => 0),
      sum: 0,
      count: 0,
    }
    this.buckets.forEach((bound, index) => {
      if (value <= bound) series.counts[index]++
    })
    series.sum += value
    series.count++
    this.#series.set(key, series)
  }

  render() {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`]
    for (const { labels, counts, sum, count } of this.#series.values()) {
      this.buckets.forEach((bound, index) =>
        lines.push(
          `${this.name}_bucket${labelText({ ...labels, le: String(bound) })} ${counts[index]}`
        )
      )
      lines.push(`${this.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${count}`)
      lines.push(`${this.name}_sum${labelText(labels)} ${sum}`)
      lines.push(`${this.name}_count${labelText(labels)} ${count}`)
    }
    return lines.join('\n')
  }
}

/** Quantiles over the last `window` observations (a Prometheus summary). */
class Summary {
  #values: number[] = []
  #next = 0
  #sum = 0
  #count = 0
  constructor(
    readonly name: string,
    readonly help: string,
    readonly window = 2048
  ) {}

  observe(value: number) {
    if (this.#values.length < this.window) this.#values.push(value)
    else this.#values[this.#next] = value
    this.#next = (this.#next + 1) % this.window
    this.#sum += value
    this.#count++
  }

  quantile(q: number) {
    if (this.#values.length === 0) return 0
    const sorted = [...this.#values].sort((a, b) => a - b)
    return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
  }

  render() {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} summary`]
    for (const q of [0.5, 0.95, 0.99])
      lines.push(`${this.name}${labelText({ quantile: String(q) })} ${this.quantile(q)}`)
    lines.push(`${this.name}_sum ${this.#sum}`, `${this.name}_count ${this.#count}`)
    return lines.join('\n')
  }
}

class Metrics {
  readonly deliveries = new Counter(
    'loket_outbox_deliveries_total',
    'Delivery attempts by outcome (sent, retry, dead), per kind and channel.'
  )
  readonly deliveryLatency = new Histogram(
    'loket_outbox_delivery_latency_seconds',
    'From the outbox row being written to the provider or endpoint accepting it.',
    [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900]
  )

  readonly enqueueDuration = new Summary(
    'loket_outbox_enqueue_seconds',
    'Time a ticket event spends writing its messages and webhook calls to the outbox, inside its transaction (last 2048 events that wrote any).'
  )

  readonly paymentNotifications = new Counter(
    'loket_payment_notifications_total',
    "Payment gateways' notifications received, per gateway and outcome (applied, duplicate, rejected...)."
  )

  readonly paymentNotificationDuration = new Summary(
    'loket_payment_notification_seconds',
    'Time a payment notification takes from its handler being called to its answer (last 2048).'
  )

  render() {
    return [
      this.deliveries.render(),
      this.deliveryLatency.render(),
      this.enqueueDuration.render(),
      this.paymentNotifications.render(),
      this.paymentNotificationDuration.render(),
    ].join('\n')
  }
}

const metrics = new Metrics()
export default metrics
export { labelText }
