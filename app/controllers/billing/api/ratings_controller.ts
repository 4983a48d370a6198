import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Branch from '#models/branch'
import Rating from '#models/rating'
import User from '#models/user'
import RatingBoard, { RATINGS_PER_PAGE } from '#services/billing/rating_board'
import { ratingResource } from '#services/platform/api_resources'
import { apiRatingListValidator } from '#validators/billing'
import { DateTime } from 'luxon'

/** The period the list covers when none is given: the last 30 days. */
const DEFAULT_DAYS = 30

/**
 * `/api/v1/ratings` (read only): the answers customers gave in a period (days in the branch's
 * zone; the last 30 days unless told), by kind of work, staff member credited and branch, each
 * with the staff it credits; and one rating, answered or not yet.
 */
@inject()
export default class RatingsController {
  constructor(protected board: RatingBoard) {}

  /** `GET /ratings?from=&to=&subject_type=&staff_id=&branch_id=&page=&per_page=` */
  async index({ request, tenant }: HttpContext) {
    const filter = await request.validateUsing(apiRatingListValidator)
    const branch = filter.branch_id
      ? await Branch.findForTenantOrFail(tenant, filter.branch_id)
      : await Branch.forTenant(tenant.id).orderBy('id').firstOrFail()
    if (filter.staff_id) await User.forTenant(tenant.id).where('id', filter.staff_id).firstOrFail()
    const to = filter.to ?? branch.today()
    const from =
      filter.from ??
      DateTime.fromISO(to)
        .minus({ days: DEFAULT_DAYS - 1 })
        .toISODate()!
    const page = await this.board
      .answers(
        tenant.id,
        filter.branch_id ? [branch.id] : null,
        { from, to, subjectType: filter.subject_type, staffId: filter.staff_id },
        branch.timezone,
        tenant.billing.lowRatingThreshold
      )
      .paginate(filter.page ?? 1, filter.per_page ?? RATINGS_PER_PAGE)
    return {
      data: page.all().map(ratingResource),
      meta: {
        total: page.total,
        page: page.currentPage,
        per_page: page.perPage,
        last_page: page.lastPage,
      },
    }
  }

  /** `GET /ratings/:id` */
  async show({ params, tenant }: HttpContext) {
    const rating = await Rating.findForTenantOrFail(tenant, params.id)
    await rating.load('credits')
    return ratingResource(rating)
  }
}
