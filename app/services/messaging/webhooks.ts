import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import type { DateTime } from 'luxon'
import WebhookEndpoint from '#models/webhook_endpoint'
import { toSqlDateTime } from '#models/columns'
import clock from '#support/clock'
import metrics from '#support/metrics'
import Outbox, {
  DeliveryError,
  deferOutboxRow,
  type ClaimedRow,
  type OutboxBatch,
} from '#services/messaging/outbox'
import { strictWebhookUrls, webhookUrlProblem } from '#services/messaging/webhook_url'
import type { MessagingProfile } from '#services/messaging/messaging_directory'
import { jsonSet, type SqlFragment, type SqlRunner } from '#support/sql'
import type { WebhookEvent } from '#enums/messaging'
import { inject } from '@adonisjs/core'

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

/** Every endpoint secret starts with this, so that a leaked one is easy to recognise. */
export const SECRET_PREFIX = 'whsec_'

/** How long an endpoint has to answer (connecting, sending and the response headers). */
const DELIVERY_TIMEOUT_MS = 10_000

/** How much of an endpoint's answer the delivery log keeps. */
const EXCERPT_CHARS = 500

export const USER_AGENT = 'Loket-Webhooks/1'

/** A new endpoint secret: `whsec_` and 32 random bytes, base64url. */
export function newWebhookSecret() {
  return SECRET_PREFIX + randomBytes(32).toString('base64url')
}

/**
 * The `Loket-Signature` header of `payload` sent at `timestamp` (unix seconds):
 * `t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<payload>", keyed with the whole secret>`.
 */
export function signatureHeader(secret: string, payload: string, timestamp: number) {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex')
  return `t=${timestamp},v1=${signature}`
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
  now: DateTime,
  filled?: Record<string, SqlFragment>
) {
  const endpointIds = profile.endpointsByEvent.get(event)
  if (!endpointIds?.length) return null
  return writeDeliveries(sql, outbox, profile.tenantId, endpointIds, event, data, now, filled)
}

/**
 * One event for `endpointIds`: a delivery row each, all with the same body (and event id).
 * `filled` names fields of the body (a JSON path such as `$.data.ticket.number`) whose values only
 * the database knows yet (MySQL's one-round-trip take), as SQL: `jsonSet` writes them into the
 * stored payload, which is what the endpoint receives and the signature covers.
 */
