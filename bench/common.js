/*
| Shared pieces of Loket's benchmarks: start Loket (production mode, MySQL, Redis) and the bare
| baseline server side by side, drive them with autocannon, and compute latency percentiles from
| every response (autocannon's own summary has no p95).
|
| Each run is its own: its databases (`loket_bench_<kind>_r<pid>t<time>`, the baseline's too), its Redis
| prefix and free ports, so that two runs on one machine cannot collide; the databases of runs whose
| process is gone are dropped when the next run starts (BENCH_DATABASE names one to keep and reuse).
| `saveResult` writes the figures with the machine's state: load average and CPU steal during the run.
*/
import autocannon from 'autocannon'
import { spawn, spawnSync } from 'node:child_process'
import http from 'node:http'
import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import mysql from 'mysql2/promise'

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** A TCP port nobody listens on now. */
function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolvePort(port))
    })
  })
}

/** This run's name: in its databases, its Redis prefix and its result file. */
export const RUN_ID = process.env.BENCH_RUN_ID ?? `r${process.pid}t${Date.now().toString(36)}`
/** A database of this run (MySQL names: at most 64 characters). */
export function runDatabase(kind) {
  return `loket_bench_${kind}_${RUN_ID}`.slice(0, 64)
}
export const LOKET_PORT = Number(process.env.BENCH_LOKET_PORT ?? (await freePort()))
export const BASELINE_PORT = Number(process.env.BENCH_BASELINE_PORT ?? (await freePort()))
const children = []

/** CPU time counters of the machine (/proc/stat's first line), to compute the steal share of a run. */
function cpuTimes() {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/)
    const numbers = fields.map(Number)
    return { total: numbers.reduce((sum, value) => sum + value, 0), steal: numbers[7] ?? 0 }
  } catch {
    return null
  }
}
const cpuAtStart = cpuTimes()

/** The machine now: load averages, cores, and the share of CPU time stolen by the host since the run began. */
export function machineState() {
  const now = cpuTimes()
  const stolen =
    now && cpuAtStart && now.total > cpuAtStart.total
      ? (now.steal - cpuAtStart.steal) / (now.total - cpuAtStart.total)
      : null
  return {
    loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
    cores: os.cpus().length,
    cpuStealPercent: stolen === null ? null : Math.round(stolen * 1000) / 10,
  }
}

/** A process's CPU seconds so far (user + system) and resident memory in MB, from /proc. */
export function processUsage(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return {
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100,
    rssMb: (Number(fields[21]) * 4096) / 1024 / 1024,
  }
}

/**
 * The pid of the MariaDB (or MySQL) server on this machine, or null when the database runs
 * elsewhere: a bench that knows it can say how much of the database's CPU each request costs.
 */
export function localDatabasePid() {
  for (const name of ['mariadbd', 'mysqld']) {
    const found = spawnSync('pgrep', ['-o', '-x', name], { encoding: 'utf8' })
    const pid = Number(found.stdout.trim())
    if (found.status === 0 && pid > 0) return pid
  }
  return null
}

/** Samples `pid`'s resident memory every 250 ms until the returned function is called; it returns the peak. */
export function watchRss(pid) {
  let peak = processUsage(pid).rssMb
  const timer = setInterval(() => (peak = Math.max(peak, processUsage(pid).rssMb)), 250)
  return () => {
    clearInterval(timer)
    return Math.max(peak, processUsage(pid).rssMb)
  }
}

/** Writes a run's figures to bench/results/<name>-<run>.json with the machine's state, and prints the state. */
export function saveResult(name, results) {
  const machine = machineState()
  mkdirSync(join(root, 'bench', 'results'), { recursive: true })
  const file = join(root, 'bench', 'results', `${name}-${RUN_ID}.json`)
  writeFileSync(
    file,
    JSON.stringify({ run: RUN_ID, at: new Date().toISOString(), machine, results }, null, 2)
  )
  console.log(
    `load average ${machine.loadAverage.join(' / ')} on ${machine.cores} cores, CPU steal ${machine.cpuStealPercent ?? '?'}% during the run; saved ${file}`
  )
}

