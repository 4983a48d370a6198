import type { DateTime } from 'luxon'
import Notification from '#models/notification'
import User from '#models/user'
import type { MessageEvent } from '#enums/messaging'
import { sqlOf } from '#support/sql'
import messagingDirectory from '#services/messaging/messaging_directory'
import { enqueueNotification } from '#services/messaging/notifications'
import { transactionWithOutbox } from '#services/messaging/outbox'

/**
 * A periodic email to a tenant's active owners (the inbox's and the queue's weekly summaries):
 * the owners not yet sent the one of `period` (a notification's dedupe key
 * `<prefix>:<tenant>:<period>:<owner>`), and how to send it to them through the outbox. Null when
 * nobody is due or the tenant has no email channel, so that the caller computes nothing.
 */
export async function ownerDigest(tenantId: number, prefix: string, period: string) {
  const owners = await User.forTenant(tenantId).where('role', 'owner').where('is_active', true)
  if (owners.length === 0) return null
  const profile = await messagingDirectory.get(tenantId)
  if (!profile.activeChannels.has('email')) return null
  const keyOf = (owner: User) => `${prefix}:${tenantId}:${period}:${owner.id}`
  const sent = new Set(
    (
      await Notification.forTenant(tenantId)
        .whereIn('dedupe_key', owners.map(keyOf))
        .select('dedupe_key')
    ).map((row) => row.dedupeKey)
  )
  const due = owners.filter((owner) => !sent.has(keyOf(owner)))
  if (due.length === 0) return null
  return {
    profile,
    /** Writes the email of each owner due, in their language; returns how many were written. */
    send(event: MessageEvent, variables: Record<string, string>, now: DateTime) {
      return transactionWithOutbox(async (trx, outbox) => {
        let count = 0
        for (const owner of due) {
          const id = await enqueueNotification(
            sqlOf(trx),
            outbox,
            profile,
            {
              event,
              channel: 'email',
              recipient: owner.email,
              locale: owner.locale ?? profile.tenantLocale,
              variables: { ...variables, staff_name: owner.fullName },
              subject: { type: 'user', id: owner.id },
              dedupeKey: keyOf(owner),
            },
            now
          )
          if (id !== null) count++
        }
        return count
      })
    },
  }
}
