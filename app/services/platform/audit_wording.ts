import type { I18n } from '@adonisjs/i18n'
import { TICKET_EVENT_TYPES, type TicketStatus } from '#enums/ticket'

/**
 * What the audit page says about each entry, in the reader's language: "Budi memanggil A012 ke
 * Loket 1", "Sari mengubah layanan Umum: nama, durasi". The sentences live in
 * resources/lang/<locale>/audit.json; the keys are the `action` strings the code records.
 */

/** Record types of audit_logs (`subject_type`), each with a noun in audit.json `subjects`. */
export const AUDIT_SUBJECTS = [
  'tenant',
  'branch',
  'holiday',
  'service',
  'counter',
  'area',
  'device',
  'user',
  'api_key',
  'message_template',
  'messaging_channel',
  'webhook_endpoint',
  'webhook_delivery',
  'payment_account',
  'resource',
  'customer',
  'job',
  'invoice',
  'rating',
  'outlet',
  'conversation',
  'lead',
  'privacy',
] as const

/** Verbs every configuration subject can take through `Configuration` (generic sentences). */
export const GENERIC_VERBS = ['created', 'updated', 'deleted'] as const

/** Actions with a sentence of their own (all others are `<subject>.<generic verb>`). */
export const SPECIFIC_ACTIONS = [
  'tenant.created',
  'tenant.queue_settings_updated',
  'tenant.logo_updated',
  'tenant.logo_removed',
  'tenant.messaging_settings_updated',
  'tenant.payment_provider_updated',
  'tenant.booking_settings_updated',
  'branch.hours_updated',
  'queue.reset',
  'service.activated',
  'service.deactivated',
  'service.reordered',
  'counter.services_updated',
  'device.token_regenerated',
  'user.sessions_ended',
  'api_key.created',
  'api_key.revoked',
  'outbox.retried',
  'outbox.dropped',
  'webhook_endpoint.secret_rotated',
  'webhook_endpoint.test_sent',
  'webhook_delivery.retried',
  'webhook_delivery.dropped',
  'resource.activated',
  'resource.deactivated',
  'booking.start_outside_window',
  'tenant.field_settings_updated',
  'customer.deactivated',
  'customer.reactivated',
  'customer.imported',
  'job.cancelled',
  'job.closed',
  'job.returned_to_pool',
  'invoice.edited',
  'invoice.submitted',
  'invoice.approved',
  'invoice.rejected',
  'invoice.sent',
  'invoice.paid',
  'invoice.voided',
  'tenant.billing_settings_updated',
  'tenant.inbox_settings_updated',
  'tenant.renewal_settings_updated',
  'tenant.pos_source_updated',
  'tenant.pos_secret_regenerated',
  'tenant.lead_settings_updated',
  'conversation.assigned',
  'conversation.categorized',
  'conversation.outlet_set',
  'conversation.open',
  'conversation.pending',
  'conversation.resolved',
  'conversation.closed',
  'conversation.rerouted',
  'lead.created',
  'lead.updated',
  'lead.moved',
  'lead.onboarding_booked',
  'outlet.imported',
  'outlet.linked',
  'outlet.unlinked',
  'outlet.synced',
  'user.scopes_updated',
  'tenant.privacy_settings_updated',
  'privacy.erased',
  'privacy.retention_applied',
  'user.two_factor_enabled',
  'user.two_factor_disabled',
  'user.two_factor_reset',
] as const

/** Ticket steps (ticket_events.type) as the audit page names them: `ticket.called`. */
export const TICKET_ACTIONS = TICKET_EVENT_TYPES.map((type) => `ticket.${type}`)

/** Fields that hold a record's id, and the record type whose name stands in for it. */
export const ID_FIELDS: Record<string, string> = {
  branchId: 'branch',
  branch_id: 'branch',
  serviceId: 'service',
  service_id: 'service',
  counterId: 'counter',
  counter_id: 'counter',
  areaId: 'area',
  area_id: 'area',
  operatorId: 'user',
  userId: 'user',
  createdBy: 'user',
  updatedBy: 'user',
  resourceId: 'resource',
  resource_id: 'resource',
  endpointId: 'webhook_endpoint',
  endpoint_id: 'webhook_endpoint',
  technician_id: 'user',
  customerId: 'customer',
  customer_id: 'customer',
}

/** Fields that say nothing to the reader (the tenant's own id, timestamps, hashes). */
const HIDDEN_FIELDS = new Set(['tenantId', 'tenant_id', 'id', 'createdAt', 'updatedAt', 'prefix'])

/** Names of records looked up for a page: `names.get('service')?.get('12')`. */
export type NameBook = Map<string, Map<string, string>>

export interface ConfigEntry {
  kind: 'config'
  action: string
  userName: string | null
  subjectType: string | null
  subjectId: string | null
  changes: Record<string, unknown> | null
}

export interface TicketEntry {
  kind: 'ticket'
  type: string
  userName: string | null
  number: string
  counterName: string | null
  fromStatus: TicketStatus | null
  toStatus: TicketStatus
  note: string | null
  data: Record<string, any> | null
}

export interface Wording {
  sentence: string
  details: string[]
}

/** The translation key of an action's sentence, or null when it has none in `locale`. */
export function sentenceKey(i18n: I18n, action: string) {
  const specific = `audit.actions.${action}`
  if (known(i18n, specific)) return specific
  const [subject, verb] = action.split('.')
  if (
    (GENERIC_VERBS as readonly string[]).includes(verb) &&
    known(i18n, `audit.subjects.${subject}`)
  )
    return `audit.generic.${verb}`
  return null
}

