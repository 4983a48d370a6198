import env from '#start/env'
import Contact from '#models/contact'
import clock from '#support/clock'
import { toSqlDateTime } from '#models/columns'
import { DeliveryError } from '#services/messaging/outbox'
import { providerRequest } from '#channels/http'
import { readStored } from '#support/file_store'
import type {
  ChannelDriver,
  OutgoingMessage,
  SendResult,
  WhatsappInteractive,
  WhatsappMedia,
} from '#channels/channel'

export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com/v21.0'

/** A tenant's WhatsApp Cloud API account (stored encrypted on messaging_channels). */
export interface WhatsappSettings {
  phone_number_id: string
  access_token: string
  /** Signs the webhooks Meta sends (X-Hub-Signature-256). */
  app_secret: string
  /** What Meta's webhook handshake must present (hub.verify_token). */
  verify_token: string
  /** The number customers see and write to (E.164), when the admin entered it: the wa.me link's. */
  display_phone?: string | null
}

/**
 * The Graph API address with its version, WHATSAPP_GRAPH_URL. Read on every send rather than
 * once at import, so that tests point the driver at their fake Graph server with AdonisJS's own
 * `env.set('WHATSAPP_GRAPH_URL', fake.url)`: no test-only setting a tenant could use, and no
 * module state to forget.
 */
export function whatsappGraphUrl() {
  return env.get('WHATSAPP_GRAPH_URL', DEFAULT_GRAPH_URL).replace(/\/+$/, '')
}

/** How long a customer's last message lets the business write freely. */
const WINDOW_HOURS = 24

/** What WhatsApp shows as an image (anything else goes as a document), and how large it may be. */
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png'])
export const WHATSAPP_IMAGE_MAX_BYTES = 5 * 1024 * 1024

/** The text is refused because the customer has not written within 24 hours: send the template instead. */
const OUTSIDE_WINDOW = 131047

/**
 * Trying again cannot help: the recipient or the request itself is wrong. Every other error is
 * retried (with backoff, 5 attempts in all): rate limits (HTTP 429, codes 4, 80007, 130429,
 * 131056), Meta's own trouble (5xx, codes 1, 2, 131000, 131016, 133004), an expired token (190)
 * or an account problem that an admin can fix before the last attempt.
 */
const FINAL_CODES = new Set([
  100, // invalid parameter
  131008, // required parameter missing
  131009, // parameter value not valid
  131021, // recipient is the sender
  131026, // message undeliverable (not on WhatsApp, old app, not accepted terms)
  131051, // unsupported message type
  132000, // template parameter count mismatch
  132001, // template does not exist in this language
  132005, // translated text too long
  132007, // template format policy violated
  132012, // parameter format mismatch
  132015, // template paused
  132016, // template disabled
  133010, // phone number not registered
  OUTSIDE_WINDOW, // only when the template itself was refused so
])

/**
 * WhatsApp Cloud API. Inside the 24-hour window that the customer's last message opened, the
 * message goes as free text; outside it, as the event's approved template with its body
 * parameters. A text refused as outside the window (the window closed since we looked) goes
 * again at once as the template, in the same attempt.
 */
export default class WhatsappChannel implements ChannelDriver {
  readonly kind = 'whatsapp' as const

