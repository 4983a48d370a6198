import type { HttpContext } from '@adonisjs/core/http'
import { CURRENT_BRANCH_KEY } from '#middleware/staff_middleware'
import { switchBranchValidator } from '#validators/platform'

/** Where staff land after logging in, and the branch switcher in the header. */
export default class StaffController {
  async home({ auth, response }: HttpContext) {
    const user = auth.user!
    if (user.isSuperAdmin) return response.redirect().toRoute('platform.tenants.index')
    if (user.isAdmin) return response.redirect().toRoute('admin.dashboard')
    return response.redirect().toRoute('counter.show')
  }

  async switchBranch({ request, branches, session, response }: HttpContext) {
    const { branch_id: branchId } = await request.validateUsing(switchBranchValidator)
    if (!branches.some((branch) => branch.id === branchId)) return response.notFound()
    session.put(CURRENT_BRANCH_KEY, branchId)
    return response.redirect().back()
  }
}
