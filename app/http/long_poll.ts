import type { HttpContext } from '@adonisjs/core/http'
import env from '#start/env'
import liveVersion from '#support/live_version'
import { loadShedding } from '#support/load_shedding'

/**
 * Live screens' long polls (issue 17): the TV, the counter console and the visitor's ticket ask
 * with the branch version they show and `w=1`; the server holds the request until the version
 * changes (a call, a new ticket: answered within milliseconds, through Redis pub/sub between
 * servers) or LIVE_WAIT_SECONDS pass (204, and the screen asks again at once). Without `w=1` the
 * answer is immediate, as for an ordinary poll.
 *
 * A waiting request does no database work and is not counted as work in progress for load
 * shedding: 500 idle TVs are 500 sockets and timers, not 500 requests a second.
 */
export const livePolls = { waitMs: env.get('LIVE_WAIT_SECONDS', 25) * 1000 }

/**
 * Whether the screen already shows the branch's current version, after waiting for a change if
 * it asked to: true means "answer 204".
 */
export async function unchangedLive(ctx: HttpContext, branchId: number, version: number | null) {
  if (version === null) return false
  const wait = ctx.request.input('w') === '1' ? spread(livePolls.waitMs) : 0
  if (wait === 0) return (await liveVersion.get(branchId)) === version
  // A screen that goes away (tab closed, network lost) stops its wait at once.
  const gone = new AbortController()
  const abort = () => gone.abort()
  const response = ctx.response.response
  response.once('close', abort)
  loadShedding.inFlight--
  loadShedding.waiting++
  try {
    return (await liveVersion.changed(branchId, version, wait, gone.signal)) === null
  } finally {
    loadShedding.waiting--
    loadShedding.inFlight++
    response.off('close', abort)
  }
}

/** ±10%, so that screens started together do not all ask again in the same instant. */
function spread(ms: number) {
  return Math.round(ms * (0.9 + Math.random() * 0.2))
}
