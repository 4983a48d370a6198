import { DEFAULT_TEMPLATES, type TemplateText } from '#services/messaging/default_templates'
import type { MessageEvent } from '#enums/messaging'
import type MessageTemplate from '#models/message_template'
import { absoluteUrl, ticketUrl } from '#support/urls'

/** Languages messages are written in; the first is the fallback. */
export const MESSAGE_LOCALES = ['id', 'en', 'ms'] as const

const BOOKING_VARIABLES = [
  'booking_code',
  'booking_date',
  'booking_time',
  'service_name',
  'resource_name',
  'branch_name',
  'link',
  'pay_link',
  'optout_link',
  'tenant_name',
] as const

const TICKET_VARIABLES = [
  'ticket_number',
  'service_name',
  'branch_name',
  'counter',
  'ahead',
  'eta',
  'link',
  'optout_link',
  'tenant_name',
] as const

const JOB_VARIABLES = [
  'customer_name',
  'job_code',
  'job_title',
  'visit_date',
  'technicians',
  'optout_link',
  'tenant_name',
] as const

/** What a notice to a member of staff about a job may say. */
const STAFF_VARIABLES = [
  'staff_name',
  'job_code',
  'job_title',
  'job_address',
  'visit_date',
  'link',
  'tenant_name',
] as const

/** The variables each event's template may use. */
export const EVENT_VARIABLES: Record<MessageEvent, readonly string[]> = {
  ticket_created: TICKET_VARIABLES,
  ticket_near: TICKET_VARIABLES,
  ticket_called: TICKET_VARIABLES,
  ticket_no_show: TICKET_VARIABLES,
  ticket_cancelled: TICKET_VARIABLES,
  test_message: ['tenant_name'],
  opt_out_confirmed: ['tenant_name'],
  opt_in_confirmed: ['tenant_name'],
  booking_confirmed: BOOKING_VARIABLES,
  booking_payment_due: BOOKING_VARIABLES,
  booking_reminder_day: BOOKING_VARIABLES,
  booking_reminder_hour: BOOKING_VARIABLES,
  booking_cancelled: BOOKING_VARIABLES,
  booking_expired: BOOKING_VARIABLES,
  customer_registered: ['customer_name', 'customer_address', 'tenant_name'],
  customer_registration_help: ['format', 'example', 'tenant_name'],
  job_scheduled: JOB_VARIABLES,
  job_done: JOB_VARIABLES,
  job_place_reopened: [...STAFF_VARIABLES, 'reason'],
  job_extension_requested: [...STAFF_VARIABLES, 'technician', 'days', 'reason'],
  job_extension_approved: [...STAFF_VARIABLES, 'days', 'planned_end', 'note'],
  job_extension_rejected: [...STAFF_VARIABLES, 'days', 'planned_end', 'note'],
  inbox_reply: ['text', 'tenant_name'],
  inbox_sla_breached: ['staff_name', 'clock', 'subject', 'due', 'link', 'tenant_name'],
  renewal_reminder: [
    'outlet_name',
    'fid',
    'oid',
    'expires_on',
    'when',
    'optout_link',
    'tenant_name',
  ],
  lead_prompt: ['question', 'tenant_name'],
  inbox_weekly_summary: [
    'staff_name',
    'week',
    'from',
    'to',
    'opened',
    'resolved',
    'frt_median',
    'art_median',
    'breached',
    'csat_average',
    'link',
    'tenant_name',
  ],
  queue_weekly_summary: [
    'staff_name',
    'week',
    'from',
    'to',
    'taken',
    'taken_change',
    'served',
    'median_wait',
    'p90_wait',
    'sla',
    'no_show_rate',
    'busiest_hour',
    'link',
    'tenant_name',
  ],
  invoice_sent: ['customer_name', 'invoice_number', 'total', 'due_date', 'link', 'tenant_name'],
  rating_request: ['subject', 'link', 'tenant_name'],
  rating_low: ['staff_name', 'score', 'subject', 'comment', 'link', 'tenant_name'],
  queue_menu: ['branch_name', 'menu', 'tenant_name'],
  queue_unavailable: ['branch_name', 'reason', 'tenant_name'],
  queue_which_branch: ['branches', 'tenant_name'],
  queue_ticket_held: TICKET_VARIABLES,
  queue_nothing_to_cancel: ['tenant_name'],
}

/**
 * The body parameters ({{1}}, {{2}}, ...) of each event's approved WhatsApp template, in order.
 * Outside the 24-hour window only such templates may be sent; the README lists their texts.
 */
