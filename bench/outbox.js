/*
| npm run bench:outbox — the messaging backbone on MySQL + Redis, against the compiled build.
|   1. Enqueue cost: take-a-number latency at a steady 20 and 100 takes/s (open loop, 50 services), first with
|      nothing to send, then with every visitor leaving a phone number on a tenant that messages
|      visitors on WhatsApp and has one webhook endpoint for ticket.created. The web server runs with
|      WORKERS_ENABLED=false, so the difference is what writing the outbox rows (and handing their
|      jobs to Bull) adds to taking a number.
|   2. Throughput: the backlog that run left (a message and a webhook call per ticket) is delivered by
|      one `node ace jobs:work` process to a local fake WhatsApp Cloud API and a local webhook
|      receiver, both in this process; delivered rows per second, from the worker's start to the last row.
*/
import { randomBytes, randomUUID } from 'node:crypto'
import http from 'node:http'
import { spawn } from 'node:child_process'
import { Encryption } from '@adonisjs/core/encryption'
import {
  LOKET_PORT,
  buildDir,
  database,
  loketEnv,
  migrateFresh,
  openLoop,
  prepareBuild,
  seedBranches,
  startLoket,
  stop,
  visitorSession,
  metricsText,
  saveResult,
} from './common.js'

const DURATION = Number(process.env.BENCH_DURATION ?? 10)
/** Offered take-a-number rates (per second): a busy branch's peak, and five times that. */
const RATES = (process.env.BENCH_RATES ?? '20,100').split(',').map(Number)

/** A WhatsApp Cloud API stand-in: accepts every message with a fresh wamid, as Meta answers. */
function fakeWhatsApp() {
  let accepted = 0
  const server = http.createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      accepted++
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(
        JSON.stringify({
          messaging_product: 'whatsapp',
          contacts: [{ input: '6281234567890', wa_id: '6281234567890' }],
          messages: [{ id: `wamid.${randomBytes(16).toString('base64url')}` }],
        })
      )
    })
  })
  return { server, accepted: () => accepted }
}

/** A webhook receiver that answers 204 to everything. */
function fakeReceiver() {
  let received = 0
  const server = http.createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      received++
      response.writeHead(204)
      response.end()
    })
  })
  return { server, received: () => received }
}

function listen(server) {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(server.address().port))
  )
}

function stats(label, result) {
  return {
    'run': label,
    'takes/s': Math.round(result.rps),
    'p50 ms': result.p50.toFixed(2),
    'p95 ms': result.p95.toFixed(2),
    'p99 ms': result.p99.toFixed(2),
    'errors': result.errors,
  }
}

async function steadyTakes(slug, serviceIds, withPhone, rate) {
  const session = await visitorSession(slug)
  let counter = 0
  return openLoop({
    url: `http://127.0.0.1:${LOKET_PORT}/b/${slug}/tickets`,
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'cookie': session.cookie,
      'x-csrf-token': session.token,
    },
    body: () => {
      const service = serviceIds[Math.floor(Math.random() * serviceIds.length)]
      const phone = withPhone ? `&phone=0812${String(10_000_000 + (counter++ % 89_999_999))}` : ''
      return `service_id=${service}&request_id=${randomUUID()}${phone}`
    },
    rate,
    duration: DURATION,
    expect: 303,
  })
}

async function count(connection, table, statuses) {
  const [rows] = await connection.query(
    `SELECT COUNT(*) AS total FROM ${table} WHERE status IN (?)`,
    [statuses]
  )
  return Number(rows[0].total)
}

