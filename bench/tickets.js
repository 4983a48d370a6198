/*
| npm run bench:tickets — take-a-number throughput and latency on MySQL + Redis, against the bare
| node:http + mysql2 baseline in the same run.
|   1. maximum throughput (32 connections, 10 s) with tickets over 1 service and over 50 services,
|      for Loket as one process and as one process per CPU core (bin/cluster.js);
|   2. latency at a steady 300 and 600 takes per second offered (open loop), one process;
|   3. overload: OVERLOAD_RATE takes per second offered on 1 service (well past capacity) for 10 s:
|      how many are taken and how many refused at once (503, load shedding), the server's peak
|      resident memory, and its memory after 20 s idle.
| Loket takes a number the way a phone does: a CSRF-checked form POST with the session cookie
| and a fresh request_id.
*/
import { availableParallelism } from 'node:os'
import {
  BASELINE_PORT,
  database,
  load,
  migrateFresh,
  openLoop,
  prepareBuild,
  processUsage,
  row,
  seedBranches,
  startBaseline,
  startLoket,
  stop,
  visitorSession,
  saveResult,
  watchRss,
  formTakeLoad,
  formTakeRequest,
} from './common.js'

const DURATION = Number(process.env.BENCH_DURATION ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const COPIES = Number(process.env.BENCH_COPIES ?? availableParallelism())

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

const OVERLOAD_RATE = Number(process.env.OVERLOAD_RATE ?? 1500)

/** Far more takes than one process can serve: what is taken, what is refused, and memory. */
async function overload(loket, branch) {
  const request = formTakeRequest('bench-one', branch.serviceIds, await visitorSession('bench-one'))
  const before = processUsage(loket.pid).rssMb
  const peak = watchRss(loket.pid)
  const statuses = {}
  const result = await openLoop({
    ...request,
    rate: OVERLOAD_RATE,
    duration: 10,
    expect: 303,
    onStatus: (status) => (statuses[status] = (statuses[status] ?? 0) + 1),
  })
  const peakRssMb = peak()
  await new Promise((resolve) => setTimeout(resolve, 20_000))
  return {
    offeredPerSecond: OVERLOAD_RATE,
    takenPerSecond: (statuses[303] ?? 0) / 10,
    refusedPerSecond: (statuses[503] ?? 0) / 10,
    statuses,
    p50: result.p50,
    p95: result.p95,
    p99: result.p99,
    rssBeforeMb: before,
    peakRssMb,
    rssAfterIdleMb: processUsage(loket.pid).rssMb,
  }
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
      await formTakeLoad(slug, branches[slug].serviceIds, 2, CONNECTIONS)
      const max = await formTakeLoad(slug, branches[slug].serviceIds, DURATION, CONNECTIONS)
      results[label][`loket${copies}`] = max
      rows.push(row(`Loket max, ${label}, ${copies} process${copies > 1 ? 'es' : ''}`, max))
    }
    if (copies === 1) {
      for (const rate of [300, 600]) {
        for (const [label, slug] of layouts) {
          const request = formTakeRequest(
            slug,
            branches[slug].serviceIds,
            await visitorSession(slug)
          )
          const steady = await openLoop({ ...request, rate, duration: DURATION, expect: 303 })
          results[label][`steady${rate}`] = steady
          rows.push(row(`Loket at ${rate}/s offered, ${label}, 1 process`, steady))
        }
      }
      results.overload = await overload(loket, branches['bench-one'])
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

  const { overload: shed } = results
  console.log(
    `overload, ${shed.offeredPerSecond}/s offered on 1 service: ${shed.takenPerSecond}/s taken, ${shed.refusedPerSecond}/s refused with 503 (p50 ${shed.p50.toFixed(1)} ms, p95 ${shed.p95.toFixed(1)} ms); ` +
      `RSS ${shed.rssBeforeMb.toFixed(0)} MB before, peak ${shed.peakRssMb.toFixed(0)} MB, ${shed.rssAfterIdleMb.toFixed(0)} MB after 20 s idle`
  )
  console.log(
    `target: p95 <= 10 ms at 600/s offered (50 services) -> ${fifty.steady600.p95 <= 10 ? 'met' : 'NOT met'} (${fifty.steady600.p95.toFixed(1)} ms); ` +
      `RSS <= 250 MB under overload -> ${shed.peakRssMb <= 250 ? 'met' : 'NOT met'}`
  )
  saveResult('tickets', results)
  process.exit(0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
