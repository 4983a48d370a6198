import type { HttpContext } from '@adonisjs/core/http'
import { queueResources } from '#services/platform/api_resources'
import { queuesValidator } from '#validators/queue'
import { findBranch, findBranchService } from '#controllers/api_scope'

/** `GET /api/v1/queues`: today's queues of a branch, or of one of its services. */
export default class QueuesController {
  async index({ request, tenant, i18n }: HttpContext) {
    const query = await request.validateUsing(queuesValidator)
    const entry = await findBranch(tenant, query.branch_id)
    const services = query.service_id
      ? [await findBranchService(entry, query.service_id)]
      : entry.services
    return {
      branch_id: entry.branch.id,
      service_date: entry.branch.today(),
      queues: await queueResources(entry.branch, services, tenant.queue, i18n.locale),
    }
  }
}