export const WHATSAPP_PARAMETERS: Record<MessageEvent, readonly string[]> = {
  ticket_created: ['ticket_number', 'service_name', 'branch_name', 'ahead', 'link'],
  ticket_near: ['ticket_number', 'ahead', 'branch_name', 'link'],
  ticket_called: ['ticket_number', 'counter', 'branch_name'],
  ticket_no_show: ['ticket_number', 'branch_name'],
  ticket_cancelled: ['ticket_number', 'branch_name'],
  test_message: ['tenant_name'],
  opt_out_confirmed: ['tenant_name'],
  opt_in_confirmed: ['tenant_name'],
  booking_confirmed: [
    'booking_code',
    'service_name',
    'booking_date',
    'booking_time',
    'branch_name',
    'link',
  ],
  booking_payment_due: ['booking_code', 'service_name', 'booking_date', 'booking_time', 'pay_link'],
  booking_reminder_day: ['service_name', 'booking_date', 'booking_time', 'branch_name', 'link'],
  booking_reminder_hour: ['service_name', 'booking_time', 'branch_name', 'link'],
  booking_cancelled: ['booking_code', 'service_name', 'booking_date', 'booking_time'],
  booking_expired: ['booking_code', 'service_name', 'booking_date', 'booking_time'],
  customer_registered: ['customer_name', 'customer_address', 'tenant_name'],
  customer_registration_help: ['format', 'example'],
  job_scheduled: ['customer_name', 'technicians', 'visit_date', 'job_title', 'job_code'],
  job_done: ['customer_name', 'job_title', 'job_code', 'tenant_name'],
  job_place_reopened: ['job_code', 'job_title', 'job_address', 'visit_date', 'reason', 'link'],
  job_extension_requested: ['technician', 'days', 'job_code', 'job_title', 'reason', 'link'],
  job_extension_approved: ['days', 'job_code', 'job_title', 'planned_end', 'link'],
  job_extension_rejected: ['days', 'job_code', 'job_title', 'link'],
  inbox_reply: ['text'],
  inbox_sla_breached: ['clock', 'subject', 'due', 'link'],
  renewal_reminder: ['outlet_name', 'expires_on', 'when', 'tenant_name'],
  // The prompt answers the prospect's own message, inside the window: it goes as text.
  lead_prompt: ['question'],
  inbox_weekly_summary: ['week', 'opened', 'resolved', 'frt_median', 'art_median', 'link'],
  queue_weekly_summary: ['week', 'taken', 'served', 'median_wait', 'sla', 'link'],
  invoice_sent: ['customer_name', 'invoice_number', 'total', 'due_date', 'link'],
  rating_request: ['tenant_name', 'subject', 'link'],
  rating_low: ['score', 'subject', 'comment', 'link'],
  // Answers to a message the visitor just sent, so inside the window: these go as text (with buttons).
  queue_menu: ['branch_name', 'menu'],
  queue_unavailable: ['branch_name', 'reason'],
  queue_which_branch: ['branches'],
  queue_ticket_held: ['ticket_number', 'service_name', 'branch_name', 'ahead', 'link'],
  queue_nothing_to_cancel: ['tenant_name'],
}

/** The default name of an event's approved WhatsApp template: `loket_ticket_called`. */
export function defaultWhatsappTemplate(event: MessageEvent) {
  return `loket_${event}`
}

const VARIABLE = /\{\{\s*([a-z_]+)\s*\}\}/g

/** Puts the values into `{{name}}` placeholders; a variable without a value reads as "-". */
export function render(text: string, variables: Record<string, string>) {
  return text.replace(VARIABLE, (_, name: string) => variables[name] ?? '-')
}

/** Variables a template uses that its event does not know, e.g. a typo such as `{{tiket_number}}`. */
export function unknownVariables(event: MessageEvent, ...texts: (string | null | undefined)[]) {
  const known = new Set(EVENT_VARIABLES[event])
  const unknown = new Set<string>()
  for (const text of texts)
    for (const [, name] of (text ?? '').matchAll(VARIABLE)) if (!known.has(name)) unknown.add(name)
  return [...unknown]
}

export function messageLocale(locale: string | null | undefined) {
  return (MESSAGE_LOCALES as readonly string[]).includes(locale ?? '')
    ? locale!
    : MESSAGE_LOCALES[0]
}

function defaultTemplate(event: MessageEvent, locale: string): TemplateText {
  return DEFAULT_TEMPLATES[messageLocale(locale)][event]
}

export interface ResolvedTemplate extends TemplateText {
  whatsappTemplate: string
  /** True when the tenant reworded it. */
  custom: boolean
}

/** The tenant's wording of `event` in `locale` if it has one, else Loket's. */
export function resolveTemplate(
  overrides: Map<string, MessageTemplate>,
  event: MessageEvent,
  locale: string
): ResolvedTemplate {
  const language = messageLocale(locale)
  const fallback = defaultTemplate(event, language)
  const own = overrides.get(templateKey(event, language))
  return {
    subject: own?.subject || fallback.subject,
    body: own?.body || fallback.body,
    whatsappTemplate: own?.whatsappTemplate || defaultWhatsappTemplate(event),
    custom: Boolean(own),
  }
}

export function templateKey(event: MessageEvent, locale: string) {
  return `${event}:${locale}`
}

/** Made-up values for the admin page's preview. */
export function sampleVariables(context: {
  tenantName: string
  branchName: string
}): Record<string, string> {
  return {
    ticket_number: 'A012',
    service_name: 'Poli Umum',
    branch_name: context.branchName,
    counter: 'Loket 3',
    ahead: '3',
    eta: '15',
    link: ticketUrl('3f2b9c1e-5d1a-4c1b-9a3e-1f2d3c4b5a69'),
    optout_link: absoluteUrl('opt_out.show', { token: 'contoh' }),
    tenant_name: context.tenantName,
    menu: '1. Poli Umum\n2. Poli Gigi',
    reason: 'Buka lagi Senin 08:00.',
    branches: `ANTRI cabang-utama (${context.branchName})`,
  }
}
