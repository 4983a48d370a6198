import env from '#start/env'

/**
 * Load shedding (issue 17): how many requests this process is handling now, and how many it
 * takes before it refuses visitors' and the API's new ones with 503 and Retry-After instead of
 * queueing seconds of latency and memory behind them. Staff pages, screens' polls and health
 * checks are never refused: operators keep working while a crowd is turned away politely.
 */
export const loadShedding = {
  inFlight: 0,
  /** Requests started since the process began (app/support/idle_memory.ts tells quiet from busy). */
  started: 0,
  /** Live screens' long polls waiting for a change (app/http/long_poll.ts): not counted in `inFlight`. */
  waiting: 0,
  /** MAX_IN_FLIGHT: requests in progress (of any kind) beyond which new sheddable ones are refused. */
  limit: env.get('MAX_IN_FLIGHT', 40),
  /**
   * The server is stopping: every answer from now on says `Connection: close`, so that no client
   * sends another request on a connection that is about to close (bin/server.ts).
   */
  draining: false,
  /** Seconds a refused client is told to wait. */
  retryAfterSeconds: 1,
  /**
   * The overload (503) page per language, drawn once by HttpExceptionHandler.page; from then on
   * app/http/early_shedding.ts answers a crowd with it before AdonisJS reads the request.
   */
  overloadPages: new Map<string, string>(),

  overloaded() {
    return this.inFlight > this.limit
  },
}
