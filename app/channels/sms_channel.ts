import { DeliveryError } from '#services/messaging/outbox'
import OptOuts from '#services/messaging/opt_outs'
import { providerRequest } from '#channels/http'
import type { ChannelDriver, OutgoingMessage, SendResult } from '#channels/channel'

export const DEFAULT_SMS_BASE_URL = 'https://api.twilio.com'

/** A tenant's SMS gateway account. Many gateways speak Twilio's Messages API; `base_url` says where. */
export interface SmsSettings {
  base_url: string
  account_sid: string
  auth_token: string
  /** The sender: an E.164 number or an alphanumeric sender id. */
  from: string
}

/** The recipient replied STOP to this sender: the gateway refuses every message to them. */
const UNSUBSCRIBED = 21610

/** Trying again cannot help: the number is wrong, cannot get SMS, is in a region not enabled, or unsubscribed. */
const FINAL_CODES = new Set([
  21211, // invalid To number
  21217, // phone number does not appear to be valid
  21408, // region not enabled for this account
  21612, // the gateway cannot route to this number
  21614, // To is not a mobile number
  21602, // body is required
  21617, // body too long
  UNSUBSCRIBED,
])

/**
 * SMS through a gateway with Twilio's Messages API: `POST {base}/2010-04-01/Accounts/{sid}/Messages.json`,
 * form-encoded `To`, `From`, `Body`, HTTP Basic auth. Rate limits (429, 20429), the gateway's own
 * trouble (5xx), network failures and errors not known to be final are retried.
 */
export default class SmsChannel implements ChannelDriver {
  readonly kind = 'sms' as const

  /** `optOuts` records the numbers the gateway says have unsubscribed. */
  constructor(
    private settings: SmsSettings,
    protected optOuts: OptOuts
  ) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    if (!/^\+\d{8,15}$/.test(message.recipient)) {
      throw new DeliveryError(
        `SMS: "${message.recipient}" is not a phone number`,
        false,
        'invalid_recipient'
      )
    }
    const { base_url: baseUrl, account_sid: sid, auth_token: token, from } = this.settings
    const answer = await providerRequest(
      'SMS',
      `${(baseUrl || DEFAULT_SMS_BASE_URL).replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`,
      {
        method: 'POST',
        headers: {
          'authorization': `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          'accept': 'application/json',
        },
        body: new URLSearchParams({
          To: message.recipient,
          From: from,
          Body: message.body,
        }).toString(),
      }
    )
    if (answer.status >= 200 && answer.status < 300) {
      const id = answer.json?.sid
      // The gateway took the message: sending it again would send it twice.
      if (typeof id !== 'string')
        throw new DeliveryError(
          `SMS: answer ${answer.status} without a message sid`,
          false,
          'bad_response'
        )
      return { providerMessageId: id }
    }

    const error = smsError(answer.status, answer.json, answer.text)
    if (error.code === String(UNSUBSCRIBED))
      await this.optOuts.add(message.tenantId, 'sms', message.recipient, 'provider')
    throw error
  }
}

/** A gateway error answer (`{code, message, more_info, status}`) as a DeliveryError. */
function smsError(status: number, json: any, text: string) {
  const code = Number(json?.code) || null
  const detail =
    typeof json?.message === 'string' ? json.message : text.slice(0, 200) || `HTTP ${status}`
  const final =
    status < 500 && status !== 429 && code !== 20429 && code !== null && FINAL_CODES.has(code)
  return new DeliveryError(
    `SMS: ${detail}`,
    !final,
    code !== null ? String(code) : `http_${status}`
  )
}
