import type { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Conversation from '#models/conversation'
import type Tenant from '#models/tenant'
import type { OutboxBatch } from '#services/messaging/outbox'
import type { MessagingProfile } from '#services/messaging/messaging_directory'
import type { TicketKind } from '#enums/inbox'

/** A customer's message as the router sees it, inside the webhook item's transaction. */
export interface RoutedMessage {
  trx: TransactionClientContract
  outbox: OutboxBatch
  profile: MessagingProfile
  tenant: Tenant
  contact: { id: number; phone: string }
  /** The text (or caption, or button title) of the message; null for media without one. */
  text: string | null
  at: DateTime
  afterCommit: (task: () => Promise<void>) => void
}

/** Which team's ticket a new conversation becomes, and why (shown on the thread, where it can be corrected). */
export interface Routing {
  kind: TicketKind
  reason: string | null
}

/**
 * Routes a customer's first message of a conversation to the team whose work it is (seed 004): an
 * outlet being reminded of its renewal goes to the renewal team, an unknown number that reads as a
 * prospect to sales (a lead), everything else to support.
 */
export async function routeNew(_message: RoutedMessage): Promise<Routing> {
  return { kind: 'support', reason: null }
}

/** Once the new conversation of `routing` is saved with its first message (a lead's record, a renewal's link). */
export async function afterOpened(
  _message: RoutedMessage,
  _conversation: Conversation,
  _routing: Routing
): Promise<void> {}

/** Every later message of a conversation (a lead answering the prompt for name, business, interest). */
export async function afterMessage(
  _message: RoutedMessage,
  _conversation: Conversation
): Promise<void> {}
