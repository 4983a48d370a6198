import type { HttpContext } from '@adonisjs/core/http'
import type { Infer } from '@vinejs/vine/types'
import Resource from '#models/resource'
import Service from '#models/service'
import DomainError from '#exceptions/domain_error'
import ResourceCatalog, { type ResourceInput } from '#services/bookings/resource_catalog'
import { resourceValidator } from '#validators/bookings'
import { actorOf, findStaffRecord } from '#controllers/scope'
import { RESOURCE_KINDS } from '#enums/booking'
import { inject } from '@adonisjs/core'

/** Weekdays in the order the form lists them: Monday first. */
const WEEK = [1, 2, 3, 4, 5, 6, 0]

/** Admin: the branch's bookable resources (booths, rooms, chairs, doctors), what they offer and when. */
@inject()
export default class ResourcesController {
  constructor(protected resourceCatalog: ResourceCatalog) {}

  async index({ view, branch }: HttpContext) {
    const resources = await this.resourceCatalog.list(branch)
    return view.render('pages/bookings/admin/resources/index', { section: 'resources', resources })
  }

  async create({ view, branch }: HttpContext) {
    return view.render('pages/bookings/admin/resources/form', {
      section: 'resources',
      resource: null,
      ...(await formData(branch.id, null)),
    })
  }

  async store(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(resourceValidator, {
      meta: { branchId: ctx.branch.id },
    })
    await this.resourceCatalog.create(ctx.branch, inputOf(data, true), actorOf(ctx))
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.resources.index')
  }

  async edit(ctx: HttpContext) {
    const resource = await findStaffRecord(ctx, Resource, ctx.params.id)
    return ctx.view.render('pages/bookings/admin/resources/form', {
      section: 'resources',
      resource,
      ...(await formData(resource.branchId, resource)),
    })
  }

  async update(ctx: HttpContext) {
    const resource = await findStaffRecord(ctx, Resource, ctx.params.id)
    const data = await ctx.request.validateUsing(resourceValidator, {
      meta: { branchId: resource.branchId, id: resource.id },
    })
    await this.resourceCatalog.update(resource, inputOf(data, false), actorOf(ctx))
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.resources.index')
  }

  async toggle(ctx: HttpContext) {
    const resource = await findStaffRecord(ctx, Resource, ctx.params.id)
    await this.resourceCatalog.setActive(resource, !resource.isActive, actorOf(ctx))
    return ctx.response.redirect().toRoute('admin.resources.index')
  }
}

/** The form's fields as the catalog takes them; an open day needs both times. */
function inputOf(data: Infer<typeof resourceValidator>, creating: boolean): ResourceInput {
  const open = (data.days ?? []).filter((day) => day.open)
  if (open.some((day) => !day.opens_at || !day.closes_at))
    throw new DomainError('invalid_hours', {}, 422)
  return {
    kind: data.kind,
    name: data.name,
    isActive: data.is_active ?? (creating ? true : false),
    serviceIds: data.service_ids ?? [],
    schedule: open.map((day) => ({
      weekday: day.weekday,
      opensAt: day.opens_at!,
      closesAt: day.closes_at!,
    })),
  }
}

async function formData(branchId: number, resource: Resource | null) {
  const services = await Service.ofBranch(branchId)
  if (resource) {
    await resource.load('schedules')
    await resource.load('services')
  }
  const offered = new Set(
    resource?.services.map((service) => service.id) ??
      services.filter((service) => service.isBookable).map((service) => service.id)
  )
  return {
    kinds: RESOURCE_KINDS,
    services,
    offered,
    // A new resource starts open every day, 09:00-17:00; the admin unticks the days it is closed.
    weekdays: WEEK.map((weekday) => {
      const hours = resource?.schedules.find((row) => row.weekday === weekday) ?? null
      return {
        weekday,
        open: resource ? hours !== null : true,
        opensAt: hours?.opensAt ?? '09:00',
        closesAt: hours?.closesAt ?? '17:00',
      }
    }),
  }
}
