import vine from '@vinejs/vine'
import app from '@adonisjs/core/services/app'
import type { I18n } from '@adonisjs/i18n'
import type { FieldContext, MessagesProviderContact } from '@vinejs/vine/types'
import { normalizePhone } from '#services/support/phone'

/** What the channel forms know of the stored account: a secret already stored may be left blank to keep it. */
interface ChannelMeta {
  stored: string[]
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
  if (!['http:', 'https:'].includes(url.protocol) || url.username || url.password || url.search || url.hash) {
    return field.report('The {{ field }} field must be an http(s) address', 'gateway_url', field)
  }
  if (app.inProduction && url.protocol !== 'https:') {
    return field.report('The {{ field }} field must start with https://', 'gateway_url_https', field)
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

/** WhatsApp Cloud API: the number's id, a token, the app secret that signs webhooks, the handshake token. */
export const whatsappChannelValidator = vine.withMetaData<ChannelMeta>().compile(
  vine.object({
    phone_number_id: vine
      .string()
      .trim()
      .regex(/^\d{5,30}$/),
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
      .requiredWhen((field) => Boolean(field.parent.username) && !(field.meta as ChannelMeta).stored.includes('password')),
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

/**
 * Validation messages of the channel forms in the user's language: the fields' names and the
 * messages of their own rules come from resources/lang/<locale>/channels.json (`validator`), the
 * common rules' messages from validator.json, like every other form.
 */
export function channelMessages(i18n: I18n): MessagesProviderContact {
  return {
    getMessage(defaultMessage: string, rule: string, field: FieldContext, meta?: Record<string, any>) {
      const fieldKey = `channels.validator.fields.${field.name}`
      const name = i18n.hasMessage(fieldKey) ? i18n.t(fieldKey) : String(field.name)
      for (const key of [`channels.validator.messages.${field.wildCardPath}.${rule}`, `channels.validator.messages.${rule}`, `validator.shared.messages.${rule}`]) {
        if (i18n.hasMessage(key)) return i18n.t(key, { field: name, ...meta })
      }
      return defaultMessage.replace('{{ field }}', name)
    },
  }
}
