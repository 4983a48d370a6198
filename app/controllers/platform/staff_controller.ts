import type { HttpContext } from '@adonisjs/core/http'
import { CURRENT_BRANCH_KEY } from '#middleware/staff_middleware'
import { switchBranchValidator } from '#validators/platform'
import FirstRunSetup from '#services/queue/first_run_setup'
import StaffHome from '#services/platform/staff_home'
import { inject } from '@adonisjs/core'

/** Where staff land after logging in, and the branch switcher in the header. */
@inject()
export default class StaffController {
  constructor(
    protected firstRunSetup: FirstRunSetup,
    protected staffHome: StaffHome
  ) {}

  /**
   * Admins of a business without any service yet start on its first-run setup; everyone else on
   * the work of their role and business (StaffHome.landing).
   */
  async home({ auth, branch, response }: HttpContext) {
    const user = auth.user!
    if (user.isSuperAdmin) return response.redirect().toRoute('platform.tenants.index')
    if (user.isAdmin && (await this.firstRunSetup.needed(user.tenantId!))) {
      return response.redirect().toRoute('admin.setup.edit')
    }
    return response.redirect().toRoute(await this.staffHome.landing(user, branch))
  }

  async switchBranch({ request, branches, session, response }: HttpContext) {
    const { branch_id: branchId } = await request.validateUsing(switchBranchValidator)
    if (!branches.some((branch) => branch.id === branchId)) return response.notFound()
    session.put(CURRENT_BRANCH_KEY, branchId)
    return response.redirect().back()
  }
}
