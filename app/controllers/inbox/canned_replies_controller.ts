import type { HttpContext } from '@adonisjs/core/http'
import CannedReply from '#models/canned_reply'
import DomainError from '#exceptions/domain_error'
import { isUniqueViolation } from '#support/database'
import { cannedReplyValidator } from '#validators/conversations'

/**
 * Canned replies (`/app/inbox-canned`): the answers agents insert by typing `/shortcut` in a
 * reply, with `{{name}}` and `{{outlet}}` filled in from the conversation. Kept by the inbox's
 * managers; a shortcut is unique in the tenant.
 */
export default class CannedRepliesController {
  async index(ctx: HttpContext) {
    return ctx.view.render('pages/inbox/canned', {
      section: 'inbox',
      replies: await CannedReply.forTenant(ctx.tenant).orderBy('shortcut'),
    })
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(cannedReplyValidator)
    await this.#saved(() => CannedReply.create({ tenantId: ctx.tenant.id, ...input }))
    ctx.session.flash('success', ctx.i18n.t('inbox.canned.saved', { shortcut: input.shortcut }))
    return ctx.response.redirect().toRoute('inbox.canned.index')
  }

  async update(ctx: HttpContext) {
    const reply = await CannedReply.findForTenantOrFail(ctx.tenant, ctx.params.id)
    const input = await ctx.request.validateUsing(cannedReplyValidator)
    await this.#saved(() => reply.merge(input).save())
    ctx.session.flash('success', ctx.i18n.t('inbox.canned.saved', { shortcut: input.shortcut }))
    return ctx.response.redirect().toRoute('inbox.canned.index')
  }

  async destroy(ctx: HttpContext) {
    const reply = await CannedReply.findForTenantOrFail(ctx.tenant, ctx.params.id)
    await reply.delete()
    ctx.session.flash('success', ctx.i18n.t('inbox.canned.deleted', { shortcut: reply.shortcut }))
    return ctx.response.redirect().toRoute('inbox.canned.index')
  }

  /** A shortcut another reply of the tenant already has answers 422 with a message. */
  async #saved(work: () => Promise<unknown>) {
    try {
      await work()
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('inbox_shortcut_taken', {}, 422)
      throw error
    }
  }
}