export async function writeDeliveries(
  sql: SqlRunner,
  outbox: OutboxBatch,
  tenantId: number,
  endpointIds: number[],
  event: WebhookEvent,
  data: Record<string, unknown>,
  now: DateTime,
  filled?: Record<string, SqlFragment>
) {
  const body: WebhookBody = {
    id: randomUUID(),
    type: event,
    created_at: now.toUTC().toISO()!,
    data,
  }
  const payload = jsonSet(JSON.stringify(body), filled)
  const at = toSqlDateTime(now)
  for (const endpointId of endpointIds) {
    await deferOutboxRow(sql, outbox, 'webhook_deliveries', {
      tenant_id: tenantId,
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

/** What one POST to an endpoint came to. */
interface Attempt {
  ok: boolean
  status: number | null
  excerpt: string | null
  durationMs: number
  error: Error | null
}

@inject()
export default class Webhooks {
  constructor(protected outbox: Outbox) {}

  /**
   * One delivery attempt of webhook delivery `id` (the deliver-webhook job): the stored payload,
   * byte for byte, signed at send time. A 2xx answer delivers it; anything else is a failed
   * attempt, and this throws while attempts are left so that the job queue retries it with
   * backoff. A delivery whose endpoint was deactivated or deleted is suppressed, not sent.
   */
  async deliver(id: number) {
    const row = await this.outbox.claim('webhook_deliveries', id)
    if (!row) return
    const endpoint = await WebhookEndpoint.forTenant(row.tenant_id)
      .where('id', row.endpoint_id)
      .first()
    if (!endpoint)
      return this.outbox.suppress('webhook_deliveries', row, 'The endpoint was deleted')
    if (!endpoint.isActive)
      return this.outbox.suppress('webhook_deliveries', row, 'The endpoint is deactivated')

    const attempt = await this.#post(endpoint, row)
    const fields = {
      response_status: attempt.status,
      response_excerpt: attempt.excerpt,
      duration_ms: attempt.durationMs,
    }
    const labels = { kind: 'webhook', channel: 'webhook' }
    if (attempt.ok) {
      await this.outbox.succeed('webhook_deliveries', row, fields)
      metrics.deliveries.inc({ ...labels, outcome: 'sent' })
      metrics.deliveryLatency.observe(labels, secondsSince(row.created_at))
      return
    }
    const outcome = await this.outbox.fail('webhook_deliveries', row, attempt.error, fields)
    metrics.deliveries.inc({ ...labels, outcome })
    if (outcome === 'retry') throw attempt.error
  }

  /** POSTs the row's payload to the endpoint. Never throws: a failure is in the result. */
  async #post(endpoint: WebhookEndpoint, row: ClaimedRow): Promise<Attempt> {
    const payload = String(row.payload)
    if (strictWebhookUrls() && webhookUrlProblem(endpoint.url, { production: true })) {
      const error = new DeliveryError(
        'The endpoint URL is not allowed in production (https to a public host only)',
        false
      )
      return { ok: false, status: null, excerpt: null, durationMs: 0, error }
    }
    if (!endpoint.secret) {
      // The stored secret no longer decrypts (APP_KEY was changed): signing with nothing would be worse than not sending.
      const error = new DeliveryError(
        'The endpoint secret cannot be read (was APP_KEY changed?): rotate the secret',
        false
      )
      return { ok: false, status: null, excerpt: null, durationMs: 0, error }
    }
    const timestamp = Math.floor(clock.now().toMillis() / 1000)
    const started = performance.now()
    const elapsed = () => Math.round(performance.now() - started)
    let response: Response
    try {
      response = await fetch(endpoint.url, {
        method: 'POST',
        body: payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': USER_AGENT,
          'Loket-Event': row.event,
          'Loket-Delivery': String(row.id),
          'Loket-Event-Id': row.event_id,
          'Loket-Signature': signatureHeader(endpoint.secret, payload, timestamp),
        },
      })
    } catch (error) {
      return {
        ok: false,
        status: null,
        excerpt: null,
        durationMs: elapsed(),
        error: networkError(error),
      }
    }
    const durationMs = elapsed()
    const excerpt = await readExcerpt(response)
    const ok = response.status >= 200 && response.status < 300
    const redirect =
      response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : ''
    const error = ok
      ? null
      : new DeliveryError(`The endpoint answered HTTP ${response.status}${redirect}`)
    return { ok, status: response.status, excerpt, durationMs, error }
  }
}

/** The start of a response body, as text; whatever arrived when the body cannot be read to the end. */
async function readExcerpt(response: Response) {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  try {
    while (text.length < EXCERPT_CHARS) {
      const { done, value } = await reader.read()
      if (done) break
      text += decoder.decode(value, { stream: true })
    }
  } catch {
    // The answer's status is what counts; a body cut short (timeout, reset) keeps what came.
  } finally {
    await reader.cancel().catch(() => {})
  }
  return text.slice(0, EXCERPT_CHARS)
}

/** A failed fetch as the delivery log shows it: the timeout, or the network's own reason. */
function networkError(error: unknown) {
  const failure = error as Error & { cause?: { message?: string } }
  if (failure?.name === 'TimeoutError' || failure?.name === 'AbortError') {
    return new DeliveryError(`No answer within ${DELIVERY_TIMEOUT_MS / 1000} seconds`)
  }
  const reason = failure?.cause?.message ?? failure?.message ?? String(error)
  return new DeliveryError(`Could not reach the endpoint: ${reason}`)
}

/** Seconds since a row's `created_at`, as MySQL (a Date) or SQLite (UTC text) hands it back. */
function secondsSince(createdAt: unknown) {
  const created =
    createdAt instanceof Date
      ? createdAt.getTime()
      : Date.parse(`${String(createdAt).replace(' ', 'T')}Z`)
  return Math.max(0, (clock.now().toMillis() - created) / 1000)
}
