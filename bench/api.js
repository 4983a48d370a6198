/*
| npm run bench:api — REST API throughput and latency on MySQL + Redis: POST /api/v1/tickets at
| 32 connections for 10 s against the compiled build, one process, each request with a fresh
| Idempotency-Key (so every request takes a number), tickets over 1 service and over 50 services.
| The API key is made the way an operator makes one: `node ace api-keys:create`. The per-key rate
| limit is raised out of the way but still counted (one Redis round trip per request). The visitor's
| form take is measured in the same run, alternating with the API, for the API / form ratio.
|
| Nobody is called in those runs, so the queues grow through them (hundreds a service on 50
| services, tens of thousands on 1), and the API's answer counts who is ahead. A third pair of
| loads on the 50 services holds each queue at BENCH_HELD_QUEUE waiting (default 20), a busy
| clinic's morning, by cancelling the oldest beyond that every 250 ms, as operators would call them.
*/
import { randomUUID } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import mysql from 'mysql2/promise'
import {
  LOKET_PORT,
  buildDir,
  database,
  load,
  loketEnv,
  migrateFresh,
  prepareBuild,
  processUsage,
  row,
  seedBranches,
  startLoket,
  stop,
  saveResult,
  formTakeLoad,
  metricsText,
  localDatabasePid,
} from './common.js'

