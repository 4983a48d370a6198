import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import clock from '#support/clock'
import liveVersion from '#support/live_version'
import JobBoard from '#services/field/job_board'
import AttendanceBook from '#services/field/attendance_book'
import { readPoll } from '#validators/queue'

/** The pool is drawn again at least this often (jobs of the technician's other branches). */
const REDRAW_MS = 20_000

/**
 * A technician's phone pages: the open pool (nearest planned date first, places left, one tap to
 * claim), polled for changes, and their own jobs.
 */
@inject()
export default class PoolController {
  constructor(
    protected jobBoard: JobBoard,
    protected attendance: AttendanceBook
  ) {}

  async index(ctx: HttpContext) {
    return ctx.view.render('pages/field/pool', {
      ...(await this.#state(ctx)),
      today: await this.attendance.today(ctx.branch, ctx.auth.user!),
    })
  }

  async live(ctx: HttpContext) {
    const { version } = readPoll(ctx.request.qs())
    const drawnAt = Number(ctx.request.qs().r)
    const fresh = Number.isFinite(drawnAt) && clock.now().toMillis() - drawnAt < REDRAW_MS
    if (version !== null && fresh && (await liveVersion.get(ctx.branch.id)) === version)
      return ctx.response.noContent()
    return ctx.view.render('partials/field/pool', await this.#state(ctx))
  }

  async mine(ctx: HttpContext) {
    return ctx.view.render('pages/field/my_jobs', {
      section: 'field_my_jobs',
      ...(await this.jobBoard.mine(ctx.auth.user!)),
    })
  }

  async #state(ctx: HttpContext) {
    return {
      section: 'field_pool',
      version: await liveVersion.get(ctx.branch.id),
      now: clock.now(),
      jobs: await this.jobBoard.pool(ctx.auth.user!),
    }
  }
}
