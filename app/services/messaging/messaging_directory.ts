import type { BillingSettings } from '#models/settings/billing_settings'
import Tenant from '#models/tenant'
import MessageTemplate from '#models/message_template'
import MessagingChannel from '#models/messaging_channel'
import WebhookEndpoint from '#models/webhook_endpoint'
import { templateKey } from '#services/messaging/message_templates'
import type { MessagingSettings } from '#models/settings/messaging_settings'
import type { QueueSettings } from '#models/settings/queue_settings'
import type { ChannelKind, WebhookEvent } from '#enums/messaging'

export interface MessagingProfile {
  tenantId: number
  tenantName: string
  tenantLocale: string
  settings: MessagingSettings
  /** The tenant's queue rules: messages say how many are ahead by them. */
  queue: QueueSettings
  /** Whether and when finished work asks for a rating (the rest of the billing settings ride along). */
  billing: BillingSettings
  /** The tenant's own templates, by `event:locale`. */
  templates: Map<string, MessageTemplate>
  /** Channels configured and switched on (`log` is always available). */
  activeChannels: Set<ChannelKind>
  /** Active webhook endpoint ids per event. */
  endpointsByEvent: Map<WebhookEvent, number[]>
}

const TTL_MS = 5_000

/**
 * What the outbox needs to know of a tenant on every ticket event (its messaging settings,
 * templates, active channels and webhook subscriptions), cached for 5 s per server. Saving any of
 * them forgets the entry on this server at once (model hooks); other servers see it within 5 s.
 */
class MessagingDirectory {
  #profiles = new Map<number, { profile: MessagingProfile; expiresAt: number }>()

  async get(tenantId: number): Promise<MessagingProfile> {
    const cached = this.#profiles.get(tenantId)
    if (cached && cached.expiresAt > Date.now()) return cached.profile
    const profile = await this.#load(tenantId)
    if (this.#profiles.size > 5_000) this.#profiles.clear()
    this.#profiles.set(tenantId, { profile, expiresAt: Date.now() + TTL_MS })
    return profile
  }

  forget(tenantId: number) {
    this.#profiles.delete(tenantId)
  }

  async #load(tenantId: number): Promise<MessagingProfile> {
    const [tenant, templates, channels, endpoints] = await Promise.all([
      Tenant.findOrFail(tenantId),
      MessageTemplate.forTenant(tenantId),
      MessagingChannel.forTenant(tenantId).where('is_active', true).select('kind'),
      WebhookEndpoint.forTenant(tenantId).where('is_active', true).select('id', 'events'),
    ])
    const endpointsByEvent = new Map<WebhookEvent, number[]>()
    for (const endpoint of endpoints) {
      for (const event of endpoint.events)
        endpointsByEvent.set(event, [...(endpointsByEvent.get(event) ?? []), endpoint.id])
    }
    return {
      tenantId,
      tenantName: tenant.name,
      tenantLocale: tenant.locale,
      settings: tenant.messaging,
      queue: tenant.queue,
      billing: tenant.billing,
      templates: new Map(
        templates.map((template) => [templateKey(template.event, template.locale), template])
      ),
      activeChannels: new Set<ChannelKind>(['log', ...channels.map((channel) => channel.kind)]),
      endpointsByEvent,
    }
  }
}

const messagingDirectory = new MessagingDirectory()
export default messagingDirectory
