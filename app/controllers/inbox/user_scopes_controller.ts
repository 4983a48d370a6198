import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import UserScopes from '#services/inbox/user_scopes'
import PlatformPolicy from '#policies/platform_policy'
import { outletMessages, userScopesValidator } from '#validators/inbox'
import { actorOf } from '#controllers/scope'

/**
 * Admin: which franchises and outlets a member of staff works for (the scopes card of the user's
 * edit page). Who may change whom is PlatformPolicy's, as for the rest of the account: a user
 * outside the admin's branch answers 404, one with wider rights 403.
 */
@inject()
export default class UserScopesController {
  constructor(protected userScopes: UserScopes) {}

  async update(ctx: HttpContext) {
    const { scopes } = await ctx.request.validateUsing(userScopesValidator, {
      messagesProvider: outletMessages(ctx.i18n),
    })
    const query = User.forTenant(ctx.tenant).where('id', ctx.params.id)
    if (ctx.auth.user!.branchId !== null) query.where('branch_id', ctx.auth.user!.branchId)
    const member = await query.firstOrFail()
    await ctx.bouncer.with(PlatformPolicy).authorize('manageUser', member)
    await this.userScopes.set(ctx.tenant, member, scopes ?? [], actorOf(ctx))
    ctx.session.flash('success', ctx.i18n.t('outlets.scopes.saved', { name: member.fullName }))
    return ctx.response.redirect().toRoute('admin.users.edit', { id: member.id })
  }
}
