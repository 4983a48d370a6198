import type { HttpContext } from '@adonisjs/core/http'
import Counter from '#models/counter'
import Service from '#models/service'
import Area from '#models/area'
import DomainError from '#exceptions/domain_error'
import Configuration from '#services/platform/configuration'
import CounterDesk from '#services/queue/counter_desk'
import { counterValidator } from '#validators/queue'
import { actorOf, findStaffRecord, scopeOf } from '#controllers/scope'
import { inject } from '@adonisjs/core'

/** Admin: counters (loket, rooms) and which services each one serves. */
@inject()
export default class CountersController {
  constructor(
    protected configuration: Configuration,
    protected counterDesk: CounterDesk
  ) {}

  async index({ view, branch }: HttpContext) {
    const counters = await Counter.ofBranch(branch.id)
      .preload('operator')
      .preload('services', (query) => query.orderBy('counter_services.rank'))
    return view.render('pages/queue/admin/counters/index', { section: 'counters', counters })
  }

  async create({ view, branch }: HttpContext) {
    return view.render('pages/queue/admin/counters/form', {
      section: 'counters',
      counter: null,
      ...(await this.formData(branch.id)),
    })
  }

  async store(ctx: HttpContext) {
    const { request, branch, tenant } = ctx
    const data = await request.validateUsing(counterValidator, { meta: { branchId: branch.id } })
    const services = await this.servicesOf(branch.id, data.service_ids)
    const last = await Counter.query().where('branch_id', branch.id).max('position as top').first()
    await this.configuration.create(
      Counter,
      {
        tenantId: tenant.id,
        branchId: branch.id,
        name: data.name,
        areaId: await areaOf(branch.id, data.area_id),
        isActive: data.is_active ?? true,
        position: Number(last?.$extras.top ?? 0) + 1,
      },
      scopeOf(ctx, 'counter'),
      actorOf(ctx),
      (trx, counter) => this.counterDesk.assignServices(counter, services, actorOf(ctx), trx)
    )
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.counters.index')
  }

  async edit(ctx: HttpContext) {
    const counter = await findStaffRecord(ctx, Counter, ctx.params.id)
    return ctx.view.render('pages/queue/admin/counters/form', {
      section: 'counters',
      counter,
      ...(await this.formData(counter.branchId, counter.id)),
    })
  }

  async update(ctx: HttpContext) {
    const counter = await findStaffRecord(ctx, Counter, ctx.params.id)
    const data = await ctx.request.validateUsing(counterValidator, {
      meta: { branchId: counter.branchId, id: counter.id },
    })
    const services = await this.servicesOf(counter.branchId, data.service_ids)
    await this.configuration.update(
      counter,
      {
        name: data.name,
        areaId: await areaOf(counter.branchId, data.area_id),
        isActive: data.is_active ?? false,
      },
      scopeOf(ctx, 'counter', counter.branchId),
      actorOf(ctx),
      { also: (trx) => this.counterDesk.assignServices(counter, services, actorOf(ctx), trx) }
    )
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.counters.index')
  }

  /** The branch's services in the order the admin ticked them (that order is the counter's priority). */
  private async servicesOf(branchId: number, ids: number[]) {
    const services = await Service.query()
      .where('branch_id', branchId)
      .whereIn('id', ids.length ? ids : [0])
    if (services.length !== ids.length) throw new DomainError('unknown_service', {}, 422)
    return ids.map((id) => services.find((service) => service.id === id)!)
  }

  private async formData(branchId: number, counterId?: number) {
    const services = await Service.ofBranch(branchId)
    const assigned = counterId
      ? ((await this.counterDesk.servicesByCounter(branchId)).get(counterId) ?? [])
      : []
    const areas = await Area.ofBranch(branchId)
    return { services, assigned, areas }
  }
}

/** The area a counter is in: one of the branch's, or none. */
async function areaOf(branchId: number, areaId: number | undefined) {
  if (!areaId) return null
  const area = await Area.query().where('branch_id', branchId).where('id', areaId).first()
  if (!area) throw new DomainError('unknown_area', {}, 422)
  return area.id
}
