/*
| HTTP server entrypoint: boots the application and starts the HTTP server.
*/
/** Loket stores and computes every moment in UTC; branch time zones are applied explicitly. */
process.env.TZ = 'UTC'

import 'reflect-metadata'
import { createServer, type RequestListener } from 'node:http'
import { Ignitor, prettyPrintError } from '@adonisjs/core'

const APP_ROOT = new URL('../', import.meta.url)

const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

/** However a shutdown goes, the process is gone this long after the signal (systemd and containers wait about as long). */
const STOP_DEADLINE_MS = 10_000

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
     * SIGTERM (systemd, containers, the cluster's primary), SIGINT (Ctrl+C) or SIGHUP: the server stops
     * accepting connections and finishes the requests in flight, cron stops and lets a run under
     * way finish, the job workers finish their jobs (Bull hands unstarted ones to another worker),
     * then the database and Redis close (app.terminate runs each in turn) and the process exits.
     */
    let stopping = false
    const stop = (signal: string) => {
      if (stopping) return
      stopping = true
      setTimeout(() => {
        console.error(
          `loket: not stopped ${STOP_DEADLINE_MS / 1000} s after ${signal}; exiting now`
        )
        process.exit(1)
      }, STOP_DEADLINE_MS).unref()
      // Every answer from now on closes its connection (app/middleware/in_flight_middleware.ts):
      // a client whose request is in flight gets its answer and then opens a new connection (to
      // another server), instead of sending its next request on one that is being closed. Idle
      // connections are closed by the HTTP server's close; the process ends once the requests in
      // flight are answered, then the database and Redis close.
      import('#support/load_shedding')
        .then(({ loadShedding }) => (loadShedding.draining = true))
        .catch(() => {})
        .then(() => app.terminate())
        .then(() => process.exit(process.exitCode ?? 0))
        .catch((error) => {
          console.error(error)
          process.exit(1)
        })
    }
    stopApp = stop
    app.listen('SIGTERM', () => stop('SIGTERM'))
    app.listen('SIGINT', () => stop('SIGINT'))
    // SIGHUP (the terminal closed, `kill -HUP`) ends Node at once by default, cutting requests off.
    app.listen('SIGHUP', () => stop('SIGHUP'))
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
