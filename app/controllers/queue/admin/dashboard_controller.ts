import type { HttpContext } from '@adonisjs/core/http'
import Counter from '#models/counter'
import Ticket from '#models/ticket'
import Device from '#models/device'
import DailyReport from '#services/analytics/daily_report'
import CounterDesk from '#services/queue/counter_desk'
import StaffHome from '#services/platform/staff_home'
import { inject } from '@adonisjs/core'

/** Admin home: today at a glance, the counters, the links to share, and "reset today". */
@inject()
export default class DashboardController {
  constructor(
    protected dailyReport: DailyReport,
    protected counterDesk: CounterDesk,
    protected staffHome: StaffHome
  ) {}

  async index({ view, branch }: HttpContext) {
    const today = branch.today()
    const report = await this.dailyReport.forBranch(branch, today)
    const counters = await Counter.ofBranch(branch.id).where('is_active', true).preload('operator')
    const calling = await Ticket.query()
      .where('branch_id', branch.id)
      .where('status', 'called')
      .whereNotNull('counter_id')
    // The TV displays only: kiosks and booths have pages of their own, not a display link.
    const devices = await Device.query()
      .where('branch_id', branch.id)
      .where('kind', 'display')
      .orderBy('id')
    // Only where the branch runs a queue: a booth business's booked services need no counter.
    const unservedServices = (await this.staffHome.modules(branch)).queue
      ? await this.counterDesk.servicesWithoutCounter(branch.id)
      : []
    return view.render('pages/queue/admin/dashboard', {
      section: 'dashboard',
      today,
      unservedServices,
      report,
      counters,
      callingByCounter: new Map(calling.map((ticket) => [ticket.counterId, ticket])),
      devices,
    })
  }
}
