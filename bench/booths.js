/*
| npm run bench:booths — 500 photo booths following their sessions (seed 002: "Support Booth: 500+
| secara simultan"). 10 outlets x 50 booth resources, each with a booth device (token) and today's
| bookings: one session running, one customer arrived, more to come. Each booth polls
| GET /booth/:token/status?v=<the version it holds> every 2 s, open loop (~250 req/s, whether or not
| earlier answers came back), for 30 s, while staff start and finish sessions through the REST API
| (each bumps its outlet's version, so that outlet's 50 booths get a fresh answer on their next poll).
| Reports p50/p95/p99 and req/s, overall and for the 204 (unchanged) and 200 (fresh JSON) answers.
|
| Compiled build, production mode, MySQL + Redis. The server runs from a private copy of the build,
| so another bench rebuilding build/ meanwhile does not pull the files from under it. Database,
| port and Redis prefix are the run's own (bench/common.js).
| The database is created as root (with GRANT ALL to loket) when the loket user may not create it.
*/
import http from 'node:http'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const {
  LOKET_PORT,
  buildDir,
  database,
  loketEnv,
  machineState,
  prepareBuild,
  root,
  stop,
  waitFor,
} = await import('./common.js')

const OUTLETS = Number(process.env.BENCH_OUTLETS ?? 10)
const BOOTHS_PER_OUTLET = Number(process.env.BENCH_BOOTHS_PER_OUTLET ?? 50)
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 2000)
const DURATION_S = Number(process.env.BENCH_DURATION ?? 30)
/** A booth somewhere turns over (its session finished, the next started) this often. */
const ACTION_MS = Number(process.env.BENCH_ACTION_MS ?? 1000)

loketEnv.REDIS_PREFIX += 'booth:'
loketEnv.RATE_LIMIT_API_PER_MINUTE = '100000000'
const base = `http://127.0.0.1:${LOKET_PORT}`
const runDir = join(root, 'tmp', 'bench-booths')

