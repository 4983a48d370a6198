/*
| npm run bench:analytics — the analytics area over a year of a busy branch, on MySQL + Redis,
|   against the compiled build: the demo data plus `node ace demo:history --tickets=BENCH_TICKETS`
|   (1,000,000) tickets for the demo clinic, rollups rebuilt from their events. Then, logged in as
|   the clinic's owner, each analytics page (the default 28 days, a whole year by day, week and
|   month, each breakdown, the branch comparison) and both exports, open loop at BENCH_RATE per
|   second for BENCH_DURATION seconds. Goal: p95 < 500 ms on every page.
|   BENCH_DATABASE=<name> writes into a database that is kept (a name without a run id is never
|   dropped); BENCH_REUSE=1 with the same name measures the pages again without rewriting the year.
|   Prints how long writing and rolling up took, then p50/p95/p99, req/s and errors per page.
*/
import { spawnSync } from 'node:child_process'
import {
  LOKET_PORT,
  buildDir,
  database,
  loketEnv,
  migrateFresh,
  openLoop,
  prepareBuild,
  row,
  session,
  startLoket,
  stop,
  saveResult,
} from './common.js'

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000)
const DURATION = Number(process.env.BENCH_DURATION ?? 10)
const RATE = Number(process.env.BENCH_RATE ?? 10)

function ace(...args) {
  const started = performance.now()
  const result = spawnSync(process.execPath, ['ace', ...args], {
    cwd: buildDir,
    env: { ...process.env, ...loketEnv },
    encoding: 'utf8',
  })
  if (result.status !== 0)
    throw new Error(`ace ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`)
  return { output: result.stdout, seconds: (performance.now() - started) / 1000 }
}

async function main() {
  console.log('building Loket and preparing the bench database…')
  prepareBuild()
  const connection = await database()
  if (process.env.BENCH_REUSE !== '1') {
    await migrateFresh()
    ace('db:seed', '--files', 'database/seeders/demo_seeder.ts')
    console.log(`writing ${TICKETS} tickets of history…`)
    const history = ace('demo:history', `--tickets=${TICKETS}`)
    console.log(history.output.trim())
  }
  const [[counts]] = await connection.query(
    `SELECT (SELECT COUNT(*) FROM tickets) AS tickets, (SELECT COUNT(*) FROM ticket_events) AS events,
      (SELECT COUNT(*) FROM queue_stats) AS day_rows, (SELECT COUNT(*) FROM queue_stats_hours) AS hour_rows,
      (SELECT COUNT(*) FROM queue_stats_waits) AS wait_rows`
  )
  console.log(counts)

  const loket = await startLoket()
  const results = []
  try {
    const owner = session()
    await owner.get('/login')
    await owner.post('/login', { email: 'owner@sehat.test', password: 'loket-demo' })
    const year = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10)
    for (const [label, path, expect] of [
      ['last 28 days', '/app/analytics', 200],
      ['year by day', `/app/analytics?from=${year}`, 200],
      ['year by week, per staff', `/app/analytics?from=${year}&interval=week&by=staff`, 200],
      ['year by month, per counter', `/app/analytics?from=${year}&interval=month&by=counter`, 200],
      ['year per area', `/app/analytics?from=${year}&by=area`, 200],
      ['year, branches compared', `/app/analytics?from=${year}&by=branch`, 200],
      ['year CSV', `/app/analytics/export.csv?from=${year}`, 200],
      ['year XLSX', `/app/analytics/export.xlsx?from=${year}`, 200],
    ]) {
      // A few requests first, so that the figures are of a warm server (JIT, pools, caches).
      for (let warm = 0; warm < 5; warm++)
        await fetch(`http://127.0.0.1:${LOKET_PORT}${path}`, {
          headers: { cookie: owner.cookie() },
        })
      const stats = await openLoop({
        url: `http://127.0.0.1:${LOKET_PORT}${path}`,
        headers: { cookie: owner.cookie() },
        rate: RATE,
        duration: DURATION,
        expect,
      })
      results.push(row(`${label} ${RATE}/s`, stats))
    }
  } finally {
    await stop(loket)
    await connection.end()
  }
  console.table(results)
  saveResult('analytics', { tickets: TICKETS, rate: RATE, results })
}

await main()