const DURATION = Number(process.env.BENCH_DURATION ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const HELD_QUEUE = Number(process.env.BENCH_HELD_QUEUE ?? 20)

loketEnv.RATE_LIMIT_API_PER_MINUTE = '100000000'
loketEnv.REDIS_PREFIX += 'api:'

/** A key for the seeded tenant (slug `bench`), printed once by the ace command. */
function createApiKey() {
  const result = spawnSync(
    process.execPath,
    ['ace', 'api-keys:create', 'bench', '--name=Benchmark'],
    {
      cwd: buildDir,
      env: { ...process.env, ...loketEnv },
      encoding: 'utf8',
    }
  )
  const key = /lk_[\w-]{43}/.exec(result.stdout)?.[0]
  if (result.status !== 0 || !key)
    throw new Error(`api-keys:create failed:\n${result.stdout}\n${result.stderr}`)
  return key
}

function takeLoad(apiKey, branch, duration = DURATION) {
  const body = () =>
    JSON.stringify({
      branch_id: branch.id,
      service_id: branch.serviceIds[Math.floor(Math.random() * branch.serviceIds.length)],
    })
  return load(
    {
      url: `http://127.0.0.1:${LOKET_PORT}/api/v1/tickets`,
      method: 'POST',
      headers: { 'authorization': `Bearer ${apiKey}`, 'content-type': 'application/json' },
      connections: CONNECTIONS,
      duration,
      requests: [
        {
          setupRequest: (request) => ({
            ...request,
            headers: { ...request.headers, 'idempotency-key': randomUUID() },
            body: body(),
          }),
        },
      ],
    },
    201
  )
}

/**
 * Runs a load and adds Loket's CPU milliseconds per answered request (user + system, from /proc):
 * a steadier figure than req/s on a shared machine, where the load generator and MariaDB take turns
 * on the same cores.
 */
async function withCpu(pid, run) {
  const databasePid = localDatabasePid()
  const cpuSeconds = () => ({
    loket: processUsage(pid).cpuSeconds,
    database: databasePid ? processUsage(databasePid).cpuSeconds : null,
  })
  const before = cpuSeconds()
  const stats = await run()
  const after = cpuSeconds()
  const perRequest = (seconds, earlier) => ((seconds - earlier) * 1000) / stats.requests
  return {
    ...stats,
    cpuMs: perRequest(after.loket, before.loket),
    databaseCpuMs: databasePid ? perRequest(after.database, before.database) : null,
  }
}

/**
 * autocannon stops without waiting for the requests it has in flight: waits until Loket has
 * answered them (its in-flight gauge counts only the /metrics request itself), so that one load's leftovers do not count against the
 * next one's MAX_IN_FLIGHT.
 */
async function drained() {
  for (let tries = 0; tries < 100; tries++) {
    if (/^loket_http_in_flight 1$/m.test(await metricsText())) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/**
 * Stands in for the operators while loads run on `branch`: every 250 ms, the waiting tickets of
 * each service numbered more than `held` before its last number are cancelled, straight in
 * MariaDB, so that each queue stays between `held` and what 250 ms of takes add to it. The last
 * numbers are a consistent read (no lock on the rows every take locks); the updates run in READ
 * COMMITTED (no gap locks to hold up a take), each over one service's short waiting range. Their
 * MariaDB time is counted in both loads' figures alike. Returns a function that stops it.
 */
async function holdQueues(branch, held) {
  const connection = await mysql.createConnection({
    host: loketEnv.DB_HOST,
    user: loketEnv.DB_USER,
    password: loketEnv.DB_PASSWORD,
    database: loketEnv.DB_DATABASE,
    dateStrings: true,
    multipleStatements: true,
  })
  await connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED')
  let running = true
  const loop = (async () => {
    while (running) {
      const [last] = await connection.query(
        `SELECT service_id, service_date, MAX(last_number) AS last FROM ticket_sequences
          WHERE service_id IN (?) GROUP BY service_id, service_date`,
        [branch.serviceIds]
      )
      // One statement a service, each a short range of the waiting index, sent as one batch.
      if (last.length > 0)
        await connection.query(
          last
            .map(
              () => `UPDATE tickets SET status = 'cancelled'
                      WHERE service_id = ? AND service_date = ? AND status = 'waiting'
                        AND sequence <= ?;`
            )
            .join('\n'),
          last.flatMap((row) => [row.service_id, row.service_date, row.last - held])
        )
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  })()
  return async () => {
    running = false
    await loop
    await connection.end()
  }
}

function cpuRow(label, stats) {
  return {
    ...row(label, stats),
    'CPU ms/req': stats.cpuMs.toFixed(2),
    'MariaDB CPU ms/req': stats.databaseCpuMs?.toFixed(2) ?? '-',
  }
}

async function main() {
  console.log('building Loket and preparing the bench database…')
  prepareBuild()
  const connection = await database()
  await migrateFresh()
  const branches = await seedBranches(connection, { 'bench-one': 1, 'bench-fifty': 50 })
  await connection.end()
  const apiKey = createApiKey()

  const loket = await startLoket(1)
  const rows = []
  const results = {}
  for (const [label, slug, held] of [
    ['1 service', 'bench-one', null],
    ['50 services', 'bench-fifty', null],
    [`50 services, queues held at ${HELD_QUEUE}`, 'bench-fifty', HELD_QUEUE],
  ]) {
    const release = held === null ? null : await holdQueues(branches[slug], held)
    await takeLoad(apiKey, branches[slug], 2)
    await drained()
    await formTakeLoad(slug, branches[slug].serviceIds, 2, CONNECTIONS)
    await drained()
    const api = await withCpu(loket.pid, () => takeLoad(apiKey, branches[slug]))
    await drained()
    const form = await withCpu(loket.pid, () =>
      formTakeLoad(slug, branches[slug].serviceIds, DURATION, CONNECTIONS)
    )
    await drained()
    await release?.()
    results[label] = {
      heldQueue: held,
      api,
      form,
      ratio: api.rps / form.rps,
      cpuRatio: api.cpuMs / form.cpuMs,
      databaseCpuRatio:
        api.databaseCpuMs && form.databaseCpuMs ? api.databaseCpuMs / form.databaseCpuMs : null,
    }
    rows.push(cpuRow(`POST /api/v1/tickets, ${label}, ${CONNECTIONS} connections, 1 process`, api))
    rows.push(cpuRow(`the visitor's form take, ${label}, same run`, form))
  }
  await stop(loket)

  console.table(rows)
  for (const [label, { ratio, cpuRatio, databaseCpuRatio }] of Object.entries(results))
    console.log(
      `API / form, ${label}: ${(ratio * 100).toFixed(0)}% of the form's req/s (target >= 90% -> ${ratio >= 0.9 ? 'met' : 'NOT met'}); ` +
        `Loket's CPU per request ${(cpuRatio * 100).toFixed(0)}% of the form's` +
        (databaseCpuRatio ? `, MariaDB's ${(databaseCpuRatio * 100).toFixed(0)}%` : '')
    )
  saveResult('api', results)
  process.exit(0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
