import type { HttpContext } from '@adonisjs/core/http'
import Area from '#models/area'
import Configuration from '#services/platform/configuration'
import { areaValidator } from '#validators/queue'
import { actorOf, findStaffRecord, scopeOf } from '#controllers/scope'
import { inject } from '@adonisjs/core'

/** Admin: areas (floors, wings) of a branch, which group services, counters and displays. */
@inject()
export default class AreasController {
  constructor(protected configuration: Configuration) {}

  async index({ view, branch }: HttpContext) {
    const areas = await Area.ofBranch(branch.id)
    return view.render('pages/queue/admin/areas', { section: 'areas', areas })
  }

  async store(ctx: HttpContext) {
    const { name } = await ctx.request.validateUsing(areaValidator, {
      meta: { branchId: ctx.branch.id },
    })
    const last = await Area.query().where('branch_id', ctx.branch.id).max('position as top').first()
    await this.configuration.create(
      Area,
      {
        tenantId: ctx.tenant.id,
        branchId: ctx.branch.id,
        name,
        position: Number(last?.$extras.top ?? 0) + 1,
      },
      scopeOf(ctx, 'area'),
      actorOf(ctx)
    )
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.areas.index')
  }

  async update(ctx: HttpContext) {
    const area = await findStaffRecord(ctx, Area, ctx.params.id)
    const { name } = await ctx.request.validateUsing(areaValidator, {
      meta: { branchId: area.branchId, id: area.id },
    })
    await this.configuration.update(
      area,
      { name },
      scopeOf(ctx, 'area', area.branchId),
      actorOf(ctx)
    )
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.areas.index')
  }

  /** Removes an area; its services, counters and displays stay, without an area. */
  async destroy(ctx: HttpContext) {
    const area = await findStaffRecord(ctx, Area, ctx.params.id)
    await this.configuration.remove(
      area,
      scopeOf(ctx, 'area', area.branchId),
      actorOf(ctx),
      async (trx) => {
        for (const table of ['services', 'counters', 'devices']) {
          await trx.from(table).where('area_id', area.id).update({ area_id: null })
        }
      }
    )
    ctx.session.flash('success', ctx.i18n.t('ui.flash.deleted'))
    return ctx.response.redirect().toRoute('admin.areas.index')
  }
}