/** Environment of the Loket server under test: production mode on MySQL + Redis, limits off. */
export const loketEnv = {
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: String(LOKET_PORT),
  APP_KEY: randomBytes(32).toString('base64url'),
  APP_URL: `http://127.0.0.1:${LOKET_PORT}`,
  COOKIE_SECURE: 'false',
  LOG_LEVEL: 'warn',
  SESSION_DRIVER: 'cookie',
  DB_CONNECTION: 'mysql',
  DB_HOST: process.env.DB_HOST ?? '127.0.0.1',
  DB_USER: process.env.DB_USER ?? 'loket',
  DB_PASSWORD: process.env.DB_PASSWORD ?? 'loket',
  DB_DATABASE: process.env.BENCH_DATABASE ?? runDatabase('app'),
  DB_POOL_MAX: process.env.DB_POOL_MAX ?? '10',
  REDIS_HOST: process.env.REDIS_HOST ?? '127.0.0.1',
  REDIS_PREFIX: `loket-bench-${RUN_ID}:`,
  RATE_LIMIT_TAKE_PER_MINUTE: '100000000',
  RATE_LIMIT_POLL_PER_MINUTE: '100000000',
  SCHEDULER_ENABLED: 'false',
  /** /metrics answers only with its token in production. */
  METRICS_TOKEN: `bench-${RUN_ID}`,
}

/** Loket's /metrics (Prometheus text), with the bench's token. */
export async function metricsText() {
  const response = await fetch(`http://127.0.0.1:${LOKET_PORT}/metrics`, {
    headers: { authorization: `Bearer ${loketEnv.METRICS_TOKEN}` },
  })
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`)
  return response.text()
}

/** Whether a process with this pid runs on this machine. */
function alive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === 'EPERM'
  }
}

/** Drops the databases of earlier runs whose process is gone (never the one BENCH_DATABASE names). */
async function dropStaleDatabases(connection) {
  const [rows] = await connection.query("SHOW DATABASES LIKE 'loket\\_bench\\_%'")
  for (const row of rows) {
    const name = Object.values(row)[0]
    const pid = Number(/_r(\d+)t[0-9a-z]+$/.exec(name)?.[1])
    if (!pid || pid === process.pid || alive(pid) || name === process.env.BENCH_DATABASE) continue
    await connection.query(`DROP DATABASE \`${name}\``)
  }
}

export async function database() {
  const connection = await mysql.createConnection({
    host: loketEnv.DB_HOST,
    user: loketEnv.DB_USER,
    password: loketEnv.DB_PASSWORD,
  })
  await dropStaleDatabases(connection)
  await connection.query(`CREATE DATABASE IF NOT EXISTS \`${loketEnv.DB_DATABASE}\``)
  await connection.changeUser({ database: loketEnv.DB_DATABASE })
  return connection
}

export const buildDir = join(root, 'build')

/**
 * Loket is measured as production runs it: the compiled build (`node ace build`), plain node,
 * no TypeScript loader. The build shares this project's node_modules.
 */
