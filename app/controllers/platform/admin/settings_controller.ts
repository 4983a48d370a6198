import type { HttpContext } from '@adonisjs/core/http'
import Branch, { BRANCH_TIMEZONES } from '#models/branch'
import Configuration from '#services/platform/configuration'
import BranchSchedule from '#services/platform/branch_schedule'
import Holiday from '#models/holiday'
import DomainError from '#exceptions/domain_error'
import type { QueueSettings } from '#models/settings/queue_settings'
import { PRIORITIES } from '#enums/ticket'
import { IMAGE_TYPES, readUpload } from '#support/uploads'
import { branchSettingsValidator, branchValidator, holidayValidator, hoursValidator, logoValidator, tenantSettingsValidator } from '#validators/platform'
import { queueSettingsValidator } from '#validators/queue'
import { actorOf } from '#controllers/scope'
import { CURRENT_BRANCH_KEY } from '#middleware/staff_middleware'
import { inject } from '@adonisjs/core'

/** Admin: the tenant's name, colour and language; the branch's name, link and time zone; new branches. */
@inject()
export default class SettingsController {
  constructor(protected branchSchedule: BranchSchedule, protected configuration: Configuration) {}

  async edit({ view, branch, tenant }: HttpContext) {
    const hours = await this.branchSchedule.hoursOf(branch)
    const holidays = await this.branchSchedule.holidaysOf(branch)
    return view.render('pages/platform/admin/settings', {
      section: 'settings',
      timezones: BRANCH_TIMEZONES,
      weekdays: [1, 2, 3, 4, 5, 6, 0].map((weekday) => ({ weekday, hours: hours.find((row) => row.weekday === weekday) ?? null })),
      holidays,
      queue: tenant.queue,
      priorities: PRIORITIES,
    })
  }

  /** The branch's weekly opening hours. */
  async updateHours(ctx: HttpContext) {
    const { days } = await ctx.request.validateUsing(hoursValidator)
    const open = days.filter((day) => day.open)
    if (open.some((day) => !day.opens_at || !day.closes_at)) throw new DomainError('invalid_hours', {}, 422)
    await this.branchSchedule.saveHours(
      ctx.branch,
      open.map((day) => ({ weekday: day.weekday, opensAt: day.opens_at!, closesAt: day.closes_at! })),
      actorOf(ctx)
    )
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.settings.edit')
  }

  async storeHoliday(ctx: HttpContext) {
    const { date, name } = await ctx.request.validateUsing(holidayValidator)
    if (await Holiday.query().where('branch_id', ctx.branch.id).where('date', date).first()) {
      throw new DomainError('holiday_exists', { date }, 422)
    }
    await this.branchSchedule.addHoliday(ctx.branch, date, name, actorOf(ctx))
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.settings.edit')
  }

  async destroyHoliday(ctx: HttpContext) {
    const holiday = await Holiday.forTenant(ctx.tenant.id)
      .where('branch_id', ctx.branch.id)
      .where('id', Number(ctx.params.id) || 0)
      .firstOrFail()
    await this.branchSchedule.removeHoliday(ctx.branch, holiday, actorOf(ctx))
    ctx.session.flash('success', ctx.i18n.t('ui.flash.deleted'))
    return ctx.response.redirect().toRoute('admin.settings.edit')
  }

  /** Priorities, ratio rule, anti-starvation, transfers, wait estimate: the tenant's queue rules (owners). */
  async updateQueue(ctx: HttpContext) {
    await ctx.bouncer.authorize('ownTenant')
    const data = await ctx.request.validateUsing(queueSettingsValidator)
    const settings: QueueSettings = {
      priorityWeights: data.weights,
      ratio: data.ratio_enabled ? { regular: data.ratio_regular ?? 2, priority: data.ratio_priority ?? 1 } : null,
      maxWaitMinutes: data.max_wait_minutes,
      transferKeepsPlace: data.transfer_keeps_place ?? false,
      showWaitEstimate: data.show_wait_estimate ?? false,
    }
    await this.configuration.update(ctx.tenant, { queueSettings: JSON.stringify(settings) }, { subject: 'tenant', tenantId: ctx.tenant.id }, actorOf(ctx), {
      action: 'queue_settings_updated',
    })
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.settings.edit')
  }

  /** The tenant's logo, shown on visitor, kiosk and display pages (owners). */
  async uploadLogo(ctx: HttpContext) {
    await ctx.bouncer.authorize('ownTenant')
    const { logo } = await ctx.request.validateUsing(logoValidator)
    const { bytes, type } = await readUpload(logo, IMAGE_TYPES)
    await this.configuration.update(
      ctx.tenant,
      { logoData: bytes.toString('base64'), logoMime: type },
      { subject: 'tenant', tenantId: ctx.tenant.id },
      actorOf(ctx),
      { action: 'logo_updated' }
    )
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.settings.edit')
  }

  async removeLogo(ctx: HttpContext) {
    await ctx.bouncer.authorize('ownTenant')
    await this.configuration.update(ctx.tenant, { logoData: null, logoMime: null }, { subject: 'tenant', tenantId: ctx.tenant.id }, actorOf(ctx), {
      action: 'logo_removed',
    })
    return ctx.response.redirect().toRoute('admin.settings.edit')
  }

  async updateTenant(ctx: HttpContext) {
    await ctx.bouncer.authorize('ownTenant')
    const data = await ctx.request.validateUsing(tenantSettingsValidator)
    await this.configuration.update(
      ctx.tenant,
      { name: data.tenant_name, brandColor: data.brand_color.toLowerCase(), locale: data.locale },
      { subject: 'tenant', tenantId: ctx.tenant.id },
      actorOf(ctx)
    )
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.settings.edit')
  }

  async updateBranch(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(branchSettingsValidator, { meta: { branchId: ctx.branch.id } })
    await this.configuration.update(
      ctx.branch,
      { name: data.name, slug: data.slug, timezone: data.timezone, address: data.address ?? null },
      { subject: 'branch', tenantId: ctx.tenant.id, branchId: ctx.branch.id },
      actorOf(ctx)
    )
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.settings.edit')
  }

  async createBranch({ bouncer, view }: HttpContext) {
    await bouncer.authorize('ownTenant')
    return view.render('pages/platform/admin/branch_create', { section: 'settings', timezones: BRANCH_TIMEZONES })
  }

  async storeBranch(ctx: HttpContext) {
    await ctx.bouncer.authorize('ownTenant')
    const data = await ctx.request.validateUsing(branchValidator)
    const branch = await this.configuration.create(
      Branch,
      { tenantId: ctx.tenant.id, name: data.name, slug: data.slug, timezone: data.timezone, address: data.address ?? null },
      { subject: 'branch', tenantId: ctx.tenant.id },
      actorOf(ctx)
    )
    ctx.session.put(CURRENT_BRANCH_KEY, branch.id)
    ctx.session.flash('success', ctx.i18n.t('ui.settings.branch_created', { name: branch.name }))
    return ctx.response.redirect().toRoute('admin.services.index')
  }

}
