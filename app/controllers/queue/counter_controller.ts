import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import Counter from '#models/counter'
import Service from '#models/service'
import DomainError from '#exceptions/domain_error'
import CounterDesk from '#services/queue/counter_desk'
import { unchangedLive } from '#http/long_poll'
import BranchRecordPolicy from '#policies/branch_record_policy'
import {
  presenceValidator,
  readPoll,
  selectCounterValidator,
  staffActionValidator,
} from '#validators/queue'
import { notify, respondWithConsole } from '#controllers/queue/console'
import CounterConsole from '#services/queue/counter_console'
import QueueEngine from '#services/queue/queue_engine'
import StaffSessions from '#services/platform/staff_sessions'
import { CURRENT_BRANCH_KEY } from '#middleware/staff_middleware'
import type User from '#models/user'
import { inject } from '@adonisjs/core'

/** Session key: the operator left their counter in this login, so the picker shows (not the last counter). */
const LEFT_COUNTER_KEY = 'counterLeft'

/**
 * The operator console `/app/counter`: pick a counter, set presence, call the next visitor.
 * Actions on a ticket live in TicketActionsController; both answer htmx with the refreshed
 * console fragment and a plain form post (no JavaScript) with a redirect back.
 */
@inject()
export default class CounterController {
  constructor(
    protected counterDesk: CounterDesk,
    protected counterConsole: CounterConsole,
    protected queue: QueueEngine,
    protected staffSessions: StaffSessions
  ) {}

  /**
   * The console of the operator's counter. Without one, the console opens on the counter they
   * last worked at (when it is still active, free and in their branches, switching to its
   * branch), unless they left it in this login; otherwise they pick one.
   */
  async show(ctx: HttpContext) {
    const counter =
      (await this.counterDesk.current(ctx.auth.user!, ctx.branch.id)) ??
      (await this.resumeLastCounter(ctx))
    if (!counter) return this.renderPicker(ctx)
    if (counter.branchId !== ctx.branch.id) {
      ctx.session.put(CURRENT_BRANCH_KEY, counter.branchId)
      return ctx.response.redirect().toRoute('counter.show')
    }
    return ctx.view.render(
      'pages/queue/console',
      await this.counterConsole.state(ctx.branch, counter)
    )
  }

  /** The console's long poll: the fresh console once the branch changed, else 204. */
  async live(ctx: HttpContext) {
    const { version } = readPoll(ctx.request.qs())
    if (await unchangedLive(ctx, ctx.branch.id, version)) return ctx.response.noContent()
    const counter = await this.counterDesk.current(ctx.auth.user!, ctx.branch.id)
    if (!counter) {
      ctx.htmx.redirect(router.makeUrl('counter.show'))
      return ctx.response.noContent()
    }
    return ctx.view.render(
      'partials/queue/console',
      await this.counterConsole.state(ctx.branch, counter)
    )
  }

  async select({ request, auth, bouncer, branch, response, session, tenant }: HttpContext) {
    const payload = await request.validateUsing(selectCounterValidator)
    const counter = await Counter.forTenant(tenant.id)
      .where('branch_id', branch.id)
      .where('id', payload.counter_id)
      .firstOrFail()
    await bouncer.with(BranchRecordPolicy).authorize('operate', counter)
    const services = await Service.query()
      .where('branch_id', branch.id)
      .whereIn('id', payload.service_ids)
    if (services.length !== payload.service_ids.length)
      throw new DomainError('unknown_service', {}, 422)
    const ordered = payload.service_ids.map((id) => services.find((service) => service.id === id)!)
    await this.counterDesk.sitDown(counter, ordered, { user: auth.user!, ip: request.ip() })
    await this.queue.setPresence(counter, 'available')
    session.forget(LEFT_COUNTER_KEY)
    return response.redirect().toRoute('counter.show')
  }

  async leave({ auth, branch, response, session }: HttpContext) {
    const counter = await this.counterDesk.current(auth.user!, branch.id)
    if (counter) {
      await this.queue.setPresence(counter, 'offline')
      await this.counterDesk.standUp(counter)
    }
    // Leaving is on purpose: this login shows the picker, the next one opens the counter again.
    session.put(LEFT_COUNTER_KEY, this.loginMark(auth.user!))
    return response.redirect().toRoute('counter.show')
  }

  /** Available, busy, on a break or offline. */
  async presence(ctx: HttpContext) {
    const { presence } = await ctx.request.validateUsing(presenceValidator)
    const counter = await this.counterConsole.seatOf(ctx.auth.user!, ctx.branch)
    await this.queue.setPresence(counter, presence)
    return respondWithConsole(ctx, counter)
  }

  async callNext(ctx: HttpContext) {
    const { request_id: requestId } = await ctx.request.validateUsing(staffActionValidator)
    const counter = await this.counterConsole.seatOf(ctx.auth.user!, ctx.branch)
    const ticket = await this.queue.callNext(ctx.branch, { counter, by: ctx.auth.user!, requestId })
    if (!ticket) notify(ctx, ctx.i18n.t('ui.counter.nobody_waiting'))
    return respondWithConsole(ctx, counter)
  }

  /** Seats the operator at their last counter again (CounterDesk.resume), ready to call. */
  private async resumeLastCounter({ auth, branches, request, session }: HttpContext) {
    const user = auth.user!
    if (session.get(LEFT_COUNTER_KEY) === this.loginMark(user)) return null
    const branchIds = branches.map((branch) => branch.id)
    const counter = await this.counterDesk.resume(user, branchIds, { user, ip: request.ip() })
    if (counter) await this.queue.setPresence(counter, 'available')
    return counter
  }

  /** This login (its staff session), so that "left the counter" lasts until the next login. */
  private loginMark(user: User) {
    return this.staffSessions.idOf(user) ?? 'login'
  }

  private async renderPicker({ view, branch, auth }: HttpContext) {
    const counters = await Counter.ofBranch(branch.id).where('is_active', true).preload('operator')
    const services = await Service.ofBranch(branch.id).where('is_active', true)
    const assigned = await this.counterDesk.servicesByCounter(branch.id)
    return view.render('pages/queue/pick_counter', {
      section: 'counter',
      counters,
      services,
      assigned,
      // The counter ticked first: the one this operator last worked at, else the first.
      preselected:
        counters.find((counter) => counter.id === auth.user!.lastCounterId) ?? counters[0],
    })
  }
}
