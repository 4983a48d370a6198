import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import Tenant from '#models/tenant'
import Branch from '#models/branch'
import type User from '#models/user'
import { useLocale } from '#middleware/locale_middleware'
import app from '@adonisjs/core/services/app'
import StaffHome, { type NavItem } from '#services/platform/staff_home'

export const CURRENT_BRANCH_KEY = 'branchId'

/**
 * Puts the logged-in staff member's tenant and current branch on the context: every query a
 * staff page makes is scoped by them. Users limited to a branch only ever get that branch;
 * others pick among their tenant's branches (kept in the session).
 */
export default class StaffMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const user = ctx.auth.getUserOrFail()
    if (user.tenantId === null) {
      return ctx.response.redirect().toRoute('platform.tenants.index')
    }

    const tenant = await Tenant.findOrFail(user.tenantId)
    // The business requires a second factor and this member has none yet: they set it up first.
    if (tenant.requireTwoFactor && !user.twoFactorEnabledAt)
      return ctx.response.redirect().toRoute('account.two_factor', {}, { qs: { required: 1 } })
    const branches = await this.branchesOf(user)
    const wanted = Number(ctx.session.get(CURRENT_BRANCH_KEY))
    const branch = branches.find((candidate) => candidate.id === wanted) ?? branches[0]
    if (!branch) {
      return ctx.response.status(403).send('This account has no branch to work in.')
    }

    ctx.tenant = tenant
    ctx.branch = branch
    ctx.branches = branches
    useLocale(ctx, user.locale ?? ctx.i18n.locale)
    ctx.view.share({ tenant, branch, branches, staffNav: navOf(user, branch) })
    return next()
  }

  private branchesOf(user: User) {
    const query = Branch.forTenant(user.tenantId!).orderBy('id')
    if (user.branchId !== null) query.where('id', user.branchId)
    return query
  }
}

/**
 * The staff menu's entries (StaffHome.nav), asked for only when a page draws the menu and once per
 * request: the polls that share this middleware render fragments without it and cost nothing more.
 */
function navOf(user: User, branch: Branch) {
  let items: Promise<Set<NavItem>> | undefined
  return () => (items ??= app.container.make(StaffHome).then((home) => home.nav(user, branch)))
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    tenant: Tenant
    branch: Branch
    branches: Branch[]
  }
}
