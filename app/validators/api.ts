import vine from '@vinejs/vine'
import { PRIORITIES } from '#enums/ticket'
import { API_TICKET_ACTIONS, COUNTER_ACTIONS } from '#services/queue/ticket_commands'

const id = () => vine.number().positive().withoutDecimals()

/** `POST /api/v1/tickets`: a number taken on a visitor's behalf. */
export const createTicketValidator = vine.compile(
  vine.object({
    branch_id: id(),
    service_id: id(),
    priority: vine.enum(PRIORITIES).optional(),
    phone: vine.string().trim().maxLength(30).optional(),
    name: vine.string().trim().maxLength(120).optional(),
    note: vine.string().trim().maxLength(255).optional(),
  })
)

/**
 * `POST /api/v1/tickets/:id/actions`. Counter actions name the counter; a transfer names a
 * service or a counter (or both); a cancel gives a reason.
 */
export const ticketActionValidator = vine.compile(
  vine.object({
    action: vine.enum(API_TICKET_ACTIONS),
    counter_id: id().optional().requiredWhen('action', 'in', [...COUNTER_ACTIONS]),
    to_service_id: id().optional(),
    to_counter_id: id()
      .optional()
      .requiredWhen((field) => field.parent.action === 'transfer' && field.parent.to_service_id === undefined),
    reason: vine.string().trim().minLength(2).maxLength(200).optional().requiredWhen('action', '=', 'cancel'),
  })
)

/** `GET /api/v1/queues?branch_id=&service_id=`. */
export const queuesValidator = vine.compile(
  vine.object({
    branch_id: id(),
    service_id: id().optional(),
  })
)

/** An admin names a new API key after what will use it. */
export const apiKeyValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(80),
  })
)
