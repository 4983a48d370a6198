/*
| npm run bench:tickets — take-a-number throughput and latency on MySQL + Redis, against the bare
| node:http + mysql2 baseline in the same run.
|   1. maximum throughput (32 connections, 10 s) with tickets over 1 service and over 50 services,
|      for Loket as one process and as one process per CPU core (bin/cluster.js);
|   2. latency at a steady 300 takes per second offered (open loop), one process.
| Loket takes a number the way a phone does: a CSRF-checked form POST with the session cookie
| and a fresh request_id.
*/
import { randomUUID } from 'node:crypto'
import { availableParallelism } from 'node:os'
import {
  BASELINE_PORT,
  LOKET_PORT,
  database,
  load,
  migrateFresh,
  openLoop,
  prepareBuild,
  row,
  seedBranches,
  startBaseline,
  startLoket,
  stop,
  visitorSession,
  saveResult,
} from './common.js'

const DURATION = Number(process.env.BENCH_DURATION ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const COPIES = Number(process.env.BENCH_COPIES ?? availableParallelism())

function takeRequest(slug, serviceIds, session) {
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

async function takeLoad(slug, serviceIds, duration = DURATION) {
  const { url, method, headers, body } = takeRequest(slug, serviceIds, await visitorSession(slug))
  return load(
    {
      url,
      method,
      headers,
      connections: CONNECTIONS,
      duration,
      requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
    },
    303
  )
}

function baselineLoad(duration = DURATION) {
  return load(
    {
      url: `http://127.0.0.1:${BASELINE_PORT}/take`,
      method: 'POST',
      connections: CONNECTIONS,
      duration,
    },
    201
  )
}

async function main() {
  console.log('building Loket and preparing the bench database…')
  prepareBuild()
  const connection = await database()
  await migrateFresh()
  const branches = await seedBranches(connection, { 'bench-one': 1, 'bench-fifty': 50 })
  await connection.end()

  const rows = []
  const results = {}
  const layouts = [
    ['1 service', 'bench-one', 1],
    ['50 services', 'bench-fifty', 50],
  ]

  for (const [label, slug, services] of layouts) {
    const baseline = await startBaseline(services)
    await baselineLoad(2)
    results[label] = { baseline: await baselineLoad() }
    await stop(baseline)
    rows.push(row(`baseline max, ${label}`, results[label].baseline))
  }

  for (const copies of [...new Set([1, COPIES])]) {
    const loket = await startLoket(copies)
    for (const [label, slug] of layouts) {
      await takeLoad(slug, branches[slug].serviceIds, 2)
      const max = await takeLoad(slug, branches[slug].serviceIds)
      results[label][`loket${copies}`] = max
      rows.push(row(`Loket max, ${label}, ${copies} process${copies > 1 ? 'es' : ''}`, max))
    }
    if (copies === 1) {
      for (const [label, slug] of layouts) {
        const request = takeRequest(slug, branches[slug].serviceIds, await visitorSession(slug))
        const steady = await openLoop({ ...request, rate: 300, duration: DURATION, expect: 303 })
        results[label].steady300 = steady
        rows.push(row(`Loket at 300/s offered, ${label}, 1 process`, steady))
      }
    }
    await stop(loket)
  }

  console.table(rows)
  for (const [label, result] of Object.entries(results)) {
    for (const key of Object.keys(result).filter((name) => name.startsWith('loket'))) {
      const ratio = result[key].rps / result.baseline.rps
      result[`${key}Ratio`] = ratio
      console.log(
        `throughput Loket (${key.replace('loket', '')} process(es)) / baseline, ${label}: ${(ratio * 100).toFixed(0)}%`
      )
    }
  }
  const fifty = results['50 services']
  console.log(
    `target: >= 40% of the baseline with 50 services -> 1 process ${fifty.loket1Ratio >= 0.4 ? 'met' : 'NOT met'}` +
      (fifty[`loket${COPIES}Ratio`] !== undefined && COPIES > 1
        ? `, ${COPIES} processes ${fifty[`loket${COPIES}Ratio`] >= 0.4 ? 'met' : 'NOT met'}`
        : '')
  )
  console.log(
    `target: p95 < 30 ms at 300/s offered (50 services) -> ${fifty.steady300.p95 < 30 ? 'met' : 'NOT met'} (${fifty.steady300.p95.toFixed(1)} ms)`
  )

  saveResult('tickets', results)
  process.exit(0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
