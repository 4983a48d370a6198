import { randomUUID } from 'node:crypto'
import type { DateTime } from 'luxon'
import { toSqlDateTime } from '#models/columns'
import { insertOutboxRow, type OutboxBatch } from '#services/outbox'
import type { MessagingProfile } from '#services/messaging_directory'
import type { SqlRunner } from '#services/sql'
import type { WebhookEvent } from '#enums/messaging'

/**
 * The body every webhook delivery carries. `id` is the event's id, the same for every endpoint
 * and every retry: receivers use it to ignore repeats.
 */
export interface WebhookBody {
  id: string
  type: WebhookEvent
  created_at: string
  data: Record<string, unknown>
}

/**
 * Outgoing webhooks: the tenant's endpoints that subscribe to `event` each get a delivery row,
 * written in the caller's transaction and sent by a worker (app/jobs/deliver_webhook_job.ts).
 * Returns the event's id, or null when no endpoint listens.
 */
export async function enqueueWebhook(
  sql: SqlRunner,
  outbox: OutboxBatch,
  profile: MessagingProfile,
  event: WebhookEvent,
  data: Record<string, unknown>,
  now: DateTime
) {
  const endpointIds = profile.endpointsByEvent.get(event)
  if (!endpointIds?.length) return null
  const body: WebhookBody = { id: randomUUID(), type: event, created_at: now.toUTC().toISO()!, data }
  const payload = JSON.stringify(body)
  const at = toSqlDateTime(now)
  for (const endpointId of endpointIds) {
    await insertOutboxRow(sql, outbox, 'webhook_deliveries', {
      tenant_id: profile.tenantId,
      endpoint_id: endpointId,
      event,
      event_id: body.id,
      payload,
      status: 'queued',
      attempts: 0,
      next_attempt_at: at,
      created_at: at,
      updated_at: at,
    })
  }
  return body.id
}
