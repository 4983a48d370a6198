/** A support ticket's life: `open -> pending -> resolved -> closed`; a customer's message reopens a resolved one. */
export const CONVERSATION_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number]

/**
 * Which team's work a conversation is: `support` (a support ticket), `lead` (a prospect, for sales),
 * `renewal` (an outlet being reminded of its renewal, for the renewal team) — all three carry a
 * ticket with its SLA — or `queue`, a visitor taking a number by WhatsApp (no ticket).
 */
export const CONVERSATION_KINDS = ['support', 'lead', 'renewal', 'queue'] as const
export type ConversationKind = (typeof CONVERSATION_KINDS)[number]

/** The kinds that carry a ticket (status, SLA, assignee, CSAT). */
export const TICKET_KINDS = ['support', 'lead', 'renewal'] as const
export type TicketKind = (typeof TICKET_KINDS)[number]

export function isTicketKind(kind: ConversationKind): kind is TicketKind {
  return kind !== 'queue'
}

/** `in`: the customer's; `out`: ours, through the outbox; `note`: staff only, never sent. */
export const MESSAGE_DIRECTIONS = ['in', 'out', 'note'] as const
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number]

/** What a WhatsApp message holds (Meta's `type`), as kept. */
export const MESSAGE_KINDS = [
  'text',
  'image',
  'document',
  'audio',
  'video',
  'sticker',
  'location',
  'button',
  'interactive',
  'template',
  'unsupported',
] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]

/** Kinds whose media is downloaded from the Graph API. */
export const MEDIA_KINDS: readonly MessageKind[] = [
  'image',
  'document',
  'audio',
  'video',
  'sticker',
]

/** How a ticket ended, as the agent records it on resolving. */
export const OUTCOMES = [
  'answered',
  'fixed',
  'escalated',
  'no_response',
  'duplicate',
  'spam',
] as const
export type Outcome = (typeof OUTCOMES)[number]

/*
| Outlets and who speaks for them (OutletDirectory).
*/

/** An outlet's subscription: `active`, `inactive` (paused or closed for now), `churned` (left: a win-back target). */
export const OUTLET_STATUSES = ['active', 'inactive', 'churned'] as const
export type OutletStatus = (typeof OUTLET_STATUSES)[number]

/** How a contact came to speak for an outlet: `phone` (matched by the number) or `agent` (picked by staff). */
export const CONTACT_OUTLET_SOURCES = ['phone', 'agent'] as const
export type ContactOutletSource = (typeof CONTACT_OUTLET_SOURCES)[number]
