/*
| npm run bench:pos-sync — the daily POS sync of 50,000 outlets on MySQL.
|   A local fake POS (node:http, in this process) serves BENCH_OUTLETS (50,000) outlets as JSON in
|   pages of BENCH_PAGE_SIZE (1,000), `{ data: [...], meta: { last_page } }`. A tenant of a fresh
|   database (BENCH_DATABASE, or the run's own) has that endpoint as its POS source, and
|   `node ace pos:sync --tenant=bench-pos` pulls it twice: first every outlet is new, then every
|   outlet is unchanged but 5% (renamed) and 1% (expired). Prints each run's own time (its sync
|   log row, started to finished) and the command's wall time (with the app's start).
*/
import { createServer } from 'node:http'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import mysql from 'mysql2/promise'
import { runDatabase } from './common.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const OUTLETS = Number(process.env.BENCH_OUTLETS ?? 50_000)
const PAGE_SIZE = Number(process.env.BENCH_PAGE_SIZE ?? 1_000)
const DATABASE = process.env.BENCH_DATABASE ?? runDatabase('pos')

const env = {
  ...process.env,
  NODE_ENV: 'development',
  APP_KEY: process.env.APP_KEY ?? randomBytes(32).toString('base64url'),
  LOG_LEVEL: 'warn',
  DB_CONNECTION: 'mysql',
  DB_HOST: process.env.DB_HOST ?? '127.0.0.1',
  DB_PORT: process.env.DB_PORT ?? '3306',
  DB_USER: process.env.DB_USER ?? 'loket',
  DB_PASSWORD: process.env.DB_PASSWORD ?? 'loket',
  DB_DATABASE: DATABASE,
  SCHEDULER_ENABLED: 'false',
  WORKERS_ENABLED: 'false',
}
delete env.REDIS_HOST

const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)

/** The POS's outlets; `round` 2 renames every 20th and expires every 100th. */
function outlet(index, round) {
  return {
    fid: `F${Math.floor(index / 25) + 1}`,
    oid: `O${index + 1}`,
    name: round === 2 && index % 20 === 0 ? `Outlet ${index + 1} (baru)` : `Outlet ${index + 1}`,
    address: `Jl. Bench ${index + 1}, Jakarta`,
    phone: `0812${String(10_000_000 + index).padStart(8, '0')}`,
    expires_on: round === 2 && index % 100 === 0 ? day(-3) : day(10 + (index % 300)),
    status: 'active',
  }
}

let round = 1
const pos = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://pos.local')
  const page = Number(url.searchParams.get('page') ?? '1')
  const first = (page - 1) * PAGE_SIZE
  const data = []
  for (let index = first; index < Math.min(OUTLETS, first + PAGE_SIZE); index++)
    data.push(outlet(index, round))
  response.writeHead(200, { 'content-type': 'application/json' })
  response.end(JSON.stringify({ data, meta: { page, last_page: Math.ceil(OUTLETS / PAGE_SIZE) } }))
})

/** Runs an ace command without blocking this process (it serves the fake POS meanwhile). */
function ace(args) {
  const started = performance.now()
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['ace', ...args], { cwd: root, env })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('close', (code) => {
      if (code !== 0) return fail(new Error(`ace ${args.join(' ')} failed:\n${output}`))
      done({ seconds: (performance.now() - started) / 1000, output: output.trim() })
    })
  })
}

async function main() {
  await new Promise((done) => pos.listen(0, '127.0.0.1', done))
  const posUrl = `http://127.0.0.1:${pos.address().port}/api/outlets`
  const admin = await mysql.createConnection({
    host: env.DB_HOST,
    port: Number(env.DB_PORT),
    user: env.DB_USER,
    password: env.DB_PASSWORD,
  })
  await admin.query(`CREATE DATABASE IF NOT EXISTS \`${DATABASE}\``)
  await admin.changeUser({ database: DATABASE })
  console.log(`migrating ${DATABASE}…`)
  await ace(['migration:fresh', '--force'])
  const now = new Date().toISOString().slice(0, 23).replace('T', ' ')
  const [tenant] = await admin.query(
    'INSERT INTO tenants (name, slug, locale, brand_color, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)',
    ['Bench POS', 'bench-pos', 'id', '#0f766e', now, now]
  )
  await admin.query(
    'INSERT INTO branches (tenant_id, name, slug, timezone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    [tenant.insertId, 'Pusat', 'bench-pos-pusat', 'Asia/Jakarta', now, now]
  )
  await admin.query(
    'INSERT INTO pos_sources (tenant_id, endpoint_url, mapping, page_param, timeout_seconds, is_enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)',
    [tenant.insertId, posUrl, JSON.stringify({ items: 'data' }), 'page', 30, now, now]
  )

  const results = []
  for (const which of [1, 2]) {
    round = which
    const { seconds, output } = await ace(['pos:sync', '--tenant=bench-pos'])
    const [[run]] = await admin.query(
      'SELECT * FROM outlet_sync_runs WHERE tenant_id = ? ORDER BY id DESC LIMIT 1',
      [tenant.insertId]
    )
    const own = (new Date(run.finished_at) - new Date(run.started_at)) / 1000
    results.push({ round: which, own, seconds, run })
    console.log(output)
    console.log(
      `round ${which}: ${run.rows_count} rows in ${run.pages_count} pages — sync ${own.toFixed(2)} s ` +
        `(command with app start ${seconds.toFixed(2)} s): ${run.created_count} new, ${run.updated_count} updated, ` +
        `${run.expired_count} expired, ${run.unchanged_count} unchanged, ${run.error_count} errors`
    )
  }
  const [[count]] = await admin.query('SELECT COUNT(*) AS n FROM outlets WHERE tenant_id = ?', [
    tenant.insertId,
  ])
  console.log(`outlets stored: ${count.n}`)
  await admin.end()
  pos.close()
}

main().catch((error) => {
  console.error(error)
  pos.close()
  process.exit(1)
})
