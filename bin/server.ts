/*
| HTTP server entrypoint: boots the application and starts the HTTP server.
*/
/** Loket stores and computes every moment in UTC; branch time zones are applied explicitly. */
process.env.TZ = 'UTC'

import 'reflect-metadata'
import { createServer, type RequestListener } from 'node:http'
import { Ignitor, prettyPrintError } from '@adonisjs/core'
import { STOP_SIGNALS, stopProcess } from '#support/stop_signals'

const APP_ROOT = new URL('../', import.meta.url)

const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

/** Load shedding in front of AdonisJS (app/http/early_shedding.ts), loaded once the app has booted. */
let shedLoadFirst = (handler: RequestListener) => handler

/** Stops the booted app (its cron, job workers, database and Redis) and exits; set once it boots. */
let stopApp: ((reason: string) => void) | null = null

/** A start that failed: one plain line for a port that cannot be had, the whole error otherwise. */
function reportFailedStart(error: NodeJS.ErrnoException & { port?: number; address?: string }) {
  const where = `${error.address ?? ''}:${error.port ?? ''}`
  if (error.code === 'EADDRINUSE')
    console.error(
      `loket: cannot listen on ${where}: the port is in use (another Loket, or another program). Stop it, or choose another port with PORT.`
    )
  else if (error.code === 'EACCES')
    console.error(
      `loket: cannot listen on ${where}: not allowed (ports below 1024 need privileges). Choose another port with PORT.`
    )
  else prettyPrintError(error)
}

new Ignitor(APP_ROOT, { importer: IMPORTER })
  .tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    app.booted(async () => {
      ;({ shedLoadFirst } = await import('#http/early_shedding'))
    })
    /**
     * `npm start` (bin/start.js) passes `--banner`, or `--banner=demo` on the run that made the
     * demo: once the server listens, print where to open Loket (app/support/start_banner.ts).
     */
    const banner = process.argv.find((arg) => /^--banner(=demo)?$/.test(arg))
    if (banner) {
      app.ready(async () => {
        const { startBanner } = await import('#support/start_banner')
        const { default: env } = await import('#start/env')
        const host = env.get('HOST', '0.0.0.0')
        const port = env.get('PORT', 3333)
        console.log(startBanner({ host, port, demo: banner === '--banner=demo' }))
      })
    }
    /**
     * On any of STOP_SIGNALS (SIGTERM, SIGINT, SIGHUP): the server stops
     * accepting connections and finishes the requests in flight, cron stops and lets a run under
     * way finish, the job workers finish their jobs (Bull hands unstarted ones to another worker),
     * then the database and Redis close (app.terminate runs each in turn) and the process exits.
     */
    let stopping = false
    const stop = (reason: string) => {
      if (stopping) return
      stopping = true
      // Every answer from now on closes its connection (app/middleware/in_flight_middleware.ts):
      // a client whose request is in flight gets its answer and then opens a new connection (to
      // another server), instead of sending its next request on one that is being closed. Idle
      // connections are closed by the HTTP server's close; the process ends once the requests in
      // flight are answered, then the database and Redis close.
      stopProcess(reason, () =>
        import('#support/load_shedding')
          .then(({ loadShedding }) => (loadShedding.draining = true))
          .catch(() => {})
          .then(() => app.terminate())
      )
    }
    stopApp = stop
    for (const signal of STOP_SIGNALS) app.listen(signal, () => stop(signal))
    // Started by `npm start` (bin/start.js): stop with it, even when it is killed outright.
    if (process.argv.includes('--stop-with-parent')) {
      const watcher = new URL('./parent_watch.js', import.meta.url).href
      import(watcher)
        .then(({ watchParent }) => watchParent(() => stop('its parent going')))
        .catch((error) => console.error('loket: cannot watch the parent process', error))
    }
  })
  .httpServer()
  .start((handler) => createServer(shedLoadFirst(handler)))
  .catch((error) => {
    // The app may be booted, its cron and job workers running: a server that cannot serve must
    // not go on running them unseen.
    process.exitCode = 1
    reportFailedStart(error)
    if (stopApp) stopApp('a failed start')
    else process.exit(1)
  })
