import type { HttpContext } from '@adonisjs/core/http'
import type { Infer } from '@vinejs/vine/types'
import Area from '#models/area'
import DomainError from '#exceptions/domain_error'
import { NO_SHOW_ACTIONS, PRIORITIES } from '#enums/ticket'
import Service from '#models/service'
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
  constructor(protected configuration: Configuration, protected queueBoard: QueueBoard, protected serviceCatalog: ServiceCatalog) {}

  async index({ view, branch }: HttpContext) {
    const services = await Service.query().where('branch_id', branch.id).withScopes((s) => s.inOrder())
    const waiting = await this.queueBoard.waitingByService(branch)
    return view.render('pages/queue/admin/services/index', { section: 'services', services, waiting })
  }

  async create({ view, branch, tenant }: HttpContext) {
    return view.render('pages/queue/admin/services/form', { section: 'services', service: null, ...(await formData(branch.id)), ...bookingFormData(null, tenant) })
  }

  async store(ctx: HttpContext) {
    const { request, response, session, branch, tenant, i18n } = ctx
    const data = await request.validateUsing(serviceValidator, { meta: { branchId: branch.id } })
    await this.configuration.create(
      Service,
      {
        tenantId: tenant.id,
        branchId: branch.id,
        ...(await attributesOf(data, branch.id)),
        isActive: data.is_active ?? true,
        position: await this.serviceCatalog.nextPosition(branch.id),
      },
      scopeOf(ctx, 'service'),
      actorOf(ctx)
    )
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
    await this.configuration.update(
      service,
      { ...(await attributesOf(data, service.branchId)), isActive: data.is_active ?? false },
      scopeOf(ctx, 'service', service.branchId),
      actorOf(ctx)
    )
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

/** The service's attributes from the form; an area must be one of the branch's. */
async function attributesOf(data: Infer<typeof serviceValidator>, branchId: number) {
  if (data.area_id && !(await Area.query().where('branch_id', branchId).where('id', data.area_id).first())) {
    throw new DomainError('unknown_area', {}, 422)
  }
  return {
    code: data.code,
    name: data.name,
    nameEn: data.name_en ?? null,
    nameMs: data.name_ms ?? null,
    description: data.description ?? null,
    areaId: data.area_id ?? null,
    slaMinutes: data.sla_minutes ?? 15,
    opensAt: data.opens_at ?? null,
    closesAt: data.closes_at ?? null,
    dailyCapacity: data.daily_capacity ?? null,
    defaultPriority: data.default_priority ?? 'regular',
    numberFormat: data.number_format ?? '{code}{n:3}',
    noShowAfterMinutes: data.no_show_after_minutes ?? null,
    noShowAction: data.no_show_action ?? 'no_show',
    maxWaitMinutes: data.max_wait_minutes ?? null,
    notifyAhead: data.notify_ahead ?? null,
    isBookable: data.is_bookable ?? false,
    durationMinutes: data.duration_minutes ?? null,
    price: data.price ?? 0,
    requiresPrepayment: data.requires_prepayment ?? false,
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
  const areas = await Area.query().where('branch_id', branchId).withScopes((s) => s.inOrder())
  return { areas, priorities: PRIORITIES, noShowActions: NO_SHOW_ACTIONS }
}
