import type { HttpContext } from '@adonisjs/core/http'
import { BRANCH_TIMEZONES } from '#models/branch'
import BranchSchedule from '#services/platform/branch_schedule'
import TenantSettings from '#services/platform/tenant_settings'
import Holiday from '#models/holiday'
import { PRIORITIES } from '#enums/ticket'
import {
  branchSettingsValidator,
  branchValidator,
  holidayValidator,
  hoursValidator,
  logoValidator,
  tenantSettingsValidator,
} from '#validators/platform'
import { queueSettingsValidator } from '#validators/queue'
import { actorOf } from '#controllers/scope'
import { CURRENT_BRANCH_KEY } from '#middleware/staff_middleware'
import { inject } from '@adonisjs/core'

/** Admin: the tenant's name, colour and language; the branch's name, link and time zone; new branches. */
@inject()
export default class SettingsController {
  constructor(
    protected branchSchedule: BranchSchedule,
    protected tenantSettings: TenantSettings
  ) {}

  async edit({ view, branch, tenant }: HttpContext) {
    const hours = await this.branchSchedule.hoursOf(branch)
    const holidays = await this.branchSchedule.holidaysOf(branch)
    return view.render('pages/platform/admin/settings', {
      section: 'settings',
      timezones: BRANCH_TIMEZONES,
      weekdays: [1, 2, 3, 4, 5, 6, 0].map((weekday) => ({
        weekday,
        hours: hours.find((row) => row.weekday === weekday) ?? null,
      })),
      holidays,
      queue: tenant.queue,
      priorities: PRIORITIES,
    })
  }

  /** The branch's weekly opening hours. */
  async updateHours(ctx: HttpContext) {
    const { days } = await ctx.request.validateUsing(hoursValidator)
    await this.branchSchedule.saveWeek(ctx.branch, days, actorOf(ctx))
    return this.#backToSettings(ctx, 'saved')
  }

  async storeHoliday(ctx: HttpContext) {
    const { date, name } = await ctx.request.validateUsing(holidayValidator)
    await this.branchSchedule.addHoliday(ctx.branch, date, name, actorOf(ctx))
    return this.#backToSettings(ctx, 'saved')
  }

  async destroyHoliday(ctx: HttpContext) {
    const holiday = await Holiday.forTenant(ctx.tenant.id)
      .where('branch_id', ctx.branch.id)
      .where('id', ctx.params.id)
      .firstOrFail()
    await this.branchSchedule.removeHoliday(ctx.branch, holiday, actorOf(ctx))
    return this.#backToSettings(ctx, 'deleted')
  }

  /** Priorities, ratio rule, anti-starvation, transfers, wait estimate: the tenant's queue rules (owners). */
  async updateQueue(ctx: HttpContext) {
    await ctx.bouncer.authorize('ownTenant')
    const data = await ctx.request.validateUsing(queueSettingsValidator)
    await this.tenantSettings.updateQueueRules(ctx.tenant, data, actorOf(ctx))
    return this.#backToSettings(ctx, 'saved')
  }

  /** The tenant's logo, shown on visitor, kiosk and display pages (owners). */
  async uploadLogo(ctx: HttpContext) {
    await ctx.bouncer.authorize('ownTenant')
    const { logo } = await ctx.request.validateUsing(logoValidator)
    await this.tenantSettings.replaceLogo(ctx.tenant, logo, actorOf(ctx))
    return this.#backToSettings(ctx, 'saved')
  }

  async removeLogo(ctx: HttpContext) {
    await ctx.bouncer.authorize('ownTenant')
    await this.tenantSettings.removeLogo(ctx.tenant, actorOf(ctx))
    return ctx.response.redirect().toRoute('admin.settings.edit')
  }

  async updateTenant(ctx: HttpContext) {
    await ctx.bouncer.authorize('ownTenant')
    const data = await ctx.request.validateUsing(tenantSettingsValidator)
    await this.tenantSettings.updateIdentity(ctx.tenant, data, actorOf(ctx))
    return this.#backToSettings(ctx, 'saved')
  }

  async updateBranch(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(branchSettingsValidator, {
      meta: { branchId: ctx.branch.id },
    })
    await this.tenantSettings.updateBranch(ctx.branch, data, actorOf(ctx))
    return this.#backToSettings(ctx, 'saved')
  }

  async createBranch({ bouncer, view }: HttpContext) {
    await bouncer.authorize('ownTenant')
    return view.render('pages/platform/admin/branch_create', {
      section: 'settings',
      timezones: BRANCH_TIMEZONES,
    })
  }

  async storeBranch(ctx: HttpContext) {
    await ctx.bouncer.authorize('ownTenant')
    const data = await ctx.request.validateUsing(branchValidator)
    const branch = await this.tenantSettings.openBranch(ctx.tenant, data, actorOf(ctx))
    ctx.session.put(CURRENT_BRANCH_KEY, branch.id)
    ctx.session.flash('success', ctx.i18n.t('ui.settings.branch_created', { name: branch.name }))
    return ctx.response.redirect().toRoute('admin.services.index')
  }

  /** Back to the settings page with a flash message (`ui.flash.<message>`). */
  #backToSettings(ctx: HttpContext, message: 'saved' | 'deleted') {
    ctx.session.flash('success', ctx.i18n.t(`ui.flash.${message}`))
    return ctx.response.redirect().toRoute('admin.settings.edit')
  }
}
