import vine from '@vinejs/vine'
import { PRESENCES } from '#enums/counter'
import { PRIORITIES } from '#enums/ticket'

/** A visitor takes a number: which service, an optional phone for updates, and an id that makes a double tap harmless. */
export const takeTicketValidator = vine.compile(
  vine.object({
    service_id: vine.number().positive().withoutDecimals(),
    phone: vine.string().trim().maxLength(30).optional(),
    request_id: vine.string().trim().uuid().optional(),
  })
)

/**
 * What a live screen's poll says it holds: `?v=<version>` and, on a ticket page, `&b=<branch id>`.
 * Read by hand because thousands of screens ask every second; anything malformed reads as
 * "holds nothing", which is answered with a fresh fragment rather than an error.
 */
export function readPoll(query: Record<string, unknown>) {
  const version = Number(query.v)
  const branchId = Number(query.b)
  return {
    version: Number.isSafeInteger(version) ? version : null,
    branchId: Number.isSafeInteger(branchId) && branchId > 0 ? branchId : null,
  }
}

/** An operator picks their counter and the services it serves. */
export const selectCounterValidator = vine.compile(
  vine.object({
    counter_id: vine.number().positive().withoutDecimals(),
    service_ids: vine.array(vine.number().positive().withoutDecimals()).minLength(1).distinct(),
  })
)

/** Staff actions carry an id so that a repeated click changes nothing. */
export const staffActionValidator = vine.compile(
  vine.object({
    request_id: vine.string().trim().maxLength(64).optional(),
  })
)

export const cancelTicketValidator = vine.compile(
  vine.object({
    reason: vine.string().trim().minLength(2).maxLength(200),
    request_id: vine.string().trim().maxLength(64).optional(),
  })
)

export const presenceValidator = vine.compile(
  vine.object({
    presence: vine.enum(PRESENCES),
  })
)

/** Where a called or served ticket goes: another service, a counter, or both. */
export const transferValidator = vine.compile(
  vine.object({
    service_id: vine.number().positive().withoutDecimals().optional(),
    counter_id: vine.number().positive().withoutDecimals().optional(),
    note: vine.string().trim().maxLength(200).optional(),
    request_id: vine.string().trim().maxLength(64).optional(),
  })
)

/** Staff's note and comma-separated tags on a visit. */
export const annotateValidator = vine.compile(
  vine.object({
    note: vine.string().trim().maxLength(255).optional(),
    tags: vine.string().trim().maxLength(200).optional(),
    request_id: vine.string().trim().maxLength(64).optional(),
  })
)

/** The front desk issues a ticket for a walk-in. */
export const deskTicketValidator = vine.compile(
  vine.object({
    service_id: vine.number().positive().withoutDecimals(),
    priority: vine.enum(PRIORITIES),
    name: vine.string().trim().maxLength(120).optional(),
    phone: vine.string().trim().maxLength(30).optional(),
    note: vine.string().trim().maxLength(255).optional(),
    request_id: vine.string().trim().maxLength(64).optional(),
  })
)
