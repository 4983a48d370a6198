import type { HttpContext } from '@adonisjs/core/http'
import Counter from '#models/counter'
import Service from '#models/service'
import QueueBoard from '#services/queue/queue_board'
import RatingBoard, { staffNames } from '#services/billing/rating_board'
import clock from '#support/clock'
import liveVersion from '#support/live_version'
import { readPoll } from '#validators/queue'
import { inject } from '@adonisjs/core'

/**
 * The supervisor board: every counter and service of the branch, live, with the visitors at risk
 * and the week's low ratings (a new one redraws the board).
 */
@inject()
export default class BoardController {
  constructor(
    protected queueBoard: QueueBoard,
    protected ratingBoard: RatingBoard
  ) {}

  async show(ctx: HttpContext) {
    return ctx.view.render('pages/queue/board', await this.state(ctx))
  }

  async live(ctx: HttpContext) {
    const { version } = readPoll(ctx.request.qs())
    if (version !== null && (await liveVersion.get(ctx.branch.id)) === version)
      return ctx.response.noContent()
    return ctx.view.render('partials/queue/board', await this.state(ctx))
  }

  private async state({ branch, tenant }: HttpContext) {
    const board = await this.queueBoard.supervisor(branch)
    const threshold = tenant.billing.lowRatingThreshold
    const low = await this.ratingBoard.lowRecent(tenant.id, [branch.id], threshold, clock.now())
    const services = await Service.ofBranch(branch.id).where('is_active', true)
    const counters = await Counter.ofBranch(branch.id).where('is_active', true)
    return {
      section: 'board',
      ...board,
      transferServices: services,
      transferCounters: counters,
      version: await liveVersion.get(branch.id),
      low,
      threshold,
      names: await staffNames(low),
    }
  }
}
