import vine from '@vinejs/vine'
import {
  CHANNEL_KINDS,
  DELIVERY_STATUSES,
  MESSAGE_EVENTS,
  PHONE_CHANNELS,
  VISITOR_EVENTS,
  type MessageEvent,
  WEBHOOK_EVENTS,
} from '#enums/messaging'
import { unknownVariables } from '#services/messaging/message_templates'
import app from '@adonisjs/core/services/app'
import type { I18n } from '@adonisjs/i18n'
import { normalizePhone } from '#support/phone'
import { formMessages } from '#validators/fields'
import { strictWebhookUrls, webhookUrlProblem } from '#services/messaging/webhook_url'

/** How the tenant messages its visitors: the channel (or none) and which queue messages go out. */
export const messagingSettingsValidator = vine.compile(
  vine.object({
    visitor_channel: vine.enum(['none', ...PHONE_CHANNELS] as const),
    events: vine
      .object(Object.fromEntries(VISITOR_EVENTS.map((event) => [event, vine.boolean().optional()])))
      .optional(),
  })
)

/** Refuses `{{variables}}` the template's event does not know (a typo would reach visitors as "-"). */
const knownVariables = vine.createRule<undefined>((value, _, field) => {
  if (typeof value !== 'string') return
  const unknown = unknownVariables(field.meta.event, value)
  if (unknown.length > 0) {
    field.report(
      `Unknown variables: ${unknown.map((name) => `{{${name}}}`).join(', ')}`,
      'template_variables',
      field,
      {
        names: unknown.map((name) => `{{${name}}}`).join(', '),
      }
    )
  }
})

/** A tenant's wording of one message. */
export const templateValidator = vine.withMetaData<{ event: MessageEvent }>().compile(
  vine.object({
    subject: vine.string().trim().maxLength(200).use(knownVariables()).optional(),
    body: vine.string().trim().minLength(2).maxLength(4000).use(knownVariables()),
    whatsapp_template: vine
      .string()
      .trim()
      .maxLength(120)
      .regex(/^[a-z0-9_]+$/)
      .optional(),
  })
)

/** The preview renders whatever is typed, so it only bounds the sizes. */
export const templatePreviewValidator = vine.compile(
  vine.object({
    subject: vine.string().maxLength(200).optional(),
    body: vine.string().maxLength(4000).optional(),
  })
)

/** Filters of the outbox page. */
export const outboxFilterValidator = vine.compile(
  vine.object({
    status: vine.enum(DELIVERY_STATUSES).optional(),
    channel: vine.enum(CHANNEL_KINDS).optional(),
    event: vine.enum(MESSAGE_EVENTS).optional(),
    recipient: vine.string().trim().maxLength(190).optional(),
    before: vine.number().positive().withoutDecimals().optional(),
  })
)

/** Outbox rows an admin retries or drops. */
export const outboxSelectionValidator = vine.compile(
  vine.object({
    ids: vine.array(vine.number().positive().withoutDecimals()).minLength(1).maxLength(500),
  })
)

/** What the channel forms know of the stored account: a secret already stored may be left blank to keep it. */
interface ChannelMeta {
  stored: string[]
  /** Where a typed phone number without a country code is (the WhatsApp number on display). */
  country?: 'ID' | 'MY'
}

/** A write-only secret: required until one is stored, then blank keeps it. */
const secret = (name: string, maxLength = 500) =>
  vine
    .string()
    .trim()
    .maxLength(maxLength)
    .optional()
    .requiredWhen((field) => !(field.meta as ChannelMeta).stored.includes(name))

/** An SMS gateway address: http(s) without credentials, query or fragment; https only in production. */
const gatewayUrl = vine.createRule((value, _, field) => {
  if (typeof value !== 'string') return
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return field.report('The {{ field }} field must be an http(s) address', 'gateway_url', field)
  }
  if (
    !['http:', 'https:'].includes(url.protocol) ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  ) {
    return field.report('The {{ field }} field must be an http(s) address', 'gateway_url', field)
  }
  if (app.inProduction && url.protocol !== 'https:') {
    return field.report(
      'The {{ field }} field must start with https://',
      'gateway_url_https',
      field
    )
  }
  field.mutate(value.replace(/\/+$/, ''), field)
})

/** A phone number as people type it, normalized to E.164 in the branch's country. */
const phoneNumber = vine.createRule((value, _, field) => {
  if (typeof value !== 'string') return
  const phone = normalizePhone(value, (field.meta as { country?: 'ID' | 'MY' }).country ?? 'ID')
  if (!phone) return field.report('The {{ field }} field must be a phone number', 'phone', field)
  field.mutate(phone, field)
})

