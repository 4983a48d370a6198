import type { DateTime } from 'luxon'
import type User from '#models/user'
import type { MessagingProfile } from '#services/messaging/messaging_directory'
import type { OutboxBatch } from '#services/messaging/outbox'
import { enqueueNotification } from '#services/messaging/notifications'
import type { SqlRunner } from '#support/sql'
import type { ChannelKind, MessageEvent } from '#enums/messaging'

/** What an alert to staff says: its event, its variables (each person's name is added), what it is about. */
export interface StaffAlert {
  event: MessageEvent
  branchId?: number | null
  variables: Record<string, string>
  subject: { type: string; id: number | string }
}

/**
 * Tells members of staff something that needs them (a low rating, a breached SLA): on their phone
 * through the tenant's visitor channel when they have one, and by email when email is set up, each
 * in their own language, through the outbox (in the caller's transaction).
 */
export async function alertStaff(
  sql: SqlRunner,
  outbox: OutboxBatch,
  profile: MessagingProfile,
  people: User[],
  alert: StaffAlert,
  now: DateTime
) {
  for (const person of people) {
    const recipients: [ChannelKind, string][] = []
    if (profile.settings.visitorChannel && person.phone)
      recipients.push([profile.settings.visitorChannel, person.phone])
    if (profile.activeChannels.has('email')) recipients.push(['email', person.email])
    for (const [channel, recipient] of recipients)
      await enqueueNotification(
        sql,
        outbox,
        profile,
        {
          branchId: alert.branchId ?? null,
          event: alert.event,
          channel,
          recipient,
          locale: person.locale ?? profile.tenantLocale,
          variables: { ...alert.variables, staff_name: person.fullName },
          subject: alert.subject,
        },
        now
      )
  }
}
