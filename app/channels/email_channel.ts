import nodemailer from 'nodemailer'
import { DeliveryError } from '#services/messaging/outbox'
import { PROVIDER_TIMEOUT_MS } from '#channels/http'
import type { ChannelDriver, OutgoingMessage, SendResult } from '#channels/channel'

/** A tenant's SMTP server. */
export interface EmailSettings {
  host: string
  port: number
  /** Implicit TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean
  username: string | null
  password: string | null
  from_address: string
  from_name: string | null
}

/**
 * Plain-text email over SMTP (nodemailer). The server's answer decides: a 4xx reply (mailbox
 * busy, greylisting, too many connections) and a connection that failed are retried; a 5xx reply
 * (no such mailbox, refused, authentication failed) is final.
 */
export default class EmailChannel implements ChannelDriver {
  readonly kind = 'email' as const

  constructor(private settings: EmailSettings) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    if (!/^[^\s@<>]+@[^\s@<>]+$/.test(message.recipient)) {
      throw new DeliveryError(
        `SMTP: "${message.recipient}" is not an email address`,
        false,
        'invalid_recipient'
      )
    }
    const {
      host,
      port,
      secure,
      username,
      password,
      from_address: address,
      from_name: name,
    } = this.settings
    const transport = nodemailer.createTransport({
      host,
      port: Number(port),
      secure: Boolean(secure),
      auth: username ? { user: username, pass: password ?? '' } : undefined,
      connectionTimeout: PROVIDER_TIMEOUT_MS,
      greetingTimeout: PROVIDER_TIMEOUT_MS,
      socketTimeout: PROVIDER_TIMEOUT_MS,
      tls: { minVersion: 'TLSv1.2' },
    })
    try {
      const info = await transport.sendMail({
        from: name ? { name, address } : address,
        to: message.recipient,
        subject: message.subject ?? '',
        text: message.body,
      })
      return { providerMessageId: info.messageId }
    } catch (error) {
      throw emailError(error)
    } finally {
      transport.close()
    }
  }
}

/** A nodemailer failure as a DeliveryError: the SMTP reply code decides, a failed connection is retried. */
function emailError(error: unknown) {
  const { responseCode, code, response, message } = error as {
    responseCode?: number
    code?: string
    response?: string
    message?: string
  }
  const detail = (response ?? message ?? String(error)).slice(0, 300)
  if (typeof responseCode === 'number') {
    return new DeliveryError(`SMTP: ${detail}`, responseCode < 500, String(responseCode))
  }
  return new DeliveryError(`SMTP: ${detail}`, true, code ?? 'connection')
}