export function prepareBuild() {
  if (process.env.BENCH_SKIP_BUILD !== '1') {
    const result = spawnSync(process.execPath, ['ace', 'build'], { cwd: root, encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`)
  }
  if (!existsSync(join(buildDir, 'node_modules')))
    symlinkSync(join(root, 'node_modules'), join(buildDir, 'node_modules'), 'dir')
}

/** Fresh schema for the Loket under test. */
export async function migrateFresh() {
  const result = spawnSync(process.execPath, ['ace', 'migration:fresh', '--force'], {
    cwd: buildDir,
    env: { ...process.env, ...loketEnv },
    encoding: 'utf8',
  })
  if (result.status !== 0) throw new Error(`migration failed:\n${result.stdout}\n${result.stderr}`)
}

/** A tenant with one branch per service count asked: `{ slug: services }`. */
export async function seedBranches(connection, layout) {
  const now = new Date().toISOString().slice(0, 23).replace('T', ' ')
  const [tenant] = await connection.query(
    'INSERT INTO tenants (name, slug, locale, brand_color, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)',
    ['Bench Clinic', 'bench', 'id', '#0f766e', now, now]
  )
  const branches = {}
  for (const [slug, serviceCount] of Object.entries(layout)) {
    const [branch] = await connection.query(
      'INSERT INTO branches (tenant_id, name, slug, timezone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      [tenant.insertId, slug, slug, 'Asia/Jakarta', now, now]
    )
    const serviceIds = []
    for (let index = 0; index < serviceCount; index++) {
      const code =
        String.fromCharCode(65 + (index % 26)) +
        (index >= 26 ? String.fromCharCode(65 + Math.floor(index / 26)) : '')
      const [service] = await connection.query(
        'INSERT INTO services (tenant_id, branch_id, code, name, position, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)',
        [tenant.insertId, branch.insertId, code, `Service ${index + 1}`, index + 1, now, now]
      )
      serviceIds.push(service.insertId)
    }
    const token = `bench-tv-${slug}`
    await connection.query(
      'INSERT INTO devices (tenant_id, branch_id, kind, name, token, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [tenant.insertId, branch.insertId, 'display', 'TV', token, now, now]
    )
    branches[slug] = { id: branch.insertId, serviceIds, token }
  }
  return branches
}

function spawnServer(name, args, env, readyUrl, cwd = root) {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  children.push(child)
  child.on('exit', (code) => {
    if (code && code !== 0 && !child.stopping) console.error(`${name} exited with ${code}`)
  })
  return waitFor(readyUrl).then(() => child)
}

/** Loket's build, as one process (`bin/server.js`) or as `copies` processes (`bin/cluster.js`). */
export function startLoket(copies = 1) {
  const entry = copies > 1 ? 'bin/cluster.js' : 'bin/server.js'
  // BENCH_NODE_ARGS: flags for Loket's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" (a CPU profile per process).
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)
  return spawnServer(
    'loket',
    [...nodeArgs, entry],
    { ...loketEnv, WEB_CONCURRENCY: String(copies) },
    `http://127.0.0.1:${LOKET_PORT}/livez`,
    buildDir
  )
}

/**
 * The bare node:http + mysql2 baseline (../shared/bench/baseline_server.mjs, or BASELINE=path).
 * It is copied under tmp/ so that it resolves mysql2 from this project's node_modules.
 */
export function startBaseline(services) {
  const source = resolve(
    process.env.BASELINE ?? join(root, '..', 'shared', 'bench', 'baseline_server.mjs')
  )
  if (!existsSync(source))
    throw new Error(
      `baseline server not found at ${source} (set BASELINE=/path/to/baseline_server.mjs)`
    )
  mkdirSync(join(root, 'tmp', 'bench'), { recursive: true })
  // The copy uses this run's own database instead of the fixed `loket_bench`.
  const copy = join(root, 'tmp', 'bench', `baseline_server_${RUN_ID}.mjs`)
  writeFileSync(
    copy,
    readFileSync(source, 'utf8')
      .replaceAll("'loket_bench'", `'${runDatabase('base')}'`)
      .replaceAll('EXISTS loket_bench', `EXISTS ${runDatabase('base')}`)
  )
  return spawnServer(
    'baseline',
    [copy, String(BASELINE_PORT)],
    { SERVICES: String(services) },
    `http://127.0.0.1:${BASELINE_PORT}/version`
  )
}

export async function stop(child) {
  child.stopping = true
  child.kill('SIGTERM')
  await new Promise((resolve) => child.once('exit', resolve))
}

export function stopAll() {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
}
process.on('exit', stopAll)
process.on('SIGINT', () => process.exit(130))

export async function waitFor(url, timeoutMs = 60_000) {
  const started = Date.now()
  while (Date.now() - started < timeoutMs) {
    try {
      const response = await fetch(url)
      if (response.status < 500) return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`)
}

/** A visitor session on Loket: its cookies and CSRF token, as a browser would hold them. */
export async function visitorSession(slug) {
  const response = await fetch(`http://127.0.0.1:${LOKET_PORT}/b/${slug}`)
  const html = await response.text()
  const token = /name='_csrf' value='([^']+)'/.exec(html)?.[1]
  const cookie = response.headers
    .getSetCookie()
    .map((value) => value.split(';')[0])
    .join('; ')
  if (!token) throw new Error('no CSRF token on the branch page')
  return { cookie, token }
}

/**
 * A visitor's take as a phone sends it: a CSRF-checked form POST with the session cookie and a
 * fresh request_id, on a random one of `serviceIds` (for openLoop: `body` is called per request).
 */
export function formTakeRequest(slug, serviceIds, session) {
  return {
    url: `http://127.0.0.1:${LOKET_PORT}/b/${slug}/tickets`,
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'cookie': session.cookie,
      'x-csrf-token': session.token,
    },
    body: () =>
      `service_id=${serviceIds[Math.floor(Math.random() * serviceIds.length)]}&request_id=${randomUUID()}`,
  }
}

/** Visitors' takes at full speed (autocannon, `connections` at once) for `duration` seconds. */
export async function formTakeLoad(slug, serviceIds, duration = 10, connections = 32) {
  const { url, method, headers, body } = formTakeRequest(
    slug,
    serviceIds,
    await visitorSession(slug)
  )
  return load(
    {
      url,
      method,
      headers,
      connections,
      duration,
      requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
    },
    303
  )
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

function summarize(latencies, errors, seconds) {
  latencies.sort((a, b) => a - b)
  return {
    requests: latencies.length,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors,
  }
}

/**
 * An open-loop load: `rate` requests per second, evenly spaced, sent whether or not earlier ones
 * have answered (autocannon's rate option sends each second's quota in one burst, which measures
 * a saturated server instead). Latency runs from send to the end of the response.
 */
export function openLoop({
  url,
  method = 'GET',
  headers = {},
  body,
  rate,
  duration,
  expect,
  onStatus,
}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 })
  const total = Math.round(rate * duration)
  const latencies = []
  let errors = 0
  let sent = 0
  let finished = 0
  const started = performance.now()
  return new Promise((resolve) => {
    const finish = () => {
      if (++finished < total) return
      agent.destroy()
      resolve(summarize(latencies, errors, (performance.now() - started) / 1000))
    }
    const fire = () => {
      const sentAt = performance.now()
      const payload = body ? body() : undefined
      // Headers may depend on the body (a signature over it).
      const sentHeaders = typeof headers === 'function' ? headers(payload) : headers
      const request = http.request(url, { method, headers: sentHeaders, agent }, (response) => {
        response.resume()
        response.on('end', () => {
          latencies.push(performance.now() - sentAt)
          if (response.statusCode !== expect) errors++
          onStatus?.(response.statusCode)
          finish()
        })
      })
      request.on('error', (error) => {
        errors++
        onStatus?.(error.code ?? 'error')
        finish()
      })
      request.end(payload)
    }
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate))
      while (sent < due) {
        sent++
        fire()
      }
      if (sent >= total) clearInterval(timer)
    }, 1)
  })
}

