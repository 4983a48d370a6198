import WebhookEndpoint from '#models/webhook_endpoint'
import WebhookDelivery from '#models/webhook_delivery'
import type Tenant from '#models/tenant'
import { toSqlDateTime } from '#models/columns'
import AuditTrail, { type Actor } from '#services/platform/audit_trail'
import clock from '#support/clock'
import { withTransaction } from '#support/database'
import messagingDirectory from '#services/messaging/messaging_directory'
import { transactionWithOutbox } from '#services/messaging/outbox'
import { sqlOf } from '#support/sql'
import { newWebhookSecret, writeDeliveries } from '#services/messaging/webhooks'
import { WEBHOOK_EVENTS, type DeliveryStatus, type WebhookEvent } from '#enums/messaging'
import { inject } from '@adonisjs/core'

/** What an admin sets on an endpoint. */
export interface EndpointInput {
  url: string
  description?: string | null
  events: WebhookEvent[]
  isActive: boolean
}

/** Deliveries per page of an endpoint's log. */
const DELIVERIES_PER_PAGE = 25

/** Deliveries an admin can send again or give up on. */
const STUCK_STATUSES: DeliveryStatus[] = ['dead', 'failed']

/** The fields of an endpoint the audit log shows (never its secret). */
function auditedFields(endpoint: WebhookEndpoint) {
  return {
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    is_active: endpoint.isActive,
  }
}

/**
 * A tenant's outgoing webhook endpoints, as admins manage them: each change and its audit-log row
 * in one transaction. A secret is returned once, when it is made (creating, rotating); the audit
 * log never holds it.
 */
@inject()
export default class WebhookEndpoints {
  constructor(protected auditTrail: AuditTrail) {}

  /** The tenant's endpoints, newest first, with how many deliveries of each are stuck (dead or failed). */
  async list(tenantId: number) {
    const endpoints = await WebhookEndpoint.forTenant(tenantId).orderBy('id', 'desc')
    const counts = await WebhookDelivery.forTenant(tenantId)
      .whereIn('status', STUCK_STATUSES)
      .groupBy('endpoint_id', 'status')
      .select('endpoint_id', 'status')
      .count('* as total')
    const stuck = new Map<number, { dead: number; failed: number }>()
    for (const row of counts) {
      const entry = stuck.get(row.endpointId) ?? { dead: 0, failed: 0 }
      entry[row.status as 'dead' | 'failed'] = Number(row.$extras.total)
      stuck.set(row.endpointId, entry)
    }
    return endpoints.map((endpoint) => ({
      endpoint,
      stuck: stuck.get(endpoint.id) ?? { dead: 0, failed: 0 },
    }))
  }

  find(tenantId: number, id: number) {
    return WebhookEndpoint.forTenant(tenantId).where('id', id).firstOrFail()
  }

  findDelivery(endpoint: WebhookEndpoint, id: number) {
    return WebhookDelivery.forTenant(endpoint.tenantId)
      .where('endpoint_id', endpoint.id)
      .where('id', id)
      .firstOrFail()
  }

  /** An endpoint's delivery log, newest first, optionally of one status. */
  deliveries(endpoint: WebhookEndpoint, filters: { status?: DeliveryStatus; page?: number }) {
    const query = WebhookDelivery.forTenant(endpoint.tenantId)
      .where('endpoint_id', endpoint.id)
      .orderBy('id', 'desc')
    if (filters.status) query.where('status', filters.status)
    return query.paginate(filters.page ?? 1, DELIVERIES_PER_PAGE)
  }

  /** A new endpoint with a fresh secret. Returns the secret: it cannot be read in the admin pages later. */
  async create(tenant: Tenant, input: EndpointInput, actor: Actor) {
    const secret = newWebhookSecret()
    const endpoint = await withTransaction(async (trx) => {
      const created = await WebhookEndpoint.create(
        {
          tenantId: tenant.id,
          url: input.url,
          description: input.description ?? null,
          events: knownEvents(input.events),
          secret,
          isActive: input.isActive,
        },
        { client: trx }
      )
      await this.auditTrail.record(
        {
          action: 'webhook_endpoint.created',
          tenantId: tenant.id,
          subject: { type: 'webhook_endpoint', id: created.id },
          changes: auditedFields(created),
        },
        actor,
        trx
      )
      return created
    })
    messagingDirectory.forget(tenant.id)
    return { endpoint, secret }
  }

