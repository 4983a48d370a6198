import type { HttpContext } from '@adonisjs/core/http'
import Area from '#models/area'
import { NO_SHOW_ACTIONS, PRIORITIES } from '#enums/ticket'
import Service from '#models/service'
import Counter from '#models/counter'
import type Tenant from '#models/tenant'
import { majorAmountText } from '#support/prices'
import Configuration from '#services/platform/configuration'
import ServiceCatalog from '#services/queue/service_catalog'
import QueueBoard from '#services/queue/queue_board'
import { moveValidator, serviceValidator } from '#validators/queue'
import { actorOf, findStaffRecord, scopeOf } from '#controllers/scope'
import { inject } from '@adonisjs/core'

/** Admin: the services a branch offers (create, edit, order, activate). */
@inject()
export default class ServicesController {
  constructor(
    protected configuration: Configuration,
    protected queueBoard: QueueBoard,
    protected serviceCatalog: ServiceCatalog
  ) {}

  async index({ view, branch }: HttpContext) {
    const services = await Service.ofBranch(branch.id)
    const waiting = await this.queueBoard.waitingByService(branch)
    return view.render('pages/queue/admin/services/index', {
      section: 'services',
      services,
      waiting,
    })
  }

  async create({ view, branch, tenant }: HttpContext) {
    return view.render('pages/queue/admin/services/form', {
      section: 'services',
      service: null,
      counters: await Counter.ofBranch(branch.id).where('is_active', true),
      ...(await formData(branch.id)),
      ...bookingFormData(null, tenant),
    })
  }

  async store(ctx: HttpContext) {
    const { request, response, session, branch, i18n } = ctx
    const data = await request.validateUsing(serviceValidator, { meta: { branchId: branch.id } })
    await this.serviceCatalog.add(branch, data, actorOf(ctx))
    session.flash('success', i18n.t('ui.flash.saved'))
    return response.redirect().toRoute('admin.services.index')
  }

  async edit(ctx: HttpContext) {
    const service = await findStaffRecord(ctx, Service, ctx.params.id)
    return ctx.view.render('pages/queue/admin/services/form', {
      section: 'services',
      service,
      ...(await formData(service.branchId)),
      ...bookingFormData(service, ctx.tenant),
    })
  }

  async update(ctx: HttpContext) {
    const service = await findStaffRecord(ctx, Service, ctx.params.id)
    const data = await ctx.request.validateUsing(serviceValidator, {
      meta: { branchId: service.branchId, id: service.id },
    })
    await this.serviceCatalog.change(service, data, actorOf(ctx))
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.services.index')
  }

  async move(ctx: HttpContext) {
    const service = await findStaffRecord(ctx, Service, ctx.params.id)
    const { direction } = await ctx.request.validateUsing(moveValidator)
    await this.serviceCatalog.move(service, direction, actorOf(ctx))
    return ctx.response.redirect().toRoute('admin.services.index')
  }

  async toggle(ctx: HttpContext) {
    const service = await findStaffRecord(ctx, Service, ctx.params.id)
    await this.configuration.update(
      service,
      { isActive: !service.isActive },
      scopeOf(ctx, 'service', service.branchId),
      actorOf(ctx),
      { action: service.isActive ? 'deactivated' : 'activated' }
    )
    return ctx.response.redirect().toRoute('admin.services.index')
  }
}

/** The booking section's price field shows the amount in the currency's major unit, as it is typed. */
function bookingFormData(service: Service | null, tenant: Tenant) {
  return {
    currency: tenant.currency,
    priceText: service && service.price > 0 ? majorAmountText(service.price, tenant.currency) : '',
    slotMinutes: tenant.booking.slotMinutes,
  }
}

async function formData(branchId: number) {
  const areas = await Area.ofBranch(branchId)
  return { areas, priorities: PRIORITIES, noShowActions: NO_SHOW_ACTIONS }
}
