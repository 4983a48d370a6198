import type { HttpContext } from '@adonisjs/core/http'
import clock from '#support/clock'
import liveVersion from '#support/live_version'
import BookingBoard from '#services/bookings/booking_board'
import { readPoll } from '#validators/queue'
import { currentEntry } from '#controllers/bookings/scope'
import { inject } from '@adonisjs/core'

/** The board is drawn again at least this often, for what changes with time alone (opening, lateness). */
const REDRAW_MS = 60_000

/**
 * The booth / outlet board: every resource of the branch live (the session running with its
 * countdown, who has arrived, the next booking, free or closed), for a wall screen. It polls with
 * the branch version it holds and gets 204 while nothing changed.
 */
@inject()
export default class BookingBoardController {
  constructor(protected bookingBoard: BookingBoard) {}

  async show(ctx: HttpContext) {
    return ctx.view.render('pages/bookings/staff/board', await this.#state(ctx))
  }

  async live(ctx: HttpContext) {
    const { version } = readPoll(ctx.request.qs())
    const drawnAt = Number(ctx.request.qs().r)
    const fresh = Number.isFinite(drawnAt) && clock.now().toMillis() - drawnAt < REDRAW_MS
    if (version !== null && fresh && (await liveVersion.get(ctx.branch.id)) === version)
      return ctx.response.noContent()
    return ctx.view.render('partials/bookings/staff/board', await this.#state(ctx))
  }

  async #state(ctx: HttpContext) {
    const version = await liveVersion.get(ctx.branch.id)
    const entry = await currentEntry(ctx)
    const now = clock.now()
    return {
      section: 'bookings_board',
      version,
      now,
      resources: await this.bookingBoard.resources(entry, now),
      timezone: entry.branch.timezone,
    }
  }
}
