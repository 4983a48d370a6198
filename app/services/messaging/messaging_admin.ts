import MessageTemplate from '#models/message_template'
import Notification from '#models/notification'
import type Tenant from '#models/tenant'
import DomainError from '#exceptions/domain_error'
import Configuration from '#services/platform/configuration'
import type { Actor } from '#services/platform/audit_trail'
import {
  render,
  resolveTemplate,
  sampleVariables,
  templateKey,
  unknownVariables,
  MESSAGE_LOCALES,
} from '#services/messaging/message_templates'
import type { MessagingSettings } from '#models/settings/messaging_settings'
import {
  MESSAGE_EVENTS,
  type MessageEvent,
  type PhoneChannel,
  type VisitorEvent,
} from '#enums/messaging'
import { isUniqueViolation } from '#support/database'
import { inject } from '@adonisjs/core'

/** Rows of the outbox page at a time. */
const PAGE_SIZE = 50

export interface OutboxFilters {
  status?: Notification['status']
  channel?: Notification['channel']
  event?: MessageEvent
  recipient?: string
  /** Rows older than this id (the "older" link). */
  before?: number
}

/**
 * The admin side of messaging: the tenant's visitor-messaging settings, its own wording of each
 * message, and the outbox as admins read it. Every change is audited (Configuration).
 */
@inject()
export default class MessagingAdmin {
  constructor(protected configuration: Configuration) {}

  async saveSettings(
    tenant: Tenant,
    input: { visitorChannel: PhoneChannel | null; events: Partial<Record<VisitorEvent, boolean>> },
    actor: Actor
  ) {
    const current = tenant.messaging
    const settings: MessagingSettings = {
      visitorChannel: input.visitorChannel,
      events: Object.fromEntries(
        Object.keys(current.events).map((event) => [
          event,
          Boolean(input.events[event as VisitorEvent]),
        ])
      ) as MessagingSettings['events'],
    }
    await this.configuration.update(
      tenant,
      { messagingSettings: JSON.stringify(settings) },
      { subject: 'tenant', tenantId: tenant.id },
      actor,
      {
        action: 'messaging_settings_updated',
      }
    )
  }

  /** Every event in every language, with the wording in force (the tenant's or Loket's). */
  async templates(tenantId: number) {
    const own = await MessageTemplate.forTenant(tenantId)
    const overrides = new Map(
      own.map((template) => [templateKey(template.event, template.locale), template])
    )
    return MESSAGE_EVENTS.map((event) => ({
      event,
      locales: MESSAGE_LOCALES.map((locale) => ({
        locale,
        ...resolveTemplate(overrides, event, locale),
      })),
    }))
  }

  async template(tenantId: number, event: MessageEvent, locale: string) {
    const own = await MessageTemplate.forTenant(tenantId)
      .where('event', event)
      .where('locale', locale)
      .first()
    const overrides = new Map(own ? [[templateKey(event, locale), own]] : [])
    return resolveTemplate(overrides, event, locale)
  }

  /** Saves the tenant's wording; a `{{variable}}` the event does not know is refused (422) with its name. */
  async saveTemplate(
    tenant: Tenant,
    target: { event: MessageEvent; locale: string },
    input: { subject?: string; body: string; whatsappTemplate?: string },
    actor: Actor
  ): Promise<MessageTemplate> {
    const unknown = unknownVariables(target.event, input.subject, input.body)
    if (unknown.length > 0)
      throw new DomainError(
        'template_unknown_variables',
        { names: unknown.map((name) => `{{${name}}}`).join(', ') },
        422
      )
    const attributes = {
      subject: input.subject || null,
      body: input.body,
      whatsappTemplate: input.whatsappTemplate || null,
      updatedBy: actor.user?.id ?? null,
    }
    const scope = { subject: 'message_template', tenantId: tenant.id }
    const existing = await MessageTemplate.forTenant(tenant.id)
      .where('event', target.event)
      .where('locale', target.locale)
      .first()
    if (existing) return this.configuration.update(existing, attributes, scope, actor)
    try {
      return await this.configuration.create(
        MessageTemplate,
        { tenantId: tenant.id, event: target.event, locale: target.locale, ...attributes },
        scope,
        actor
      )
    } catch (error) {
      // The same form sent twice at once: the other request made the row; this one updates it.
      if (!isUniqueViolation(error)) throw error
      return this.saveTemplate(tenant, target, input, actor)
    }
  }

  /** Back to Loket's wording. */
  async resetTemplate(
    tenant: Tenant,
    target: { event: MessageEvent; locale: string },
    actor: Actor
  ) {
    const existing = await MessageTemplate.forTenant(tenant.id)
      .where('event', target.event)
      .where('locale', target.locale)
      .first()
    if (existing)
      await this.configuration.remove(
        existing,
        { subject: 'message_template', tenantId: tenant.id },
        actor
      )
  }

  /** The message as a visitor would read it, with made-up values. */
  preview(tenant: Tenant, branchName: string, text: { subject?: string; body?: string }) {
    const variables = sampleVariables({ tenantName: tenant.name, branchName })
    return {
      subject: render(text.subject ?? '', variables),
      body: render(text.body ?? '', variables),
    }
  }

  /** One page of the tenant's outbox, newest first, and how many rows are in each status. */
  async outbox(tenantId: number, filters: OutboxFilters) {
    const query = Notification.forTenant(tenantId)
      .orderBy('id', 'desc')
      .limit(PAGE_SIZE + 1)
    if (filters.status) query.where('status', filters.status)
    if (filters.channel) query.where('channel', filters.channel)
    if (filters.event) query.where('event', filters.event)
    // `!` escapes LIKE's wildcards the same way on MySQL and SQLite (a backslash is read differently by each).
    if (filters.recipient)
      query.whereRaw("recipient LIKE ? ESCAPE '!'", [
        `%${filters.recipient.replace(/[%_!]/g, (char) => `!${char}`)}%`,
      ])
    if (filters.before) query.where('id', '<', filters.before)
    const rows = await query
    const counts = await Notification.forTenant(tenantId)
      .groupBy('status')
      .select('status')
      .count('* as total')
    return {
      rows: rows.slice(0, PAGE_SIZE),
      next: rows.length > PAGE_SIZE ? rows[PAGE_SIZE - 1].id : null,
      counts: Object.fromEntries(
        counts.map((row) => [row.status, Number(row.$extras.total)])
      ) as Record<string, number>,
    }
  }
}
