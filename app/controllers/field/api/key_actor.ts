import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'

/**
 * Who a request of the field API acts as, in the audit log and a job's history: the member of
 * staff who created its key, while they are still active in its tenant (the booking settings API
 * answers to its key's owner the same way); nobody for a key made from the command line or by
 * someone who has left.
 */
export async function keyActor({ apiKey, request }: HttpContext) {
  const creator = apiKey.createdBy
    ? await User.forTenant(apiKey.tenantId)
        .where('id', apiKey.createdBy)
        .where('is_active', true)
        .first()
    : null
  return { user: creator, ip: request.ip() }
}
