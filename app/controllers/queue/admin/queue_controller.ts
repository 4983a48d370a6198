import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { absoluteUrl, qrSvg } from '#support/urls'
import QueueEngine from '#services/queue/queue_engine'
import WhatsappQueue from '#services/queue/whatsapp_queue'
import { actorOf } from '#controllers/scope'

/** Admin: the branch's QR poster, and "reset today", which restarts numbering at 1 and closes the waiting tickets. */
@inject()
export default class QueueController {
  constructor(
    protected queue: QueueEngine,
    protected whatsappQueue: WhatsappQueue
  ) {}

  async reset(ctx: HttpContext) {
    const closed = await this.queue.resetToday(ctx.branch, actorOf(ctx))
    ctx.session.flash('success', ctx.i18n.t('ui.dashboard.reset_done', { count: closed }))
    return ctx.response.redirect().toRoute('admin.dashboard')
  }

  /**
   * A printable poster with the QR code of the branch's take-a-number page and, when the tenant
   * has WhatsApp, a second one whose QR code opens the chat to take a number there.
   */
  async qr({ view, branch }: HttpContext) {
    const url = absoluteUrl('visitor.branch', { slug: branch.slug })
    const svg = await qrSvg(url, 1)
    const whatsapp = await this.whatsappQueue.posterLink(branch)
    const whatsappSvg = whatsapp?.url ? await qrSvg(whatsapp.url, 1) : null
    return view.render('pages/queue/admin/qr', {
      section: 'settings',
      url,
      svg,
      whatsapp,
      whatsappSvg,
    })
  }
}
