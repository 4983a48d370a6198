import type { HttpContext } from '@adonisjs/core/http'
import Counter from '#models/counter'
import Ticket from '#models/ticket'
import Device from '#models/device'
import DailyReport from '#services/analytics/daily_report'
import { inject } from '@adonisjs/core'

/** Admin home: today at a glance, the counters, the links to share, and "reset today". */
@inject()
export default class DashboardController {
  constructor(protected dailyReport: DailyReport) {}

  async index({ view, branch }: HttpContext) {
    const today = branch.today()
    const report = await this.dailyReport.forBranch(branch, today)
    const counters = await Counter.ofBranch(branch.id).where('is_active', true).preload('operator')
    const calling = await Ticket.query()
      .where('branch_id', branch.id)
      .where('status', 'called')
      .whereNotNull('counter_id')
    const devices = await Device.query().where('branch_id', branch.id).orderBy('id')
    return view.render('pages/queue/admin/dashboard', {
      section: 'dashboard',
      today,
      report,
      counters,
      callingByCounter: new Map(calling.map((ticket) => [ticket.counterId, ticket])),
      devices,
    })
  }
}