async function main() {
  console.log('building Loket and preparing the bench database…')
  prepareBuild()
  const whatsapp = fakeWhatsApp()
  const receiver = fakeReceiver()
  const whatsappPort = await listen(whatsapp.server)
  const receiverPort = await listen(receiver.server)

  const connection = await database()
  await migrateFresh()
  const { 'bench-fifty': branch } = await seedBranches(connection, { 'bench-fifty': 50 })
  const [[tenant]] = await connection.query('SELECT id FROM tenants WHERE slug = ?', ['bench'])
  const now = new Date().toISOString().slice(0, 23).replace('T', ' ')

  loketEnv.WORKERS_ENABLED = 'false'
  loketEnv.WHATSAPP_GRAPH_URL = `http://127.0.0.1:${whatsappPort}/v21.0`
  loketEnv.REDIS_PREFIX += 'outbox:'
  loketEnv.RATE_LIMIT_TAKE_PER_MINUTE = '100000000'
  // The fake receiver listens on 127.0.0.1, which production refuses unless told otherwise.
  loketEnv.WEBHOOK_ALLOW_PRIVATE_URLS = 'true'
  const loket = await startLoket(1)

  // 1a. Nothing to send.
  await steadyTakes('bench-fifty', branch.serviceIds, false, RATES[0])
  const quiet = {}
  for (const rate of RATES)
    quiet[rate] = await steadyTakes('bench-fifty', branch.serviceIds, false, rate)

  // The tenant messages visitors on WhatsApp and tells one endpoint about every new ticket.
  const encryption = new Encryption({ secret: loketEnv.APP_KEY })
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
  await connection.query(
    'INSERT INTO webhook_endpoints (tenant_id, url, description, secret, events, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)',
    [
      tenant.id,
      `http://127.0.0.1:${receiverPort}/hooks`,
      'bench',
      encryption.encrypt(`whsec_${randomBytes(32).toString('base64url')}`),
      JSON.stringify(['ticket.created']),
      now,
      now,
    ]
  )
  await connection.query('UPDATE tenants SET messaging_settings = ? WHERE id = ?', [
    JSON.stringify({ visitorChannel: 'whatsapp' }),
    tenant.id,
  ])
  await new Promise((resolve) => setTimeout(resolve, 6000)) // the server's 5 s cache of the tenant's messaging setup

  // 1b. A message and a webhook call per ticket; the server's own enqueue figures after each rate.
  const messaging = {}
  const enqueue = {}
  for (const rate of RATES) {
    messaging[rate] = await steadyTakes('bench-fifty', branch.serviceIds, true, rate)
    await new Promise((resolve) => setTimeout(resolve, 2000))
    const exposition = await metricsText()
    enqueue[rate] = Object.fromEntries(
      [
        ...exposition.matchAll(
          /^loket_outbox_enqueue_seconds\{quantile="([\d.]+)"\} ([\d.e-]+)$/gm
        ),
      ].map(([, q, value]) => [q, Number(value) * 1000])
    )
  }
  await stop(loket)
  const backlog = {
    notifications: await count(connection, 'notifications', ['queued']),
    webhooks: await count(connection, 'webhook_deliveries', ['queued']),
  }

  // 2. One dedicated worker drains the backlog.
  const worker = spawn(process.execPath, ['ace', 'jobs:work'], {
    cwd: buildDir,
    env: { ...process.env, ...loketEnv, WORKERS_ENABLED: 'true' },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const started = performance.now()
  let delivered = 0
  const total = backlog.notifications + backlog.webhooks
  for (;;) {
    delivered =
      (await count(connection, 'notifications', ['sent'])) +
      (await count(connection, 'webhook_deliveries', ['sent']))
    if (delivered >= total || performance.now() - started > 300_000) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const seconds = (performance.now() - started) / 1000
  worker.kill('SIGTERM')
  const failed =
    (await count(connection, 'notifications', ['failed', 'dead'])) +
    (await count(connection, 'webhook_deliveries', ['failed', 'dead']))
  await connection.end()
  whatsapp.server.close()
  receiver.server.close()

  const rows = RATES.flatMap((rate) => [
    stats(`${rate}/s offered: take a number, nothing to send`, quiet[rate]),
    stats(
      `${rate}/s offered: take a number + WhatsApp message + webhook call queued`,
      messaging[rate]
    ),
  ])
  console.table(rows)
  const added = {}
  for (const rate of RATES) {
    added[rate] = {
      p50: messaging[rate].p50 - quiet[rate].p50,
      p95: messaging[rate].p95 - quiet[rate].p95,
    }
    console.log(
      `${rate}/s: end-to-end latency added to taking a number: p50 ${added[rate].p50.toFixed(2)} ms, p95 ${added[rate].p95.toFixed(2)} ms`
    )
    console.log(
      `${rate}/s: enqueue time inside the take's transaction (server-side, last 2048): p50 ${enqueue[rate]['0.5'].toFixed(2)} ms, p95 ${enqueue[rate]['0.95'].toFixed(2)} ms,` +
        ` p99 ${enqueue[rate]['0.99'].toFixed(2)} ms (target: under 2 ms at p95) -> ${enqueue[rate]['0.95'] < 2 ? 'met' : 'not met'}`
    )
  }
  const throughput = delivered / seconds
  console.table([
    {
      'run': 'one jobs:work process drains the backlog',
      'messages': backlog.notifications,
      'webhook calls': backlog.webhooks,
      delivered,
      failed,
      'seconds': seconds.toFixed(1),
      'deliveries/s': Math.round(throughput),
      'provider saw': whatsapp.accepted(),
      'receiver saw': receiver.received(),
    },
  ])

  saveResult('outbox', {
    rates: RATES,
    duration: DURATION,
    quiet,
    messaging,
    added,
    enqueue,
    backlog,
    delivered,
    failed,
    seconds,
    throughput,
  })
  process.exit(0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
