import type { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
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
  /** The message was a command another feature answered (a self-registration, STOP, START): not a lead. */
  command: boolean
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
export async function routeNew(message: RoutedMessage): Promise<Routing> {
  // Renewals: an outlet being reminded of its renewal (or in winback) goes to the renewal team.
  const renewal = await (await renewals()).renewalRouting(message)
  if (renewal) return renewal
  // Leads: an unknown number's first message, read by the tenant's keywords (LeadService.route).
  const lead = await (await leads()).route(message)
  if (lead) return lead
  return { kind: 'support', reason: null }
}

/** Once the new conversation of `routing` is saved with its first message (a lead's record, a renewal's link). */
export async function afterOpened(
  message: RoutedMessage,
  conversation: Conversation,
  routing: Routing
): Promise<void> {
  await (await leads()).opened(message, conversation)
  if (routing.kind === 'renewal') await (await renewals()).renewalReplied(message, conversation)
}

/** Every later message of a conversation (a lead answering the prompt for name, business, interest). */
export async function afterMessage(
  message: RoutedMessage,
  conversation: Conversation
): Promise<void> {
  await (await leads()).answered(message, conversation)
}

/** The leads service, imported when first needed (it uses the inbox's intake, which uses this file). */
async function leads() {
  const { default: LeadService } = await import('#services/leads/lead_service')
  return app.container.make(LeadService)
}

/** The renewals' inbox rule, imported when first needed (like the leads service). */
function renewals() {
  return import('#services/renewals/renewal_inbox')
}