/** A message of the locale, or of its fallback (Malay falls back to Indonesian). */
function known(i18n: I18n, key: string) {
  return i18n.hasMessage(key) || i18n.hasFallbackMessage(key)
}

export default class AuditWording {
  constructor(
    protected i18n: I18n,
    protected names: NameBook
  ) {}

  describe(entry: ConfigEntry | TicketEntry): Wording {
    return entry.kind === 'ticket' ? this.#ticket(entry) : this.#config(entry)
  }

  #actor(userName: string | null) {
    return userName ?? this.i18n.t('audit.system')
  }

  #name(type: string | null, id: unknown) {
    if (!type || id === null || id === undefined || id === '') return null
    return this.names.get(type)?.get(String(id)) ?? null
  }

  #config(entry: ConfigEntry): Wording {
    const changes = entry.changes ?? {}
    const subjectName =
      this.#name(entry.subjectType, entry.subjectId) ??
      nameIn(changes) ??
      (entry.subjectId ? `#${entry.subjectId}` : '')
    const key = sentenceKey(this.i18n, entry.action)
    const [subject] = entry.action.split('.')
    const params = {
      actor: this.#actor(entry.userName),
      name: subjectName,
      noun: known(this.i18n, `audit.subjects.${subject}`)
        ? this.i18n.t(`audit.subjects.${subject}`)
        : subject,
      count: Number(changes.moved ?? (Array.isArray(changes.ids) ? changes.ids.length : 0)),
    }
    let sentence = key
      ? this.i18n.t(key, params)
      : this.i18n.t('audit.unknown', { actor: params.actor, name: subjectName })
    const fields = Object.keys(changes).filter((field) => this.#shown(field))
    const changed = entry.action.endsWith('.updated') || entry.action.endsWith('_updated')
    if (changed && fields.length) sentence += `: ${fields.map((f) => this.#field(f)).join(', ')}`
    return { sentence, details: fields.map((field) => this.#change(field, changes[field])) }
  }

  #shown(field: string) {
    return !HIDDEN_FIELDS.has(field) && field !== 'ids' && field !== 'moved'
  }

  #field(field: string) {
    const key = `audit.fields.${snake(field)}`
    return known(this.i18n, key) ? this.i18n.t(key) : humanize(field)
  }

  /** `nama: Umum → Poli Umum`, `aktif: Ya → Tidak`. */
  #change(field: string, value: unknown) {
    const label = this.#field(field)
    if (field === 'secrets_changed' && Array.isArray(value))
      return `${label}: ${value.map((name) => this.#field(String(name))).join(', ')}`
    if (Array.isArray(value) && value.length === 2)
      return `${label}: ${this.#value(field, value[0])} → ${this.#value(field, value[1])}`
    return `${label}: ${this.#value(field, value)}`
  }

  #value(field: string, value: unknown): string {
    if (value === null || value === undefined || value === '') return '–'
    if (typeof value === 'boolean') return this.i18n.t(value ? 'audit.yes' : 'audit.no')
    if (ID_FIELDS[field]) return this.#name(ID_FIELDS[field], value) ?? `#${value}`
    if (typeof value === 'object') return this.i18n.t('audit.changed_value')
    const text = String(value)
    if (text.startsWith('{') || text.startsWith('[')) return this.i18n.t('audit.changed_value')
    const valueKey = `audit.values.${snake(field)}.${text}`
    if (known(this.i18n, valueKey)) return this.i18n.t(valueKey)
    return text.length > 80 ? `${text.slice(0, 79)}…` : text
  }

  #ticket(entry: TicketEntry): Wording {
    const target =
      this.#name('service', entry.data?.to?.service_id) ??
      this.#name('counter', entry.data?.to?.counter_id) ??
      ''
    const key = `audit.actions.ticket.${entry.type}`
    const params = {
      actor: this.#actor(entry.userName),
      ticket: entry.number,
      counter: entry.counterName ?? '',
      at_counter: entry.counterName ? 'yes' : 'no',
      target,
    }
    const sentence = known(this.i18n, key)
      ? this.i18n.t(key, params)
      : this.i18n.t('audit.unknown', { actor: params.actor, name: entry.number })
    const details = [
      entry.fromStatus
        ? `${this.#status(entry.fromStatus)} → ${this.#status(entry.toStatus)}`
        : this.#status(entry.toStatus),
    ]
    if (entry.note) {
      const noteKey = `audit.notes.${entry.note}`
      details.push(known(this.i18n, noteKey) ? this.i18n.t(noteKey) : entry.note)
    }
    if (Array.isArray(entry.data?.tags) && entry.data.tags.length)
      details.push(entry.data.tags.join(', '))
    return { sentence, details }
  }

  #status(status: string) {
    const key = `ui.status.${status}`
    return known(this.i18n, key) ? this.i18n.t(key) : status
  }
}

/** The name a created or deleted record carried in its own audit `changes`. */
function nameIn(changes: Record<string, unknown>) {
  for (const field of ['name', 'fullName', 'full_name', 'url', 'date', 'event']) {
    const value = changes[field]
    if (typeof value === 'string' && value) return value
    if (Array.isArray(value) && typeof value[1] === 'string' && value[1]) return value[1]
  }
  return null
}

function snake(field: string) {
  return field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
}

/** `recentCount` -> `recent count`, for a field no translation names yet. */
function humanize(field: string) {
  return snake(field).replace(/_/g, ' ')
}
