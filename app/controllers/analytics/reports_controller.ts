import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import DailyReport from '#services/analytics/daily_report'
import { inject } from '@adonisjs/core'

/** Admin: the daily report of the current branch. */
@inject()
export default class ReportsController {
  constructor(protected dailyReport: DailyReport) {}

  /** `?date=` that is not a date shows today's report and says so, rather than bouncing away. */
  async daily({ request, view, branch }: HttpContext) {
    const { day, understood } = this.dailyReport.dayOf(branch, request.qs().date)
    const report = await this.dailyReport.forBranch(branch, day)
    const hours = await this.dailyReport.hourSlots(branch, day, report.byHour)
    const previous = DateTime.fromISO(day).minus({ days: 1 }).toISODate()
    const next = DateTime.fromISO(day).plus({ days: 1 }).toISODate()
    return view.render('pages/analytics/daily', {
      section: 'reports',
      day,
      dateNotUnderstood: !understood,
      previous,
      next: next! <= branch.today() ? next : null,
      report,
      hours,
      maxHour: Math.max(1, ...hours.map((slot) => slot.taken)),
    })
  }
}