/**
 * WhatsApp Cloud API: the number's id, a token, the app secret that signs webhooks, the handshake
 * token, and optionally the number as customers see it (for the wa.me link of queueing by WhatsApp).
 */
export const whatsappChannelValidator = vine.withMetaData<ChannelMeta>().compile(
  vine.object({
    phone_number_id: vine
      .string()
      .trim()
      .regex(/^\d{5,30}$/),
    display_phone: vine.string().trim().maxLength(30).use(phoneNumber()).optional(),
    access_token: secret('access_token', 1000),
    app_secret: secret('app_secret', 128),
    /** Blank keeps the stored one; the first save makes one up. */
    verify_token: vine
      .string()
      .trim()
      .minLength(8)
      .maxLength(128)
      .regex(/^[\x21-\x7e]+$/)
      .optional(),
    is_active: vine.boolean().optional(),
  })
)

/** An SMS gateway with Twilio's Messages API. */
export const smsChannelValidator = vine.withMetaData<ChannelMeta>().compile(
  vine.object({
    base_url: vine.string().trim().maxLength(300).use(gatewayUrl()).optional(),
    account_sid: vine
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{2,64}$/),
    auth_token: secret('auth_token', 256),
    from: vine
      .string()
      .trim()
      .regex(/^(\+\d{6,15}|[A-Za-z0-9][A-Za-z0-9 ]{0,10})$/),
    is_active: vine.boolean().optional(),
  })
)

/** An SMTP server. */
export const emailChannelValidator = vine.withMetaData<ChannelMeta>().compile(
  vine.object({
    host: vine
      .string()
      .trim()
      .maxLength(253)
      .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[[0-9a-fA-F:.]+\]$/),
    port: vine.number().withoutDecimals().range([1, 65535]),
    secure: vine.boolean().optional(),
    username: vine.string().trim().maxLength(190).optional(),
    password: vine
      .string()
      .maxLength(500)
      .optional()
      .requiredWhen(
        (field) =>
          Boolean(field.parent.username) && !(field.meta as ChannelMeta).stored.includes('password')
      ),
    from_address: vine.string().trim().maxLength(190).email(),
    from_name: vine.string().trim().maxLength(80).optional(),
    is_active: vine.boolean().optional(),
  })
)

/** "Send a test message" on a phone channel. */
export const testPhoneValidator = vine.withMetaData<{ country: 'ID' | 'MY' }>().compile(
  vine.object({
    recipient: vine.string().trim().maxLength(30).use(phoneNumber()),
  })
)

/** "Send a test message" by email. */
export const testEmailValidator = vine.compile(
  vine.object({
    recipient: vine.string().trim().maxLength(190).email(),
  })
)

/** Validation messages of the channel forms (resources/lang/<locale>/channels.json). */
export const channelMessages = (i18n: I18n) => formMessages(i18n, 'channels.validator')

/**
 * An absolute http(s) URL; in production https only, never localhost or a private, loopback
 * or link-local address literal (see webhookUrlProblem). Each refusal is its own rule, with its
 * own message: `webhookUrl.<problem>`.
 */
const webhookUrl = vine.createRule<undefined>((value, _, field) => {
  if (typeof value !== 'string') return
  const problem = webhookUrlProblem(value, { production: strictWebhookUrls() })
  if (problem) field.report(`The URL is not accepted (${problem})`, `webhookUrl.${problem}`, field)
})

/** An endpoint as an admin creates or edits it. */
export const webhookEndpointValidator = vine.compile(
  vine.object({
    url: vine.string().trim().maxLength(500).use(webhookUrl()),
    description: vine.string().trim().maxLength(120).optional(),
    events: vine.array(vine.enum(WEBHOOK_EVENTS)).minLength(1).distinct(),
    is_active: vine.boolean().optional(),
  })
)

/** An empty query string value (`?status=`, the "every status" choice) is no filter. */
const blankIsMissing = (value: unknown) => (value === '' ? undefined : value)

/** Filters of an endpoint's delivery log (and the page), from its query string or a form going back to it. */
export const webhookDeliveriesValidator = vine.compile(
  vine.object({
    status: vine.enum(DELIVERY_STATUSES).parse(blankIsMissing).optional(),
    page: vine.number().positive().withoutDecimals().parse(blankIsMissing).optional(),
  })
)

/** Validation messages of the webhook forms (resources/lang/<locale>/webhooks.json). */
export const webhookMessages = (i18n: I18n) => formMessages(i18n, 'webhooks.validation')
