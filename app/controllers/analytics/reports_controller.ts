import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import DailyReport from '#services/analytics/daily_report'
import { reportValidator } from '#validators/analytics'
import { inject } from '@adonisjs/core'

/** Admin: the daily report of the current branch. */
@inject()
export default class ReportsController {
  constructor(protected dailyReport: DailyReport) {}

  async daily({ request, view, branch }: HttpContext) {
    const { date } = await request.validateUsing(reportValidator, { data: request.qs() })
    const day = date && DateTime.fromISO(date).isValid ? date : branch.today()
    const report = await this.dailyReport.forBranch(branch, day)
    const previous = DateTime.fromISO(day).minus({ days: 1 }).toISODate()
    const next = DateTime.fromISO(day).plus({ days: 1 }).toISODate()
    return view.render('pages/analytics/daily', {
      section: 'reports',
      day,
      previous,
      next: next! <= branch.today() ? next : null,
      report,
      maxHour: Math.max(1, ...report.byHour),
    })
  }
}
