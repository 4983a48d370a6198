export const TICKET_STATUSES = [
  'waiting',
  'called',
  'serving',
  'held',
  'done',
  'no_show',
  'cancelled',
] as const
export type TicketStatus = (typeof TICKET_STATUSES)[number]

/** Statuses in which a ticket still needs someone's attention today. */
export const OPEN_STATUSES: readonly TicketStatus[] = ['waiting', 'called', 'serving', 'held']

/** Statuses of a ticket that is at a counter now. */
export const AT_COUNTER_STATUSES: readonly TicketStatus[] = ['called', 'serving']

const TICKET_CHANNELS = ['web', 'kiosk', 'staff', 'api', 'booking', 'whatsapp'] as const
export type TicketChannel = (typeof TICKET_CHANNELS)[number]

/** Priority classes, from the ordinary visitor to the emergency that goes first. */
export const PRIORITIES = ['regular', 'appointment', 'priority', 'vip', 'emergency'] as const
export type Priority = (typeof PRIORITIES)[number]

export const TICKET_EVENT_TYPES = [
  'created',
  'called',
  'recalled',
  'started',
  'completed',
  'held',
  'unheld',
  'skipped',
  'no_show',
  'requeued',
  'transferred',
  'cancelled',
  'closed',
  'noted',
] as const
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number]

/**
 * Reasons Loket writes itself when it closes or cancels tickets (shown translated, `ui.reasons.*`):
 * the daily and manual resets, and a visitor's BATAL on WhatsApp.
 */
export const SYSTEM_CANCEL_REASONS = ['daily_reset', 'manual_reset', 'whatsapp_cancel'] as const

/** What happens to a called visitor who does not come within the service's grace period. */
export const NO_SHOW_ACTIONS = ['no_show', 'requeue'] as const
export type NoShowAction = (typeof NO_SHOW_ACTIONS)[number]