  constructor(private settings: WhatsappSettings) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    const to = message.recipient.replace(/^\+/, '')
    if (!/^\d{8,15}$/.test(to)) {
      throw new DeliveryError(
        `WhatsApp: "${message.recipient}" is not a phone number`,
        false,
        'invalid_recipient'
      )
    }
    if (await this.#windowOpen(message.tenantId, message.recipient)) {
      try {
        const interactive = message.whatsappInteractive
        if (message.whatsappMedia)
          return await this.#post(await this.#media(to, message.whatsappMedia, message))
        return await this.#post(
          interactive ? this.#interactive(to, interactive, message) : this.#text(to, message)
        )
      } catch (error) {
        if (!(error instanceof DeliveryError) || error.code !== String(OUTSIDE_WINDOW)) throw error
      }
    }
    return this.#post(this.#template(to, message))
  }

  async #windowOpen(tenantId: number, phone: string) {
    const since = toSqlDateTime(clock.now().minus({ hours: WINDOW_HOURS }))
    const contact = await Contact.forTenant(tenantId)
      .where('phone', phone)
      .where('last_inbound_at', '>', since)
      .select('id')
      .first()
    return Boolean(contact)
  }

  #text(to: string, message: OutgoingMessage) {
    return {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      type: 'text',
      text: { preview_url: false, body: message.body.slice(0, 4096) },
    }
  }

  /**
   * Choices to tap (Meta allows them inside the window only, like text): up to 3 as reply buttons,
   * up to 10 as a list message; more go as the text. Titles are cut to Meta's limits (a button 20
   * characters, a list row 24, its description 72).
   */
  #interactive(to: string, interactive: WhatsappInteractive, message: OutgoingMessage) {
    const { choices } = interactive
    if (choices.length === 0 || choices.length > 10) return this.#text(to, message)
    const buttons = choices.length <= 3
    return {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      type: 'interactive',
      interactive: {
        type: buttons ? 'button' : 'list',
        body: { text: cut(interactive.body, 1024) },
        action: buttons
          ? {
              buttons: choices.map((choice) => ({
                type: 'reply',
                reply: { id: choice.id, title: cut(choice.title, 20) },
              })),
            }
          : {
              button: cut(interactive.button, 20),
              sections: [
                {
                  rows: choices.map((choice) => ({
                    id: choice.id,
                    title: cut(choice.title, 24),
                    ...(choice.description ? { description: cut(choice.description, 72) } : {}),
                  })),
                },
              ],
            },
      },
    }
  }

  /**
   * A file with its caption: uploaded first (`POST /<phone number id>/media`, multipart, as Meta
   * documents it), then sent by the media id Meta answered. A retried attempt uploads again: an
   * unused upload costs nothing and expires on Meta's side.
   */
  async #media(to: string, media: WhatsappMedia, message: OutgoingMessage) {
    const bytes = await readStored(media.path)
    const form = new FormData()
    form.append('messaging_product', 'whatsapp')
    form.append('type', media.type)
    form.append('file', new Blob([bytes], { type: media.type }), media.name ?? 'file')
    const answer = await providerRequest(
      'WhatsApp',
      `${whatsappGraphUrl()}/${encodeURIComponent(this.settings.phone_number_id)}/media`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${this.settings.access_token}` },
        body: form,
      }
    )
    const id = answer.json?.id
    if (answer.status < 200 || answer.status >= 300 || typeof id !== 'string')
      throw whatsappError(answer.status, answer.json, answer.text)
    const caption = message.body ? { caption: cut(message.body, 1024) } : {}
    const image = IMAGE_TYPES.has(media.type)
    return {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      type: image ? 'image' : 'document',
      [image ? 'image' : 'document']: image
        ? { id, ...caption }
        : { id, ...caption, ...(media.name ? { filename: media.name } : {}) },
    }
  }

  #template(to: string, message: OutgoingMessage) {
    const { name, language, parameters } = message.whatsappTemplate
    return {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      type: 'template',
      template: {
        name,
        language: { code: language },
        components: parameters.length
          ? [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }]
          : [],
      },
    }
  }

  async #post(payload: Record<string, unknown>): Promise<SendResult> {
    const answer = await providerRequest(
      'WhatsApp',
      `${whatsappGraphUrl()}/${encodeURIComponent(this.settings.phone_number_id)}/messages`,
      {
        method: 'POST',
        headers: {
          'authorization': `Bearer ${this.settings.access_token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(payload),
      }
    )
    if (answer.status >= 200 && answer.status < 300) {
      const id = answer.json?.messages?.[0]?.id
      // Meta took the message: sending it again would send it twice, so a strange answer is not retried.
      if (typeof id !== 'string')
        throw new DeliveryError(
          `WhatsApp: answer ${answer.status} without a message id`,
          false,
          'bad_response'
        )
      return { providerMessageId: id }
    }
    throw whatsappError(answer.status, answer.json, answer.text)
  }
}

/** `text` within `max` characters, an ellipsis marking a cut. */
function cut(text: string, max: number) {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`
}

/** A Graph API error answer as a DeliveryError: retryable or not, with Meta's error code. */
function whatsappError(status: number, json: any, text: string) {
  const error = json?.error ?? {}
  const code = typeof error.code === 'number' ? error.code : Number(error.code) || null
  const detail =
    typeof error.message === 'string' ? error.message : text.slice(0, 200) || `HTTP ${status}`
  const final = status < 500 && status !== 429 && code !== null && FINAL_CODES.has(code)
  return new DeliveryError(
    `WhatsApp: ${detail}`,
    !final,
    code !== null ? String(code) : `http_${status}`
  )
}
