import { urlToken } from '#support/secrets'
import type { HttpContext } from '@adonisjs/core/http'
import Device from '#models/device'
import Area from '#models/area'
import Service from '#models/service'
import Resource from '#models/resource'
import DomainError from '#exceptions/domain_error'
import Configuration from '#services/platform/configuration'
import deviceDirectory from '#services/queue/device_directory'
import { deviceSettingsValidator, deviceValidator } from '#validators/queue'
import { actorOf, findStaffRecord, scopeOf } from '#controllers/scope'
import { DISPLAY_MODES } from '#models/device'
import { absoluteUrl, qrSvg } from '#support/urls'
import { inject } from '@adonisjs/core'

/**
 * The secret link a TV or a kiosk opens, as the admin types or scans it into that device's
 * browser. Booths have none here: their link is in the booth's own form hint.
 */
function screenLink(device: Device) {
  if (device.kind === 'display') return absoluteUrl('display.show', { token: device.token })
  if (device.kind === 'kiosk') return absoluteUrl('kiosk.show', { token: device.token })
  return null
}

/** Admin: TV displays, kiosks and booths (each linked to its resource), each reached by a secret URL. */
@inject()
export default class DevicesController {
  constructor(protected configuration: Configuration) {}

  async index({ view, branch }: HttpContext) {
    const devices = await Device.query().where('branch_id', branch.id).orderBy('kind').orderBy('id')
    const resources = await Resource.query().where('branch_id', branch.id)
    const resourceNames = new Map(resources.map((resource) => [resource.id, resource.name]))
    return view.render('pages/queue/admin/devices/index', {
      section: 'devices',
      devices,
      resourceNames,
    })
  }

  async store(ctx: HttpContext) {
    const { name, kind } = await ctx.request.validateUsing(deviceValidator)
    const device = await this.configuration.create(
      Device,
      {
        tenantId: ctx.tenant.id,
        branchId: ctx.branch.id,
        kind: kind ?? 'display',
        name,
        token: urlToken(),
      },
      scopeOf(ctx, 'device'),
      actorOf(ctx)
    )
    ctx.session.flash('success', ctx.i18n.t('ui.devices.created'))
    return ctx.response.redirect().toRoute('admin.devices.edit', { id: device.id })
  }

  async edit(ctx: HttpContext) {
    const device = await findStaffRecord(ctx, Device, ctx.params.id)
    const areas = await Area.ofBranch(device.branchId)
    const services = await Service.ofBranch(device.branchId)
    const resources = await Resource.ofBranch(device.branchId)
    const link = screenLink(device)
    return ctx.view.render('pages/queue/admin/devices/edit', {
      section: 'devices',
      device,
      link,
      linkQr: link ? await qrSvg(link, 1) : null,
      areas,
      services,
      resources,
      modes: DISPLAY_MODES,
    })
  }

  async update(ctx: HttpContext) {
    const device = await findStaffRecord(ctx, Device, ctx.params.id)
    const data = await ctx.request.validateUsing(deviceSettingsValidator)
    const serviceIds = data.service_ids ?? []
    if (
      data.area_id &&
      !(await Area.query().where('branch_id', device.branchId).where('id', data.area_id).first())
    ) {
      throw new DomainError('unknown_area', {}, 422)
    }
    const known = await Service.query()
      .where('branch_id', device.branchId)
      .whereIn('id', serviceIds.length ? serviceIds : [0])
    if (known.length !== serviceIds.length) throw new DomainError('unknown_service', {}, 422)
    if (
      data.resource_id &&
      !(await Resource.query()
        .where('branch_id', device.branchId)
        .where('id', data.resource_id)
        .first())
    ) {
      throw new DomainError('unknown_resource', {}, 422)
    }
    await this.configuration.update(
      device,
      device.kind === 'booth'
        ? { name: data.name, resourceId: data.resource_id ?? null }
        : device.kind === 'kiosk'
          ? { name: data.name, paperWidth: data.paper_width ?? device.paperWidth }
          : {
              name: data.name,
              mode: data.mode ?? 'lobby',
              areaId: data.area_id ?? null,
              serviceIds: serviceIds.length ? serviceIds.join(',') : null,
              recentCount: data.recent_count ?? 6,
              showNextUp: data.show_next_up ?? false,
            },
      scopeOf(ctx, 'device', device.branchId),
      actorOf(ctx)
    )
    deviceDirectory.forget(device.token)
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.devices.index')
  }

  /** Gives the device a new secret URL; the old one stops working. */
  async regenerate(ctx: HttpContext) {
    const device = await findStaffRecord(ctx, Device, ctx.params.id)
    const oldToken = device.token
    await this.configuration.update(
      device,
      { token: urlToken() },
      scopeOf(ctx, 'device', device.branchId),
      actorOf(ctx),
      {
        action: 'token_regenerated',
      }
    )
    deviceDirectory.forget(oldToken)
    ctx.session.flash('success', ctx.i18n.t('ui.devices.regenerated'))
    return ctx.response.redirect().toRoute('admin.devices.index')
  }

  async destroy(ctx: HttpContext) {
    const device = await findStaffRecord(ctx, Device, ctx.params.id)
    await this.configuration.remove(device, scopeOf(ctx, 'device', device.branchId), actorOf(ctx))
    deviceDirectory.forget(device.token)
    ctx.session.flash('success', ctx.i18n.t('ui.devices.deleted'))
    return ctx.response.redirect().toRoute('admin.devices.index')
  }
}
