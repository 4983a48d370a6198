/*
| npm run bench:display — TV display polling with an unchanged version (the 204 path), compared
| with a bare route of the same app (/livez) and with the baseline's in-memory 204 poll.
*/
import {
  BASELINE_PORT,
  LOKET_PORT,
  database,
  load,
  migrateFresh,
  prepareBuild,
  row,
  seedBranches,
  startBaseline,
  startLoket,
  stop,
  saveResult,
} from './common.js'

const DURATION = Number(process.env.BENCH_DURATION ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)

async function main() {
  console.log('building Loket and preparing the bench database…')
  prepareBuild()
  const connection = await database()
  await migrateFresh()
  const branches = await seedBranches(connection, { 'bench-tv': 3 })
  await connection.end()

  const loket = await startLoket()
  const baseline = await startBaseline(1)
  const token = branches['bench-tv'].token
  const board = await (await fetch(`http://127.0.0.1:${LOKET_PORT}/display/${token}/live`)).text()
  const version = /data-version="(\d+)"/.exec(board)?.[1]
  if (!version) throw new Error('the display board carries no version')
  const baselineVersion = await (await fetch(`http://127.0.0.1:${BASELINE_PORT}/version`)).text()

  const poll = {
    url: `http://127.0.0.1:${LOKET_PORT}/display/${token}/live?v=${version}`,
    connections: CONNECTIONS,
  }
  const bare = { url: `http://127.0.0.1:${LOKET_PORT}/livez`, connections: CONNECTIONS }
  const base = {
    url: `http://127.0.0.1:${BASELINE_PORT}/poll?v=${baselineVersion}`,
    connections: CONNECTIONS,
  }

  await load({ ...poll, duration: 2 }, 204)
  await load({ ...bare, duration: 2 }, 200)
  const displayPoll = await load({ ...poll, duration: DURATION }, 204)
  const bareRoute = await load({ ...bare, duration: DURATION }, 200)
  const baselinePoll = await load({ ...base, duration: DURATION }, 204)
  await stop(baseline)
  await stop(loket)

  console.table([
    row('Loket display poll, unchanged (204)', displayPoll),
    row('Loket bare route /livez', bareRoute),
    row('baseline poll, unchanged (204)', baselinePoll),
  ])
  const ratio = displayPoll.rps / bareRoute.rps
  console.log(
    `display poll / bare route: ${(ratio * 100).toFixed(0)}%; display poll / baseline: ${((displayPoll.rps / baselinePoll.rps) * 100).toFixed(0)}%`
  )
  console.log(
    `target: > 3,000 req/s -> ${displayPoll.rps > 3000 ? 'met' : 'NOT met'}; >= 70% of the bare route -> ${ratio >= 0.7 ? 'met' : 'NOT met'}`
  )

  saveResult('display', { displayPoll, bareRoute, baselinePoll })
  process.exit(0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
