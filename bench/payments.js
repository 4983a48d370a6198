/*
| npm run bench:payments — Midtrans payment notifications on MySQL + Redis, against the compiled build.
|   A tenant takes prepayments through Midtrans and tells customers on WhatsApp (the confirmation is
|   written to the outbox in the booking's transaction; WORKERS_ENABLED=false, so nothing is sent).
|   N bookings wait for their payment, each with a pending payment, all written by SQL. Then signed
|   `settlement` notifications are POSTed to /webhooks/payments/midtrans/bench at a steady rate (open
|   loop): each confirms its booking; a share of them (BENCH_REPEATS, 20 %) are repeats of one sent
|   before, as Midtrans retries. A last run at the same rate sends only repeats.
|   Reported: webhook latency p50/p95/p99 (target p95 < 50 ms), and whether every repeat was answered
|   200 without changing anything (one stored notification and one `paid` event per booking).
*/
import { createHash, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Encryption } from '@adonisjs/core/encryption'
import {
  LOKET_PORT,
  database,
  loketEnv,
  migrateFresh,
  openLoop,
  prepareBuild,
  root,
  seedBranches,
  startLoket,
  stop,
  machineState,
} from './common.js'

const DURATION = Number(process.env.BENCH_DURATION ?? 10)
/**
 * Offered notification rates (per second). A clinic or a photo booth takes a few payments a minute;
 * 20/s is a busy platform's peak over every tenant, 50/s well beyond it.
 */
const RATES = (process.env.BENCH_RATES ?? '20,50').split(',').map(Number)
/** Repeats alone cost little: they are offered at a higher rate. */
const REPEAT_RATE = Number(process.env.BENCH_REPEAT_RATE ?? 200)
const REPEAT_SHARE = Number(process.env.BENCH_REPEATS ?? 0.2)
const WARMUP = { rate: 50, duration: 3 }
const SERVER_KEY = 'SB-Mid-server-bench-0123456789abcdef'
const PRICE = 2_500_000