/**
 * Runs autocannon and returns throughput and latency percentiles computed from every response.
 * `expect` is the status a successful answer has; anything else counts as an error.
 */
export async function load(options, expect) {
  const latencies = []
  let wrong = 0
  const instance = autocannon({ connections: 32, duration: 10, ...options })
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime)
    if (statusCode !== expect) wrong++
  })
  const result = await instance
  return summarize(
    latencies,
    wrong + result.errors + result.timeouts,
    result.duration || options.duration || 10
  )
}

export function row(label, stats) {
  return {
    'run': label,
    'req/s': Math.round(stats.rps),
    'p50 ms': stats.p50.toFixed(1),
    'p95 ms': stats.p95.toFixed(1),
    'p99 ms': stats.p99.toFixed(1),
    'errors': stats.errors,
  }
}

/** A cookie-keeping HTTP client that reads the CSRF token from the pages it loads. */
export function session(base = `http://127.0.0.1:${LOKET_PORT}`) {
  const cookies = new Map()
  let token = ''
  const request = async (path, init = {}) => {
    const response = await fetch(base + path, {
      ...init,
      redirect: 'manual',
      headers: { ...init.headers, cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';')
      cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1))
    }
    return response
  }
  return {
    /** The Cookie header this session sends (for load generators). */
    cookie: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    async get(path) {
      const response = await request(path)
      const html = await response.text()
      token = /name='_csrf' value='([^']+)'/.exec(html)?.[1] ?? token
      return html
    },
    post(path, form = {}) {
      return request(path, {
        method: 'POST',
        body: form instanceof URLSearchParams ? form : new URLSearchParams(form),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-csrf-token': token,
          'hx-request': 'true',
        },
      })
    },
  }
}
