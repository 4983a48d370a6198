import { Readable } from 'node:stream'
import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import User from '#models/user'
import RatingBoard, { RATINGS_PER_PAGE, staffNames } from '#services/billing/rating_board'
import clock from '#support/clock'
import { ratingFilterValidator } from '#validators/billing'
import { filledQuery } from '#controllers/scope'
import { RATING_SUBJECTS } from '#enums/billing'

/**
 * The ratings dashboard for supervisors, CS and owners: the low ratings of the week waiting on
 * the board, the period's response rate, average, distribution, trend per day and per staff
 * member, the answers with their comments (by kind of work, staff member, low scores), and CSV.
 */
@inject()
export default class RatingsController {
  constructor(protected board: RatingBoard) {}

  async index(ctx: HttpContext) {
    const filter = await this.#filter(ctx)
    const branchIds = ctx.branches.map((branch) => branch.id)
    const zone = ctx.branch.timezone
    const threshold = ctx.tenant.billing.lowRatingThreshold
    const page = await this.board
      .answers(ctx.tenant.id, branchIds, filter, zone, threshold)
      .paginate(filter.page ?? 1, RATINGS_PER_PAGE)
    page.baseUrl(ctx.request.url())
    page.queryString({ ...filledQuery(ctx), page: undefined })
    const low = await this.board.lowRecent(ctx.tenant.id, branchIds, threshold, clock.now())
    return ctx.view.render('pages/billing/ratings/index', {
      section: 'ratings',
      filter,
      page,
      low,
      threshold,
      names: await staffNames([...page.all(), ...low]),
      summary: await this.board.summary(ctx.tenant.id, branchIds, filter, zone),
      subjects: RATING_SUBJECTS,
      staff: await User.forTenant(ctx.tenant.id)
        .whereNot('role', 'super_admin')
        .where('is_active', true)
        .orderBy('full_name')
        .select('id', 'full_name'),
      exportQuery: { ...filledQuery(ctx), page: undefined },
    })
  }

  async export(ctx: HttpContext) {
    const filter = await this.#filter(ctx)
    const branchIds = ctx.branches.map((branch) => branch.id)
    ctx.response
      .header('content-type', 'text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="${ctx.i18n.t('billing.ratings.file_name')}-${filter.to}.csv"`
      )
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
    ctx.response.stream(
      Readable.from(
        this.board.csv(
          ctx.tenant.id,
          branchIds,
          filter,
          ctx.branch.timezone,
          ctx.tenant.billing.lowRatingThreshold
        )
      )
    )
  }

  /** The filter with its period filled in: the last 30 days to today by default. */
  async #filter(ctx: HttpContext) {
    const input = await ratingFilterValidator.validate(filledQuery(ctx))
    const today = ctx.branch.today()
    const to = input.to ?? today
    const from = input.from ?? DateTime.fromISO(to).minus({ days: 29 }).toISODate()!
    return {
      ...input,
      from: from <= to ? from : to,
      to,
      subjectType: input.subject_type ?? null,
      staffId: input.staff_id ?? null,
      low: input.low ?? false,
    }
  }
}
