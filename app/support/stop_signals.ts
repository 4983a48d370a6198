/**
 * The signals on which a Loket process stops cleanly (requests answered, jobs finished, then the
 * database and Redis closed): SIGTERM from systemd, containers or the cluster's primary, SIGINT
 * from Ctrl+C, SIGHUP from a closed terminal or `kill -HUP`, which by default would end Node at
 * once and cut requests off. bin/start.js, plain JavaScript run before anything is built, lists
 * the same three.
 */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const

/** However a stop goes, the process is gone this long after the signal (systemd and containers wait about as long). */
export const STOP_DEADLINE_MS = 10_000

/**
 * Stops this process: `terminate` (requests answered, jobs finished, the database and Redis
 * closed), then an explicit exit, since a connection a stop caught while still opening could
 * otherwise keep the process alive; with status 1 if `terminate` fails or takes longer than
 * STOP_DEADLINE_MS.
 */
export function stopProcess(reason: string, terminate: () => Promise<unknown>) {
  setTimeout(() => {
    console.error(`loket: not stopped ${STOP_DEADLINE_MS / 1000} s after ${reason}; exiting now`)
    process.exit(1)
  }, STOP_DEADLINE_MS).unref()
  terminate()
    .then(() => process.exit(process.exitCode ?? 0))
    .catch((error) => {
      console.error(error)
      process.exit(1)
    })
}
