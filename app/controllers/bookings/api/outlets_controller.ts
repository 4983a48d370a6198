import type { HttpContext } from '@adonisjs/core/http'
import Branch from '#models/branch'
import Resource from '#models/resource'
import { outletResource } from '#services/platform/api_resources'

/** `GET /api/v1/outlets`: the business's branches, each with its bookable resources. */
export default class OutletsController {
  async index({ tenant }: HttpContext) {
    const branches = await Branch.forTenant(tenant.id).orderBy('id')
    const resources = await Resource.forTenant(tenant.id)
      .preload('services')
      .orderBy('position')
      .orderBy('id')
    return {
      outlets: branches.map((branch) =>
        outletResource(
          branch,
          resources.filter((resource) => resource.branchId === branch.id)
        )
      ),
    }
  }
}
