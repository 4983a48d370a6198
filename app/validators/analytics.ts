import vine from '@vinejs/vine'
import { isoDate } from '#validators/fields'
import { BREAKDOWNS, INTERVALS } from '#services/analytics/queue_analytics'

/** The analytics area's filters (every one optional: the page fills in the defaults). */
export const analyticsValidator = vine.compile(
  vine.object({
    from: isoDate().optional(),
    to: isoDate().optional(),
    branch_id: vine.number().withoutDecimals().min(1).optional(),
    by: vine.enum(BREAKDOWNS).optional(),
    interval: vine.enum(INTERVALS).optional(),
  })
)
