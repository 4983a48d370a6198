import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import DomainError from '#exceptions/domain_error'
import StaffAccounts from '#services/platform/staff_accounts'
import StaffSessions from '#services/platform/staff_sessions'
import PlatformPolicy from '#policies/platform_policy'
import { createUserValidator, updateUserValidator } from '#validators/platform'
import { actorOf } from '#controllers/scope'
import { SCOPABLE_ROLES, TENANT_ROLES } from '#enums/role'
import UserScopes, { formatScopes } from '#services/inbox/user_scopes'
import { inject } from '@adonisjs/core'

/**
 * Admin: the tenant's staff accounts (owners, admins, operators). An admin limited to one branch
 * sees and manages only that branch's staff; nobody manages a user with wider rights (PlatformPolicy).
 */
@inject()
export default class UsersController {
  constructor(
    protected staffAccounts: StaffAccounts,
    protected staffSessions: StaffSessions,
    protected userScopes: UserScopes
  ) {}

  async index(ctx: HttpContext) {
    const users = await this.visibleUsers(ctx)
      .preload('branch')
      .orderBy('role')
      .orderBy('full_name')
    return ctx.view.render('pages/platform/admin/users/index', { section: 'users', users })
  }

  async create({ view }: HttpContext) {
    return view.render('pages/platform/admin/users/form', {
      section: 'users',
      member: null,
      roles: TENANT_ROLES,
    })
  }

  async store(ctx: HttpContext) {
    const { request, bouncer, tenant } = ctx
    const data = await request.validateUsing(createUserValidator)
    const branchId = this.branchIdFor(ctx, data.branch_id)
    await bouncer.with(PlatformPolicy).authorize('assignRole', data.role, branchId)
    await this.staffAccounts.add(tenant, { ...data, branchId }, actorOf(ctx))
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.users.index')
  }

  async edit(ctx: HttpContext) {
    const member = await this.findMember(ctx)
    return ctx.view.render('pages/platform/admin/users/form', {
      section: 'users',
      member,
      roles: TENANT_ROLES,
      // The inbox's franchise/outlet scopes card, for the roles it limits.
      scopable: SCOPABLE_ROLES.includes(member.role),
      scopes: formatScopes(await this.userScopes.list(ctx.tenant.id, member.id)),
    })
  }

  async update(ctx: HttpContext) {
    const member = await this.findMember(ctx)
    const data = await ctx.request.validateUsing(updateUserValidator, { meta: { id: member.id } })
    const branchId = this.branchIdFor(ctx, data.branch_id)
    await ctx.bouncer.with(PlatformPolicy).authorize('assignRole', data.role, branchId)
    await this.staffAccounts.change(
      member,
      { ...data, branchId },
      actorOf(ctx),
      this.staffSessions.idOf(ctx.auth.user!)
    )
    ctx.session.flash('success', ctx.i18n.t('ui.flash.saved'))
    return ctx.response.redirect().toRoute('admin.users.index')
  }

  /** Logs a staff member out of every device (a lost phone, a shared computer). */
  async endSessions(ctx: HttpContext) {
    const member = await this.findMember(ctx)
    await this.staffSessions.endEverywhere(member, actorOf(ctx))
    ctx.session.flash('success', ctx.i18n.t('ui.users.sessions_ended', { name: member.fullName }))
    return ctx.response.redirect().toRoute('admin.users.edit', { id: member.id })
  }

  /** The staff the current user can see: everyone in the tenant, or their own branch's when they are limited to one. */
  private visibleUsers(ctx: HttpContext) {
    const query = User.forTenant(ctx.tenant.id)
    const { branchId } = ctx.auth.user!
    if (branchId !== null) query.where('branch_id', branchId)
    return query
  }

  /** A staff member the current user can see (404 otherwise) and may manage (403 otherwise). */
  private async findMember(ctx: HttpContext) {
    const member = await this.visibleUsers(ctx).where('id', ctx.params.id).firstOrFail()
    await ctx.bouncer.with(PlatformPolicy).authorize('manageUser', member)
    return member
  }

  /** The branch a user is limited to: one of the tenant's branches, or none (all branches). */
  private branchIdFor(ctx: HttpContext, branchId: number | null | undefined) {
    if (branchId === undefined || branchId === null) return ctx.auth.user!.branchId
    if (!ctx.branches.some((branch) => branch.id === branchId))
      throw new DomainError('unknown_branch', {}, 422)
    return branchId
  }
}