  /** Applies URL, description, events and on/off; records what really changed (nothing when nothing did). */
  async update(endpoint: WebhookEndpoint, input: EndpointInput, actor: Actor) {
    const before = auditedFields(endpoint)
    const after = {
      url: input.url,
      description: input.description ?? null,
      events: knownEvents(input.events),
      is_active: input.isActive,
    }
    const changes: Record<string, [unknown, unknown]> = {}
    for (const key of Object.keys(after) as (keyof typeof after)[]) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
        changes[key] = [before[key], after[key]]
    }
    if (Object.keys(changes).length === 0) return endpoint
    await withTransaction(async (trx) => {
      endpoint.useTransaction(trx)
      endpoint.merge({
        url: after.url,
        description: after.description,
        events: after.events,
        isActive: after.is_active,
      })
      await endpoint.save()
      await this.auditTrail.record(
        {
          action: 'webhook_endpoint.updated',
          tenantId: endpoint.tenantId,
          subject: { type: 'webhook_endpoint', id: endpoint.id },
          changes,
        },
        actor,
        trx
      )
    })
    messagingDirectory.forget(endpoint.tenantId)
    return endpoint
  }

  /**
   * A new secret for the endpoint; the old one stops at once: every delivery from now on, retries
   * of earlier events included, is signed with the new one. Returns it (shown once).
   */
  async rotateSecret(endpoint: WebhookEndpoint, actor: Actor) {
    const secret = newWebhookSecret()
    await withTransaction(async (trx) => {
      endpoint.useTransaction(trx)
      endpoint.secret = secret
      await endpoint.save()
      await this.auditTrail.record(
        {
          action: 'webhook_endpoint.secret_rotated',
          tenantId: endpoint.tenantId,
          subject: { type: 'webhook_endpoint', id: endpoint.id },
          changes: { url: endpoint.url },
        },
        actor,
        trx
      )
    })
    return secret
  }

  /** Deletes the endpoint and its delivery log; deliveries still waiting are never sent. */
  async remove(endpoint: WebhookEndpoint, actor: Actor) {
    await withTransaction(async (trx) => {
      const deliveries = await trx
        .from('webhook_deliveries')
        .where('endpoint_id', endpoint.id)
        .delete()
      await trx.from('webhook_endpoints').where('id', endpoint.id).delete()
      await this.auditTrail.record(
        {
          action: 'webhook_endpoint.deleted',
          tenantId: endpoint.tenantId,
          subject: { type: 'webhook_endpoint', id: endpoint.id },
          changes: { ...auditedFields(endpoint), deliveries: Number(deliveries) },
        },
        actor,
        trx
      )
    })
    messagingDirectory.forget(endpoint.tenantId)
  }

  /**
   * Sends the event `webhook.test` to this endpoint only, through the outbox like any other
   * event. Null (nothing sent) when the endpoint is switched off; else the event's id.
   */
  async sendTest(endpoint: WebhookEndpoint, actor: Actor) {
    if (!endpoint.isActive) return null
    const now = clock.now()
    const data = {
      message: 'A test event from Loket. Check the signature and answer with any 2xx status.',
      endpoint: { id: endpoint.id, url: endpoint.url, description: endpoint.description },
    }
    return transactionWithOutbox(async (trx, outbox) => {
      const eventId = await writeDeliveries(
        sqlOf(trx),
        outbox,
        endpoint.tenantId,
        [endpoint.id],
        'webhook.test',
        data,
        now
      )
      await this.auditTrail.record(
        {
          action: 'webhook_endpoint.test_sent',
          tenantId: endpoint.tenantId,
          subject: { type: 'webhook_endpoint', id: endpoint.id },
          changes: { event_id: eventId },
        },
        actor,
        trx
      )
      return eventId
    })
  }

  /** Sends a dead or failed delivery again, with a fresh set of attempts. False when it is not stuck. */
  async retryDelivery(delivery: WebhookDelivery, actor: Actor) {
    return this.#moveDelivery(delivery, 'queued', 'webhook_delivery.retried', actor)
  }

  /** Gives up on a dead or failed delivery: it stays in the log as dropped. False when it is not stuck. */
  async dropDelivery(delivery: WebhookDelivery, actor: Actor) {
    return this.#moveDelivery(delivery, 'dropped', 'webhook_delivery.dropped', actor)
  }

  async #moveDelivery(
    delivery: WebhookDelivery,
    to: 'queued' | 'dropped',
    action: string,
    actor: Actor
  ) {
    const now = toSqlDateTime(clock.now())
    return transactionWithOutbox(async (trx, outbox) => {
      const moved = await trx
        .from('webhook_deliveries')
        .where('id', delivery.id)
        .whereIn('status', STUCK_STATUSES)
        .update(
          to === 'queued'
            ? { status: 'queued', attempts: 0, next_attempt_at: now, updated_at: now }
            : { status: 'dropped', next_attempt_at: null, updated_at: now }
        )
      if (Number(moved) !== 1) return false
      await this.auditTrail.record(
        {
          action,
          tenantId: delivery.tenantId,
          subject: { type: 'webhook_delivery', id: delivery.id },
          changes: {
            endpoint_id: delivery.endpointId,
            event: delivery.event,
            event_id: delivery.eventId,
            status: [delivery.status, to],
          },
        },
        actor,
        trx
      )
      if (to === 'queued') outbox.add('webhook_deliveries', delivery.id)
      return true
    })
  }
}

/** The events in the order of WEBHOOK_EVENTS, whatever order the form sent them in. */
function knownEvents(events: WebhookEvent[]) {
  return WEBHOOK_EVENTS.filter((event) => events.includes(event))
}