const sqlNow = (date = new Date()) => date.toISOString().slice(0, 23).replace('T', ' ')
const jakarta = (date) =>
  new Date(date.getTime() + 7 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')

/** A settlement exactly as Midtrans sends it for a BCA virtual account, signed with the tenant's server key. */
function settlement(orderId) {
  const statusCode = '200'
  const gross = `${PRICE / 100}.00`
  const now = new Date()
  return JSON.stringify({
    va_numbers: [
      {
        va_number: `490526${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`,
        bank: 'bca',
      },
    ],
    transaction_time: jakarta(new Date(now.getTime() - 120_000)),
    transaction_status: 'settlement',
    transaction_id: randomUUID(),
    status_message: 'midtrans payment notification',
    status_code: statusCode,
    signature_key: createHash('sha512')
      .update(`${orderId}${statusCode}${gross}${SERVER_KEY}`)
      .digest('hex'),
    settlement_time: jakarta(now),
    payment_type: 'bank_transfer',
    payment_amounts: [],
    order_id: orderId,
    merchant_id: 'G141532850',
    gross_amount: gross,
    fraud_status: 'accept',
    expiry_time: jakarta(new Date(now.getTime() + 3600_000)),
    currency: 'IDR',
  })
}

/** `count` bookings waiting for their prepayment, each with its pending Midtrans payment; their order ids. */
async function seedBookings(
  connection,
  { tenantId, branchId, resourceId, serviceId },
  count,
  offset
) {
  const orders = []
  const now = new Date()
  const start = new Date(now.getTime() + 24 * 3600_000)
  for (let first = 0; first < count; first += 500) {
    const bookings = []
    const payments = []
    for (let index = first; index < Math.min(count, first + 500); index++) {
      const id = randomUUID()
      const code = `B${String(offset + index).padStart(7, '0')}`
      const startsAt = new Date(start.getTime() + ((offset + index) % 40) * 15 * 60_000)
      bookings.push([
        id,
        tenantId,
        branchId,
        resourceId,
        serviceId,
        code,
        'pending_payment',
        'web',
        sqlNow(startsAt),
        sqlNow(new Date(startsAt.getTime() + 30 * 60_000)),
        startsAt.toISOString().slice(0, 10),
        startsAt.toISOString().slice(11, 16),
        `Customer ${index}`,
        `+62812${String(10_000_000 + offset + index)}`,
        PRICE,
        'IDR',
        sqlNow(new Date(now.getTime() + 2 * 3600_000)),
        sqlNow(now),
        sqlNow(now),
      ])
      const orderId = `LK-${tenantId}-${code}-1`
      payments.push([
        tenantId,
        id,
        'midtrans',
        orderId,
        PRICE,
        'IDR',
        'pending',
        `https://app.sandbox.midtrans.com/snap/v4/redirection/${randomUUID()}`,
        sqlNow(new Date(now.getTime() + 2 * 3600_000)),
        sqlNow(now),
        sqlNow(now),
      ])
      orders.push(orderId)
    }
    await connection.query(
      `INSERT INTO bookings (id, tenant_id, branch_id, resource_id, service_id, code, status, channel, starts_at, ends_at, service_date, local_time,
        customer_name, customer_phone, price, currency, pay_by, created_at, updated_at) VALUES ?`,
      [bookings]
    )
    await connection.query(
      'INSERT INTO payments (tenant_id, booking_id, provider, order_id, amount, currency, status, payment_url, expires_at, created_at, updated_at) VALUES ?',
      [payments]
    )
  }
  return orders
}

/**
 * Settlement notifications at `rate`/s for `duration` s: new orders from `queue`, and with probability
 * `repeatShare` a body already sent (Midtrans retrying). Returns the latency figures and what was sent.
 */
async function notifications(queue, sent, rate, duration, repeatShare) {
  let fresh = 0
  let repeats = 0
  const stats = await openLoop({
    url: `http://127.0.0.1:${LOKET_PORT}/webhooks/payments/midtrans/bench`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: () => {
      if ((sent.length && Math.random() < repeatShare) || queue.length === 0) {
        repeats++
        return sent[Math.floor(Math.random() * sent.length)]
      }
      fresh++
      const body = settlement(queue.shift())
      sent.push(body)
      return body
    },
    rate,
    duration,
    expect: 200,
  })
  return { ...stats, fresh, repeats }
}

/** The server's own timing of notifications (loket_payment_notification_seconds): quantiles over its last 2048, and the running sum and count. */
async function serverTimes() {
  const exposition = await (await fetch(`http://127.0.0.1:${LOKET_PORT}/metrics`)).text()
  const value = (pattern) =>
    Number(
      new RegExp(`^loket_payment_notification_seconds${pattern} ([\\d.e+-]+)$`, 'm').exec(
        exposition
      )?.[1] ?? NaN
    )
  return {
    p50: value('\\{quantile="0.5"\\}') * 1000,
    p95: value('\\{quantile="0.95"\\}') * 1000,
    p99: value('\\{quantile="0.99"\\}') * 1000,
    sum: value('_sum') * 1000,
    count: value('_count'),
  }
}

/** The server's mean time per notification between two readings, and its quantiles at the second. */
function serverRun(before, after) {
  return {
    mean: (after.sum - before.sum) / (after.count - before.count),
    p50: after.p50,
    p95: after.p95,
    p99: after.p99,
    count: after.count - before.count,
  }
}

async function count(connection, sql, values = []) {
  const [rows] = await connection.query(sql, values)
  return Number(rows[0].total)
}

/** Server-side figures: the mean of the run, and the quantiles of the last 2048 notifications (this run and the ones before). */
function serverRow(times) {
  return {
    'server mean ms': times.mean.toFixed(2),
    'server p50 ms (last 2048)': times.p50.toFixed(2),
    'server p95 ms (last 2048)': times.p95.toFixed(2),
    'server p99 ms (last 2048)': times.p99.toFixed(2),
  }
}

function stats(label, result) {
  return {
    'run': label,
    'sent': result.requests,
    'new': result.fresh,
    'repeats': result.repeats,
    'req/s': Math.round(result.rps),
    'p50 ms': result.p50.toFixed(2),
    'p95 ms': result.p95.toFixed(2),
    'p99 ms': result.p99.toFixed(2),
    'errors': result.errors,
  }
}

/**
 * Midtrans's status API as Loket asks it before believing a settlement (GET /v2/{order_id}/status):
 * every order is settled for the bench's price. It answers at once, so the figures show Loket's own
 * cost plus one local round trip; a real gateway adds its own latency to fresh settlements only.
 */
async function statusApi() {
  const server = createServer((request, response) => {
    const orderId = decodeURIComponent(/^\/v2\/([^/]+)\/status$/.exec(request.url ?? '')?.[1] ?? '')
    const gross = `${PRICE / 100}.00`
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(
      JSON.stringify({
        status_code: '200',
        transaction_status: 'settlement',
        fraud_status: 'accept',
        order_id: orderId,
        gross_amount: gross,
        currency: 'IDR',
        transaction_id: randomUUID(),
        signature_key: createHash('sha512')
          .update(`${orderId}200${gross}${SERVER_KEY}`)
          .digest('hex'),
      })
    )
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return server
}

async function main() {
  console.log('building Loket and preparing the bench database…')
  prepareBuild()
  const connection = await database()
  await migrateFresh()
  const { 'bench-pay': branch } = await seedBranches(connection, { 'bench-pay': 1 })
  const [[tenant]] = await connection.query('SELECT id FROM tenants WHERE slug = ?', ['bench'])
  const now = sqlNow()
  const serviceId = branch.serviceIds[0]

  await connection.query(
    'UPDATE services SET is_bookable = 1, duration_minutes = 30, price = ?, requires_prepayment = 1 WHERE id = ?',
    [PRICE, serviceId]
  )
  const [resource] = await connection.query(
    'INSERT INTO resources (tenant_id, branch_id, kind, name, position, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, 1, 1, ?, ?)',
    [tenant.id, branch.id, 'booth', 'Booth 1', now, now]
  )
  await connection.query(
    'INSERT INTO resource_services (tenant_id, resource_id, service_id) VALUES (?, ?, ?)',
    [tenant.id, resource.insertId, serviceId]
  )
  await connection.query(
    'UPDATE tenants SET booking_settings = ?, messaging_settings = ? WHERE id = ?',
    [
      JSON.stringify({
        paymentProvider: 'midtrans',
        blending: { mode: 'none', autoMinutesBefore: 15 },
      }),
      JSON.stringify({ visitorChannel: 'whatsapp' }),
      tenant.id,
    ]
  )
  const encryption = new Encryption({ secret: loketEnv.APP_KEY })
  await connection.query(
    'INSERT INTO payment_accounts (tenant_id, provider, is_active, settings, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?)',
    [
      tenant.id,
      'midtrans',
      encryption.encrypt(
        JSON.stringify({ server_key: SERVER_KEY, client_key: null, is_production: false })
      ),
      now,
      now,
    ]
  )
  await connection.query(
    'INSERT INTO messaging_channels (tenant_id, kind, is_active, settings, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?)',
    [
      tenant.id,
      'whatsapp',
      encryption.encrypt(
        JSON.stringify({
          phone_number_id: '106540352242922',
          access_token: 'bench-token',
          app_secret: 'bench-secret',
          verify_token: 'bench-verify',
        })
      ),
      now,
      now,
    ]
  )

  const needed =
    WARMUP.rate * WARMUP.duration +
    RATES.reduce((sum, rate) => sum + Math.ceil(rate * DURATION * (1 - REPEAT_SHARE) * 1.15), 0) +
    200
  const ids = { tenantId: tenant.id, branchId: branch.id, resourceId: resource.insertId, serviceId }
  const queue = await seedBookings(connection, ids, needed, 0)
  console.log(`seeded ${needed} bookings waiting for their payment`)

  loketEnv.WORKERS_ENABLED = 'false'
  loketEnv.REDIS_PREFIX += 'pay:'
  loketEnv.RATE_LIMIT_WEBHOOK_PER_MINUTE = '100000000'
  const midtrans = await statusApi()
  loketEnv.MIDTRANS_API_URL = `http://127.0.0.1:${midtrans.address().port}`
  const loket = await startLoket(1)

  const sent = []
  await notifications(queue, sent, WARMUP.rate, WARMUP.duration, REPEAT_SHARE)
  const runs = {}
  const server = {}
  for (const rate of RATES) {
    const before = await serverTimes()
    runs[rate] = await notifications(queue, sent, rate, DURATION, REPEAT_SHARE)
    server[rate] = serverRun(before, await serverTimes())
  }
  const repeatRate = REPEAT_RATE
  const beforeRepeats = await serverTimes()
  const onlyRepeats = await notifications([], sent, repeatRate, DURATION, 1)
  server.repeats = serverRun(beforeRepeats, await serverTimes())
  await stop(loket)
  midtrans.close()

  const unique = sent.length
  const totalRepeats =
    Object.values(runs).reduce((sum, run) => sum + run.repeats, 0) + onlyRepeats.repeats
  const stored = await count(
    connection,
    'SELECT COUNT(*) AS total FROM payment_notifications WHERE tenant_id = ?',
    [tenant.id]
  )
  const applied = await count(
    connection,
    "SELECT COUNT(*) AS total FROM payment_notifications WHERE tenant_id = ? AND outcome = 'applied'",
    [tenant.id]
  )
  const paidPayments = await count(
    connection,
    "SELECT COUNT(*) AS total FROM payments WHERE tenant_id = ? AND status = 'paid'",
    [tenant.id]
  )
  const confirmed = await count(
    connection,
    "SELECT COUNT(*) AS total FROM bookings WHERE tenant_id = ? AND status = 'awaiting_customer'",
    [tenant.id]
  )
  const paidEvents = await count(
    connection,
    "SELECT COUNT(*) AS total FROM booking_events WHERE tenant_id = ? AND type = 'paid'",
    [tenant.id]
  )
  const messages = await count(
    connection,
    "SELECT COUNT(*) AS total FROM notifications WHERE tenant_id = ? AND event = 'booking_confirmed'",
    [tenant.id]
  )
  await connection.end()

  const rows = [
    ...RATES.map((rate) =>
      stats(`${rate}/s offered, ${Math.round(REPEAT_SHARE * 100)} % repeats`, runs[rate])
    ),
    stats(`${repeatRate}/s offered, repeats only`, onlyRepeats),
  ]
  console.table(rows)
  console.table([
    ...RATES.map((rate) => ({
      run: `${rate}/s offered, ${Math.round(REPEAT_SHARE * 100)} % repeats`,
      ...serverRow(server[rate]),
    })),
    { run: `${repeatRate}/s offered, repeats only`, ...serverRow(server.repeats) },
  ])
  const errors = rows.reduce((sum, row) => sum + row.errors, 0)
  const exact =
    stored === unique &&
    applied === unique &&
    paidPayments === unique &&
    confirmed === unique &&
    paidEvents === unique
  console.table([
    {
      'distinct notifications sent': unique,
      'repeats sent': totalRepeats,
      stored,
      applied,
      'payments paid': paidPayments,
      'bookings confirmed': confirmed,
      'paid events': paidEvents,
      'confirmations queued': messages,
    },
  ])
  console.log(
    `repeats: ${totalRepeats} sent (${((totalRepeats / (totalRepeats + unique)) * 100).toFixed(0)} % of all requests); ` +
      `${errors === 0 ? 'every request was answered 200' : `${errors} requests were not answered 200`}; ` +
      `${exact ? 'repeats changed nothing (one notification row, one paid payment, one paid event per booking)' : 'STATE DIFFERS FROM ONE CHANGE PER BOOKING (counts above)'}`
  )
  for (const rate of RATES) {
    console.log(
      `${rate}/s: webhook p95 ${runs[rate].p95.toFixed(2)} ms (target under 50 ms) -> ${runs[rate].p95 < 50 ? 'met' : 'not met'}`
    )
  }

  mkdirSync(join(root, 'bench', 'results'), { recursive: true })
  const file = join(
    root,
    'bench',
    'results',
    `payments-${new Date().toISOString().replace(/[:.]/g, '-')}.json`
  )
  writeFileSync(
    file,
    JSON.stringify(
      {
        machine: machineState(),
        rates: RATES,
        repeatRate: REPEAT_RATE,
        duration: DURATION,
        repeatShare: REPEAT_SHARE,
        runs,
        onlyRepeats,
        server,
        unique,
        totalRepeats,
        stored,
        applied,
        paidPayments,
        confirmed,
        paidEvents,
        messages,
        exact,
      },
      null,
      2
    )
  )
  console.log(`saved ${file}`)
  process.exit(exact && errors === 0 ? 0 : 1)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
