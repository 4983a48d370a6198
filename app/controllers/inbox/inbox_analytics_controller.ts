import { Readable } from 'node:stream'
import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import clock from '#support/clock'
import InboxAnalytics, { BACKLOG_BUCKETS } from '#services/inbox/inbox_analytics'
import slaPlanner from '#services/inbox/sla_planner'
import UserScopes from '#services/inbox/user_scopes'
import { filledQuery } from '#controllers/scope'
import { inboxAnalyticsValidator } from '#validators/conversations'

/** The longest period the dashboard reads, in days. */
export const MAX_PERIOD_DAYS = 366

/**
 * The inbox's analytics dashboard (`/app/inbox-analytics`, owners, admins and supervisors):
 * ticket volume, FRT and ART, reopen rate, backlog aging, merchants, CSAT per agent, as CSS
 * charts and tables, and the period's tickets as CSV. Days are the tenant's (its first branch's
 * zone, as the SLA calendar counts them).
 */
@inject()
export default class InboxAnalyticsController {
  constructor(
    protected analytics: InboxAnalytics,
    protected scopes: UserScopes
  ) {}

  async index(ctx: HttpContext) {
    const { period, zone } = await this.#period(ctx)
    const scopes = await this.scopes.of(ctx.tenant.id, ctx.auth.user!.id)
    const report = await this.analytics.report(ctx.tenant.id, scopes, period, zone, clock.now())
    return ctx.view.render('pages/inbox/analytics', {
      section: 'inbox',
      report,
      period,
      zone,
      buckets: BACKLOG_BUCKETS,
      exportQuery: { from: period.from, to: period.to },
    })
  }

  async export(ctx: HttpContext) {
    const { period, zone } = await this.#period(ctx)
    const scopes = await this.scopes.of(ctx.tenant.id, ctx.auth.user!.id)
    ctx.response
      .header('content-type', 'text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="${ctx.i18n.t('inbox.analytics.file_name')}-${period.to}.csv"`
      )
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
    ctx.response.stream(Readable.from(this.analytics.csv(ctx.tenant.id, scopes, period, zone)))
  }

  /**
   * The period asked for: the last 30 days to today (local) by default; `from` after `to` is
   * moved back to `to`, and a period longer than MAX_PERIOD_DAYS is cut to its last days.
   */
  async #period(ctx: HttpContext) {
    const input = await inboxAnalyticsValidator.validate(filledQuery(ctx))
    const { zone } = await slaPlanner.calendar(ctx.tenant.id)
    const day = (text: string | undefined) =>
      text && DateTime.fromISO(text, { zone }).isValid ? text : null
    const today = clock.now().setZone(zone).toISODate()!
    const to = day(input.to) ?? today
    let from = day(input.from) ?? DateTime.fromISO(to).minus({ days: 29 }).toISODate()!
    if (from > to) from = to
    const earliest = DateTime.fromISO(to)
      .minus({ days: MAX_PERIOD_DAYS - 1 })
      .toISODate()!
    if (from < earliest) from = earliest
    return { period: { from, to }, zone }
  }
}