/** The loket user creates the database if it may; otherwise root does (MariaDB's socket auth) and grants it. */
async function connect() {
  try {
    return await database()
  } catch (error) {
    if (!/denied/i.test(String(error?.message))) throw error
    const name = loketEnv.DB_DATABASE
    const sql = `CREATE DATABASE IF NOT EXISTS \`${name}\`; GRANT ALL ON \`${name}\`.* TO 'loket'@'127.0.0.1'; GRANT ALL ON \`${name}\`.* TO 'loket'@'localhost';`
    const result = spawnSync('mariadb', ['-uroot', '-e', sql], { encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`could not create ${name} as root: ${result.stderr}`)
    return database()
  }
}

/** A private copy of the build (sharing node_modules) to run the server from. */
function privateBuild() {
  rmSync(runDir, { recursive: true, force: true })
  mkdirSync(runDir, { recursive: true })
  const copy = join(runDir, 'build')
  cpSync(buildDir, copy, {
    recursive: true,
    filter: (source) => !source.endsWith(`${join('build', 'node_modules')}`),
  })
  if (!existsSync(join(copy, 'node_modules')))
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir')
  return copy
}

function migrateFresh(dir) {
  const result = spawnSync(process.execPath, ['ace', 'migration:fresh', '--force'], {
    cwd: dir,
    env: { ...process.env, ...loketEnv },
    encoding: 'utf8',
  })
  if (result.status !== 0) throw new Error(`migration failed:\n${result.stdout}\n${result.stderr}`)
}

async function startLoket(dir) {
  const child = spawn(process.execPath, ['bin/server.js'], {
    cwd: dir,
    env: { ...process.env, ...loketEnv },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  process.on('exit', () => child.exitCode === null && child.kill('SIGKILL'))
  await waitFor(`${base}/livez`)
  return child
}

const sqlTime = (date) => date.toISOString().slice(0, 23).replace('T', ' ')
/** The branch-local (Asia/Jakarta, UTC+7) day and time of a moment. */
const jakarta = (date) => new Date(date.getTime() + 7 * 3600_000).toISOString()
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
let codeCounter = 0
/** Unique per tenant: BK + the counter in the code alphabet. */
function nextCode() {
  let n = codeCounter++
  let code = ''
  for (let index = 0; index < 5; index++) {
    code = CODE_ALPHABET[n % 32] + code
    n = Math.floor(n / 32)
  }
  return `BK${code}`
}

/**
 * One tenant, OUTLETS branches with one bookable 15-minute service each, BOOTHS_PER_OUTLET booths
 * per branch open all day, a booth device per booth, and per booth today: a session running (started
 * 2 minutes ago), a customer arrived for the next slot, and two more bookings later. An API key.
 */
async function seed(connection) {
  const now = new Date()
  const stamp = sqlTime(now)
  const settings = JSON.stringify({
    sessionDurationMinutes: 15,
    arrivalToleranceMinutes: 15,
    slotMinutes: 15,
    quotaPerSlot: 1,
    blending: { mode: 'none', autoMinutesBefore: 15 },
  })
  const [tenant] = await connection.query(
    'INSERT INTO tenants (name, slug, locale, brand_color, is_active, booking_settings, currency, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)',
    ['Fotobox Bench', 'bench-booths', 'id', '#7c3aed', settings, 'IDR', stamp, stamp]
  )
  const tenantId = tenant.insertId
  const plainKey = `lk_${randomBytes(32).toString('base64url')}`
  await connection.query(
    'INSERT INTO api_keys (tenant_id, name, prefix, token_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    [
      tenantId,
      'Booth staff app',
      plainKey.slice(0, 11),
      createHash('sha256').update(plainKey).digest('hex'),
      stamp,
      stamp,
    ]
  )

  const today = jakarta(now).slice(0, 10)
  const slot = 15 * 60_000
  const currentSlot = Math.floor(now.getTime() / slot) * slot
  const booths = []
  const bookings = []
  for (let outlet = 0; outlet < OUTLETS; outlet++) {
    const slug = `outlet-${String(outlet + 1).padStart(2, '0')}`
    const [branch] = await connection.query(
      'INSERT INTO branches (tenant_id, name, slug, timezone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      [tenantId, `Outlet ${outlet + 1}`, slug, 'Asia/Jakarta', stamp, stamp]
    )
    const [service] = await connection.query(
      'INSERT INTO services (tenant_id, branch_id, code, name, position, is_active, is_bookable, duration_minutes, price, created_at, updated_at) VALUES (?, ?, ?, ?, 1, 1, 1, 15, 2500000, ?, ?)',
      [tenantId, branch.insertId, 'F', 'Foto 15 menit', stamp, stamp]
    )
    for (let index = 0; index < BOOTHS_PER_OUTLET; index++) {
      const [resource] = await connection.query(
        'INSERT INTO resources (tenant_id, branch_id, kind, name, position, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)',
        [tenantId, branch.insertId, 'booth', `Booth ${index + 1}`, index + 1, stamp, stamp]
      )
      const resourceId = resource.insertId
      await connection.query(
        'INSERT INTO resource_services (tenant_id, resource_id, service_id) VALUES (?, ?, ?)',
        [tenantId, resourceId, service.insertId]
      )
      await connection.query(
        `INSERT INTO resource_schedules (tenant_id, resource_id, weekday, opens_at, closes_at) VALUES ${[0, 1, 2, 3, 4, 5, 6].map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
        [0, 1, 2, 3, 4, 5, 6].flatMap((weekday) => [
          tenantId,
          resourceId,
          weekday,
          '00:00',
          '23:59',
        ])
      )
      const token = `bench-booth-${outlet + 1}-${index + 1}-${randomBytes(6).toString('hex')}`
      await connection.query(
        'INSERT INTO devices (tenant_id, branch_id, kind, name, token, resource_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [
          tenantId,
          branch.insertId,
          'booth',
          `Tablet ${slug} ${index + 1}`,
          token,
          resourceId,
          stamp,
          stamp,
        ]
      )
      const booth = { token, branchId: branch.insertId, resourceId, ongoing: [], arrived: [] }
      booths.push(booth)
      // Running now (started 2 minutes ago), arrived for the next slot, and two more later.
      const plan = [
        { status: 'ongoing', start: currentSlot, startedAt: now.getTime() - 120_000 },
        { status: 'arrived', start: currentSlot + slot },
        { status: 'arrived', start: currentSlot + 2 * slot },
        { status: 'awaiting_customer', start: currentSlot + 3 * slot },
        { status: 'awaiting_customer', start: currentSlot + 4 * slot },
      ]
      for (const item of plan) {
        const id = randomUUID()
        const startsAt = new Date(item.start)
        const local = jakarta(startsAt)
        bookings.push([
          id,
          tenantId,
          branch.insertId,
          resourceId,
          service.insertId,
          nextCode(),
          item.status,
          'web',
          sqlTime(startsAt),
          sqlTime(new Date(item.start + slot)),
          local.slice(0, 10),
          local.slice(11, 16),
          `Pelanggan ${bookings.length + 1}`,
          2500000,
          'IDR',
          item.status === 'ongoing' || item.status === 'arrived'
            ? sqlTime(new Date(item.start - 60_000))
            : null,
          item.startedAt ? sqlTime(new Date(item.startedAt)) : null,
          item.startedAt ? sqlTime(new Date(item.startedAt + 15 * 60_000)) : null,
          stamp,
          stamp,
        ])
        if (item.status === 'ongoing') booth.ongoing.push(id)
        if (item.status === 'arrived') booth.arrived.push(id)
      }
    }
  }
  for (let index = 0; index < bookings.length; index += 500) {
    await connection.query(
      `INSERT INTO bookings (id, tenant_id, branch_id, resource_id, service_id, code, status, channel, starts_at, ends_at, service_date, local_time, customer_name, price, currency, arrived_at, started_at, session_ends_at, created_at, updated_at) VALUES ?`,
      [bookings.slice(index, index + 500)]
    )
  }
  return { plainKey, booths, today, bookings: bookings.length }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

function stats(latencies, seconds) {
  const sorted = [...latencies].sort((a, b) => a - b)
  return {
    requests: sorted.length,
    rps: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  }
}

/** Keep-alive sockets, the most recently used first (an idle one the server is about to close is picked last). */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024, scheduling: 'lifo' })
const networkErrors = {}

/**
 * One request; resolves with status, body text and latency in ms (never rejects). A kept-alive
 * socket the server closed just as it was reused is retried once on a new one, as any HTTP client
 * does; a second failure counts as an error (status 0).
 */
function request(path, { method = 'GET', headers = {}, body } = {}, retry = true) {
  const sentAt = performance.now()
  return new Promise((resolve) => {
    const req = http.request(`${base}${path}`, { method, headers, agent }, (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk) => (text += chunk))
      response.on('end', () =>
        resolve({ status: response.statusCode, text, ms: performance.now() - sentAt })
      )
    })
    req.on('error', (error) => {
      if (retry && req.reusedSocket && error.code === 'ECONNRESET') {
        return resolve(
          request(path, { method, headers, body }, false).then((answer) => ({
            ...answer,
            ms: performance.now() - sentAt,
          }))
        )
      }
      networkErrors[error.code ?? 'unknown'] = (networkErrors[error.code ?? 'unknown'] ?? 0) + 1
      resolve({ status: 0, text: '', ms: performance.now() - sentAt })
    })
    req.end(body)
  })
}

/** Every booth asks once, to hold a version (as a booth does when it boots). */
async function boot(booths) {
  await Promise.all(
    booths.map(async (booth) => {
      const answer = await request(`/booth/${booth.token}/status`, {
        headers: { accept: 'application/json' },
      })
      if (answer.status !== 200)
        throw new Error(`booth ${booth.token} answered ${answer.status} at boot`)
      booth.version = JSON.parse(answer.text).version
    })
  )
}

/**
 * The open loop: each booth asks every POLL_MS (its first ask spread over the first interval) with
 * the version it holds, whether or not its previous answer came back; a 200 hands it the new one.
 */
function pollBooths(booths, durationS) {
  const results = { all: [], unchanged: [], fresh: [], statuses: {}, errors: 0, staleSessions: 0 }
  const timers = []
  const pending = new Set()
  const started = performance.now()
  const endAt = started + durationS * 1000
  for (const booth of booths) {
    const ask = () => {
      const sentAt = performance.now()
      if (sentAt >= endAt) return
      const promise = request(`/booth/${booth.token}/status?v=${booth.version}`, {
        headers: { accept: 'application/json' },
      }).then((answer) => {
        results.all.push(answer.ms)
        results.statuses[answer.status] = (results.statuses[answer.status] ?? 0) + 1
        if (answer.status === 204) results.unchanged.push(answer.ms)
        else if (answer.status === 200) {
          results.fresh.push(answer.ms)
          const body = JSON.parse(answer.text)
          booth.version = Math.max(booth.version, body.version)
          // A poll sent after staff heard "finished" must not show that session running.
          const finishedAt = body.session ? booth.finished?.get(body.session.booking_id) : undefined
          if (finishedAt !== undefined && sentAt > finishedAt) results.staleSessions++
        } else results.errors++
        pending.delete(promise)
      })
      pending.add(promise)
    }
    const offset = Math.random() * POLL_MS
    timers.push(
      setTimeout(() => {
        ask()
        timers.push(setInterval(ask, POLL_MS))
      }, offset)
    )
  }
  return new Promise((resolve) => {
    setTimeout(async () => {
      for (const timer of timers) clearInterval(timer)
      await Promise.all([...pending])
      resolve({ ...results, seconds: (performance.now() - started) / 1000 })
    }, durationS * 1000)
  })
}

/**
 * Staff at the outlets: every ACTION_MS a booth somewhere turns over, through the REST API: its
 * running session is finished, then the next arrived customer's is started (each bumps the outlet's
 * version, waking its booths).
 */
function staffActions(booths, plainKey, durationS) {
  const done = { started: 0, finished: 0, failed: 0, latencies: [] }
  const headers = { 'authorization': `Bearer ${plainKey}`, 'content-type': 'application/json' }
  const act = async (id, action) => {
    const answer = await request(`/api/v1/sessions/${id}/${action}`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': randomUUID() },
    })
    done.latencies.push(answer.ms)
    if (answer.status !== 200) done.failed++
    return answer.status === 200
  }
  const timer = setInterval(async () => {
    const booth = booths[Math.floor(Math.random() * booths.length)]
    if (booth.busy || (booth.ongoing.length === 0 && booth.arrived.length === 0)) return
    booth.busy = true
    const running = booth.ongoing.shift()
    if (running && (await act(running, 'finish'))) {
      done.finished++
      booth.finished ??= new Map()
      booth.finished.set(running, performance.now())
    }
    const next = booth.arrived.shift()
    if (next && (await act(next, 'start'))) {
      done.started++
      booth.ongoing.push(next)
    }
    booth.busy = false
  }, ACTION_MS)
  return new Promise((resolve) =>
    setTimeout(() => (clearInterval(timer), resolve(done)), durationS * 1000)
  )
}

function row(label, s) {
  return {
    'run': label,
    'requests': s.requests,
    'req/s': Math.round(s.rps),
    'p50 ms': s.p50.toFixed(1),
    'p95 ms': s.p95.toFixed(1),
    'p99 ms': s.p99.toFixed(1),
    'max ms': s.max.toFixed(1),
  }
}

async function main() {
  console.log('building Loket and preparing the bench database…')
  prepareBuild()
  const dir = privateBuild()
  const connection = await connect()
  migrateFresh(dir)
  const seeded = await seed(connection)
  await connection.end()
  console.log(
    `seeded ${seeded.booths.length} booths over ${OUTLETS} outlets, ${seeded.bookings} bookings`
  )

  const loket = await startLoket(dir)
  await boot(seeded.booths)
  // A short warm-up at the same rate (JIT, pools), not counted.
  await pollBooths(seeded.booths, 3)

  const [polls, staff] = await Promise.all([
    pollBooths(seeded.booths, DURATION_S),
    staffActions(seeded.booths, seeded.plainKey, DURATION_S),
  ])
  await stop(loket)
  agent.destroy()

  const all = stats(polls.all, polls.seconds)
  const unchanged = stats(polls.unchanged, polls.seconds)
  const fresh = stats(polls.fresh, polls.seconds)
  const actions = stats(staff.latencies, DURATION_S)
  console.table([
    row('all polls', all),
    row('204 (unchanged)', unchanged),
    row('200 (fresh JSON)', fresh),
    row('staff start/finish (API)', actions),
  ])
  console.log(
    `${seeded.booths.length} booths every ${POLL_MS / 1000} s for ${DURATION_S} s: ${polls.statuses[204] ?? 0} answers 204, ${polls.statuses[200] ?? 0} answers 200, ${polls.errors} errors; ` +
      `staff finished ${staff.finished} sessions and started ${staff.started} (${staff.failed} refused); finished sessions still shown as running: ${polls.staleSessions}` +
      (Object.keys(networkErrors).length ? `; network errors ${JSON.stringify(networkErrors)}` : '')
  )
  const target = seeded.booths.length / (POLL_MS / 1000)
  console.log(
    `offered ~${Math.round(target)} req/s -> served ${Math.round(all.rps)} req/s; p99 ${all.p99.toFixed(1)} ms`
  )

  mkdirSync(join(root, 'bench', 'results'), { recursive: true })
  const file = join(
    root,
    'bench',
    'results',
    `booths-${new Date().toISOString().replace(/[:.]/g, '-')}.json`
  )
  writeFileSync(
    file,
    JSON.stringify(
      {
        machine: machineState(),
        booths: seeded.booths.length,
        outlets: OUTLETS,
        pollMs: POLL_MS,
        durationS: DURATION_S,
        statuses: polls.statuses,
        errors: polls.errors,
        networkErrors,
        staleSessions: polls.staleSessions,
        all,
        unchanged,
        fresh,
        staff: {
          started: staff.started,
          finished: staff.finished,
          failed: staff.failed,
          ...actions,
        },
      },
      null,
      2
    )
  )
  console.log(`results: ${file}`)
  process.exit(0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
