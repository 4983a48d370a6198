import type { HttpContext } from '@adonisjs/core/http'
import FirstRunSetup from '#services/queue/first_run_setup'
import { SETUP_LIMITS, setupValidator } from '#validators/queue'
import { actorOf } from '#controllers/scope'
import { inject } from '@adonisjs/core'

/** Admin: the first-run setup of the current branch (name, services, counters) and its handover page. */
@inject()
export default class SetupController {
  constructor(protected firstRunSetup: FirstRunSetup) {}

  async edit({ view, tenant, branch }: HttpContext) {
    const { services, counterCount } = await this.firstRunSetup.current(tenant, branch)
    return view.render('pages/queue/admin/setup/form', {
      section: 'dashboard',
      services,
      counterCount,
      limits: SETUP_LIMITS,
    })
  }

  async store(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(setupValidator)
    await this.firstRunSetup.apply(ctx.tenant, ctx.branch, data, actorOf(ctx))
    return ctx.response.redirect().toRoute('admin.setup.done')
  }

  async done({ view, tenant, branch }: HttpContext) {
    return view.render('pages/queue/admin/setup/done', {
      section: 'dashboard',
      ...(await this.firstRunSetup.handover(tenant, branch)),
    })
  }
}
