/*
|--------------------------------------------------------------------------
| Cluster entrypoint
|--------------------------------------------------------------------------
| Runs WEB_CONCURRENCY copies of the HTTP server (default: one per CPU core) sharing one port,
| with node:cluster. A copy that dies is replaced. The copies share nothing in memory, so run it
| with Redis configured (REDIS_HOST): live-screen versions and rate limits live there.
|
|   node build/bin/cluster.js
*/
import cluster from 'node:cluster'
import { availableParallelism } from 'node:os'
import { STOP_SIGNALS } from '#support/stop_signals'

if (cluster.isPrimary) {
  const copies = Math.max(1, Number(process.env.WEB_CONCURRENCY) || availableParallelism())
  const startedAt = new Map<number, number>()
  let stopping = false
  const fork = () => startedAt.set(cluster.fork().id, Date.now())
  for (let index = 0; index < copies; index++) fork()
  cluster.on('exit', (worker, code) => {
    if (stopping) return
    if (Date.now() - (startedAt.get(worker.id) ?? 0) < 10_000) {
      console.error(`loket: server ${worker.process.pid} exited (${code}) while starting; stopping`)
      stopping = true
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM')
      process.exitCode = 1
      return
    }
    console.error(`loket: server ${worker.process.pid} exited (${code}); starting another`)
    fork()
  })
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      stopping = true
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM')
    })
  }
} else {
  // The IPC channel to the primary would keep a stopping copy alive after AdonisJS has closed
  // everything: let it go so the process can exit.
  process.once('SIGTERM', () => process.channel?.unref())
  await import('./server.js')
}
