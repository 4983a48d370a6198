import { errors } from '@adonisjs/lucid'
import type Tenant from '#models/tenant'
import Service from '#models/service'
import Booking from '#models/booking'
import Resource from '#models/resource'
import branchDirectory, { type BranchEntry } from '#services/platform/branch_directory'

/*
| Records an API request names, looked up within the API key's tenant: another tenant's record
| (or one that does not exist) answers 404, never 403 and never its data.
*/

/** The tenant's branch with its open services (cached: see BranchDirectory). */
export async function findBranch(tenant: Tenant, id: number) {
  const entry = await branchDirectory.byId(id)
  if (!entry || entry.tenant.id !== tenant.id) throw new errors.E_ROW_NOT_FOUND()
  return entry
}

/**
 * A service of the branch: an open one from the cache, else one that is closed (the queue engine
 * refuses it with 409). A service of another branch answers 404.
 */
export async function findBranchService(entry: BranchEntry, id: number) {
  const open = entry.services.find((service) => service.id === id)
  return open ?? Service.query().where('branch_id', entry.branch.id).where('id', id).firstOrFail()
}

/** A booking (a booth session) of the tenant, with its service and resource. */
export function findBooking(tenant: Tenant, id: string) {
  return Booking.forTenant(tenant.id)
    .where('id', id)
    .preload('service')
    .preload('resource')
    .firstOrFail()
}

/** A bookable resource of the branch; another branch's or tenant's answers 404. */
export function findBranchResource(entry: BranchEntry, id: number) {
  return Resource.forTenant(entry.tenant.id)
    .where('branch_id', entry.branch.id)
    .where('id', id)
    .firstOrFail()
}
