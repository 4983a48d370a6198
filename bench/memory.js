/*
| npm run bench:memory — one Loket process (compiled build, production, MySQL + Redis): its
| resident memory and V8 heap idle (after a warm-up), during MEMORY_RATE takes per second offered on
| 1 service for 10 s (past capacity: load shedding answers the rest with 503), and after 30 s idle.
*/
import {
  database,
  migrateFresh,
  openLoop,
  prepareBuild,
  processUsage,
  saveResult,
  seedBranches,
  startLoket,
  stop,
  visitorSession,
  watchRss,
  metricsText,
  formTakeRequest,
} from './common.js'

const RATE = Number(process.env.MEMORY_RATE ?? 600)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** RSS from /proc and the V8 heap from Loket's own /metrics. */
async function memory(pid) {
  const text = await metricsText()
  const metric = (name) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN)
  return {
    rssMb: Math.round(processUsage(pid).rssMb),
    heapUsedMb: Math.round(metric('loket_nodejs_heap_size_used_bytes') / 1048576),
    heapTotalMb: Math.round(metric('loket_nodejs_heap_size_total_bytes') / 1048576),
    externalMb: Math.round(metric('loket_nodejs_external_memory_bytes') / 1048576),
  }
}

async function main() {
  console.log('building Loket and preparing the bench database…')
  prepareBuild()
  const connection = await database()
  await migrateFresh()
  const branches = await seedBranches(connection, { 'bench-one': 1 })
  await connection.end()
  const loket = await startLoket()
  const takes = {
    ...formTakeRequest(
      'bench-one',
      branches['bench-one'].serviceIds,
      await visitorSession('bench-one')
    ),
    expect: 303,
  }
  // A warm server, as in production: 5 s of an ordinary 100 takes a second first.
  await openLoop({ ...takes, rate: 100, duration: 5 })
  await sleep(3000)
  const idle = await memory(loket.pid)
  const peak = watchRss(loket.pid)
  const statuses = {}
  const overloaded = await openLoop({
    ...takes,
    rate: RATE,
    duration: 10,
    onStatus: (status) => (statuses[status] = (statuses[status] ?? 0) + 1),
  })
  const peakRssMb = Math.round(peak())
  const loaded = await memory(loket.pid)
  await sleep(30_000)
  const rested = await memory(loket.pid)
  await stop(loket)
  console.table({ 'idle, warm': idle, 'right after the load': loaded, 'after 30 s idle': rested })
  console.log(
    `${RATE}/s offered on 1 service for 10 s: ${JSON.stringify(statuses)}; p50 ${overloaded.p50.toFixed(1)} ms, p95 ${overloaded.p95.toFixed(1)} ms; peak RSS ${peakRssMb} MB`
  )
  console.log(
    `target: RSS <= 250 MB under overload -> ${peakRssMb <= 250 ? 'met' : 'NOT met'}; back within 20% of idle after 30 s -> ${rested.rssMb <= idle.rssMb * 1.2 ? 'met' : 'NOT met'}`
  )
  saveResult('memory', { rate: RATE, statuses, overloaded, peakRssMb, idle, loaded, rested })
  process.exit(0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
