import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import QueueEngine from '#services/queue/queue_engine'
import { actorOf } from '#controllers/scope'

/** Admin: "reset today" restarts numbering at 1 and closes the branch's waiting tickets. */
@inject()
export default class QueueController {
  constructor(protected queue: QueueEngine) {}

  async reset(ctx: HttpContext) {
    const closed = await this.queue.resetToday(ctx.branch, actorOf(ctx))
    ctx.session.flash('success', ctx.i18n.t('ui.dashboard.reset_done', { count: closed }))
    return ctx.response.redirect().toRoute('admin.dashboard')
  }
}
