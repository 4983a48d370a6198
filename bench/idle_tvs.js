/*
| npm run bench:idle-tvs — 500 TVs on 50 branches (10 a branch), against one Loket process on
| MySQL + Redis (compiled build, production mode):
|   1. idle, each TV polling every 500 ms with the version it holds (the TVs before issue 17);
|   2. idle, each TV holding a long poll (`w=1`), asked again as soon as it is answered (today's TVs);
|   3. the long polls again while visitors take numbers at BENCH_TAKES_PER_SECOND (default 5) on
|      random branches: how long from a take being answered to each of its branch's TVs getting
|      the new board (p50/p95/p99).
| For 1 and 2: the server's CPU time per second of wall clock (from /proc), its resident memory,
| and the requests it answered.
*/
import http from 'node:http'
import {
  LOKET_PORT,
  database,
  migrateFresh,
  prepareBuild,
  processUsage as usage,
  saveResult,
  seedBranches,
  startLoket,
  stop,
  visitorSession,
} from './common.js'

const BRANCHES = 50
const TVS_PER_BRANCH = 10
const SECONDS = Number(process.env.BENCH_DURATION ?? 20)
const TAKES_PER_SECOND = Number(process.env.BENCH_TAKES_PER_SECOND ?? 5)
const agent = new http.Agent({ keepAlive: true, maxSockets: 2000 })

function get(path) {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port: LOKET_PORT, path, agent }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode, body }))
    })
    request.on('error', reject)
  })
}

function post(path, body, cookie) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: LOKET_PORT,
        path,
        method: 'POST',
        agent,
        headers: {
          'cookie': cookie,
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        response.resume()
        response.on('end', () => resolve(response.statusCode))
      }
    )
    request.on('error', reject)
    request.end(body)
  })
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** One TV: its branch's board version, asked for as `mode` ('short' every 500 ms, or 'long'). */
async function tv(token, mode, state, onBoard) {
  let version = state.versions.get(token)
  while (state.running) {
    const path = `/display/${token}/live?v=${version}${mode === 'long' ? '&w=1' : ''}`
    const answer = await get(path).catch(() => ({ status: 0, body: '' }))
    state.requests++
    if (answer.status === 200) {
      version = /data-version="(\d+)"/.exec(answer.body)?.[1] ?? version
      onBoard?.(token, Date.now())
    } else if (answer.status !== 204) {
      state.errors++
      await sleep(500)
    }
    if (mode === 'short') await sleep(500)
  }
}

async function phase(loket, tokens, mode, seconds, onBoard) {
  const state = { running: true, requests: 0, errors: 0, versions: new Map() }
  for (const token of tokens) {
    const board = await get(`/display/${token}/live`)
    state.versions.set(token, /data-version="(\d+)"/.exec(board.body)?.[1])
  }
  const tvs = tokens.flatMap((token) =>
    Array.from({ length: TVS_PER_BRANCH }, () => tv(token, mode, state, onBoard))
  )
  await sleep(2000)
  const before = usage(loket.pid)
  const requestsBefore = state.requests
  let peakRss = before.rssMb
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, usage(loket.pid).rssMb)), 250)
  await sleep(seconds * 1000)
  clearInterval(sampler)
  const after = usage(loket.pid)
  const result = {
    tvs: tvs.length,
    requestsPerSecond: (state.requests - requestsBefore) / seconds,
    cpuPercentOfACore: ((after.cpuSeconds - before.cpuSeconds) / seconds) * 100,
    rssMb: after.rssMb,
    peakRssMb: peakRss,
    errors: state.errors,
  }
  return {
    result,
    finish: async () => {
      state.running = false
      return Promise.race([Promise.all(tvs), sleep(30_000)])
    },
  }
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

async function main() {
  console.log('building Loket and preparing the bench database…')
  prepareBuild()
  const connection = await database()
  await migrateFresh()
  const layout = Object.fromEntries(
    Array.from({ length: BRANCHES }, (_, index) => [`tv-${index + 1}`, 2])
  )
  const branches = await seedBranches(connection, layout)
  await connection.end()
  const loket = await startLoket()
  const tokens = Object.values(branches).map((branch) => branch.token)

  console.log(`${BRANCHES * TVS_PER_BRANCH} TVs polling every 500 ms, nothing changing…`)
  const short = await phase(loket, tokens, 'short', SECONDS)
  await short.finish()
  console.log(`${BRANCHES * TVS_PER_BRANCH} TVs long-polling, nothing changing…`)
  const long = await phase(loket, tokens, 'long', SECONDS)
  // The long polls stay: the TVs now see visitors take numbers.
  console.log(`the same TVs while visitors take ${TAKES_PER_SECOND} numbers a second…`)
  await long.finish()

  const sessions = new Map()
  for (const slug of Object.keys(branches)) sessions.set(slug, await visitorSession(slug))
  const pending = new Map()
  const delays = []
  const onBoard = (token, at) => {
    const waits = pending.get(token)
    if (!waits || waits.length === 0) return
    delays.push(at - waits[0].answeredAt)
    if (--waits[0].left === 0) waits.shift()
  }
  const live = await phase(loket, tokens, 'long', 1, onBoard)
  const slugs = Object.keys(branches)
  const takes = Math.round(SECONDS * TAKES_PER_SECOND)
  for (let index = 0; index < takes; index++) {
    const slug = slugs[Math.floor(Math.random() * slugs.length)]
    const { cookie, token } = sessions.get(slug)
    const body = `_csrf=${encodeURIComponent(token)}&service_id=${branches[slug].serviceIds[0]}`
    const status = await post(`/b/${slug}/tickets`, body, cookie)
    if (status !== 303 && status !== 302) throw new Error(`a take answered ${status}`)
    const waits = pending.get(branches[slug].token) ?? []
    waits.push({ answeredAt: Date.now(), left: TVS_PER_BRANCH })
    pending.set(branches[slug].token, waits)
    await sleep(1000 / TAKES_PER_SECOND)
  }
  await sleep(1000)
  await live.finish()
  await stop(loket)
  delays.sort((a, b) => a - b)
  const wake = {
    boards: delays.length,
    expected: takes * TVS_PER_BRANCH,
    p50: percentile(delays, 50),
    p95: percentile(delays, 95),
    p99: percentile(delays, 99),
  }

  const describe = (label, { result }) => ({
    'run': label,
    'TVs': result.tvs,
    'req/s': Math.round(result.requestsPerSecond),
    'CPU % of a core': result.cpuPercentOfACore.toFixed(1),
    'RSS MB': result.rssMb.toFixed(0),
    'peak RSS MB': result.peakRssMb.toFixed(0),
    'errors': result.errors,
  })
  console.table([
    describe('idle TVs, a poll every 500 ms', short),
    describe('idle TVs, long polls', long),
  ])
  console.log(
    `a take answered -> its branch's TVs show the new board: p50 ${wake.p50} ms, p95 ${wake.p95} ms, p99 ${wake.p99} ms (${wake.boards} of ${wake.expected} boards)`
  )
  console.log(
    `targets: p95 <= 300 ms -> ${wake.p95 <= 300 ? 'met' : 'NOT met'}; idle long polls cost no more CPU than 500 ms polls -> ${long.result.cpuPercentOfACore <= short.result.cpuPercentOfACore ? 'met' : 'NOT met'}`
  )
  saveResult('idle-tvs', { shortPolls: short.result, longPolls: long.result, wake })
  process.exit(0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
