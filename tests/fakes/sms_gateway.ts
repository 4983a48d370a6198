import { randomBytes } from 'node:crypto'
import {
  HttpFake,
  basicCredentials,
  type FakeAnswer,
  type ReceivedRequest,
} from '#tests/fakes/http_fake'

/** A gateway error to answer with: HTTP status and the gateway's error code. */
export interface GatewayFailure {
  status: number
  code: number
  message?: string
}

/** A message the fake accepted: the form fields as the driver sent them. */
export interface AcceptedSms {
  sid: string
  accountSid: string
  to: string
  from: string
  body: string
}

/**
 * A stand-in for an SMS gateway speaking Twilio's Messages API:
 * `POST /2010-04-01/Accounts/<sid>/Messages.json`, form-encoded `To`, `From`, `Body`, HTTP Basic
 * auth `sid:token`. Answers 201 with the message resource, or Twilio's error body
 * `{code, message, more_info, status}`. Scriptable: the account and token it accepts, numbers
 * that replied STOP (21610), failures for the next requests.
 */
export class FakeSmsGateway extends HttpFake {
  accountSid = 'AC00000000000000000000000000000000'
  authToken = 'test-auth-token'
  /** Recipients who replied STOP to the sender: every message to them fails with 21610. */
  readonly unsubscribed = new Set<string>()
  readonly accepted: AcceptedSms[] = []
  #failures: GatewayFailure[] = []

  failNext(count: number, failure: GatewayFailure) {
    for (let index = 0; index < count; index++) this.#failures.push(failure)
    return this
  }

  override reset() {
    super.reset()
    this.accepted.length = 0
    this.unsubscribed.clear()
    this.#failures = []
  }

  protected answer(request: ReceivedRequest): FakeAnswer {
    const route = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(request.path)
    if (!route) return gatewayError(404, 20404, 'The requested resource was not found')
    if (request.method !== 'POST') return gatewayError(405, 20004, 'Method not allowed')
    const [user, password] = basicCredentials(request)
    if (
      user !== this.accountSid ||
      password !== this.authToken ||
      decodeURIComponent(route[1]) !== this.accountSid
    ) {
      return gatewayError(401, 20003, 'Authenticate')
    }
    const failure = this.#failures.shift()
    if (failure)
      return gatewayError(failure.status, failure.code, failure.message ?? 'Scripted failure')

    if (
      !String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
    ) {
      return gatewayError(400, 21602, 'Message body is required.')
    }
    const form = new URLSearchParams(request.raw)
    const to = form.get('To') ?? ''
    const from = form.get('From') ?? ''
    const body = form.get('Body') ?? ''
    if (!/^\+\d{8,15}$/.test(to))
      return gatewayError(400, 21211, `The 'To' number ${to} is not a valid phone number.`)
    if (!from)
      return gatewayError(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required.")
    if (!body) return gatewayError(400, 21602, 'Message body is required.')
    if (body.length > 1600)
      return gatewayError(
        400,
        21617,
        'The concatenated message body exceeds the 1600 character limit.'
      )
    if (this.unsubscribed.has(to))
      return gatewayError(400, 21610, 'Attempt to send to unsubscribed recipient')

    const sid = `SM${randomBytes(16).toString('hex')}`
    this.accepted.push({ sid, accountSid: this.accountSid, to, from, body })
    const now = new Date().toUTCString()
    return {
      status: 201,
      body: {
        account_sid: this.accountSid,
        api_version: '2010-04-01',
        body,
        date_created: now,
        date_sent: null,
        date_updated: now,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from,
        messaging_service_sid: null,
        num_media: '0',
        num_segments: String(Math.ceil(body.length / 153) || 1),
        price: null,
        price_unit: 'USD',
        sid,
        status: 'queued',
        subresource_uris: {
          media: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}/Media.json`,
        },
        to,
        uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`,
      },
    }
  }
}

function gatewayError(status: number, code: number, message: string): FakeAnswer {
  return {
    status,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  }
}
