import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@adonisjs/lucid'
import Booking from '#models/booking'
import branchDirectory from '#services/platform/branch_directory'
import { findStaffRecord } from '#controllers/scope'

/**
 * A booking of the logged-in user's tenant they may work with: another tenant's (or none)
 * answers 404; one of a branch outside the user's scope answers 403. `manage` is for admins (override).
 */
export function findStaffBooking(ctx: HttpContext, ability: 'operate' | 'manage' = 'operate') {
  return findStaffRecord(ctx, Booking, ctx.params.id, {
    ability,
    extend: (query) => query.preload('service').preload('resource'),
  })
}

/** The current branch with its tenant, services and holidays (BranchDirectory). */
export async function currentEntry(ctx: HttpContext) {
  const entry = await branchDirectory.byId(ctx.branch.id)
  if (!entry) throw new errors.E_ROW_NOT_FOUND()
  return entry
}

/** The branch of a booking, with its tenant, services and holidays. */
export async function entryOfBooking(booking: Booking) {
  const entry = await branchDirectory.byId(booking.branchId)
  if (!entry) throw new errors.E_ROW_NOT_FOUND()
  return entry
}
