import app from '@adonisjs/core/services/app'
import type Conversation from '#models/conversation'
import type Renewal from '#models/renewal'
import RenewalService from '#services/renewals/renewal_service'
import type { RoutedMessage, Routing } from '#services/inbox/inbox_router'

/*
| The inbox's renewal rule (seed 004 Renewal Flow, "a reply moves the renewal to the renewal
| team's inbox"): a customer's first message of a conversation, from a contact who speaks for an
| outlet (linked, or with the outlet's phone) whose renewal is being reminded (or churned with
| its winback still running), becomes a `renewal` ticket; once the conversation is saved, the
| reply is a `replied` try on that renewal. Both run inside the webhook item's transaction.
*/

async function service() {
  return app.container.make(RenewalService)
}

/** The routing of a renewal conversation, or null when the contact has no renewal going on. */
export async function renewalRouting(message: RoutedMessage): Promise<Routing | null> {
  const renewal = await (await service()).activeFor(message.trx, message.tenant.id, message.contact)
  if (!renewal) return null
  const why = renewal.status === 'churned' ? 'renewal_winback' : 'renewal_reminding'
  return { kind: 'renewal', reason: `${why}:${renewal.fid}/${renewal.oid}`.slice(0, 120) }
}

/** After a renewal conversation opened: the merchant's reply on their renewal. */
export async function renewalReplied(
  message: RoutedMessage,
  conversation: Conversation
): Promise<Renewal | null> {
  const renewals = await service()
  const renewal = await renewals.activeFor(message.trx, message.tenant.id, message.contact)
  if (!renewal) return null
  await renewals.recordReply(message.trx, renewal, {
    conversationId: conversation.id,
    text: message.text,
    at: message.at,
  })
  return renewal
}
