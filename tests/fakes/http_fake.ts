import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request a fake provider received, as it came. */
export interface ReceivedRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  raw: string
  /** The body's bytes (a multipart upload is not text). */
  bytes: Buffer
}

export interface FakeAnswer {
  status: number
  body: unknown
  headers?: Record<string, string>
}

/** A notification a fake gateway sent, and what the notification URL answered. */
export interface SentNotification {
  url: string
  body: string
  status: number | null
  answer: string
}

/**
 * The shared part of the fake provider servers used by the tests: a node:http server on a free
 * port (port 0) that records every request and answers what the subclass decides. An answer may
 * take its time (a fake payment page sends the gateway's notification before redirecting back);
 * a string or Buffer body goes as it is, with the content type the answer's headers give.
 */
export abstract class HttpFake {
  readonly requests: ReceivedRequest[] = []
  #server: Server | null = null
  #url = ''

  /** `http://127.0.0.1:<port>`, once started. */
  get url() {
    if (!this.#url) throw new Error('The fake server is not started')
    return this.#url
  }

  async start() {
    const server = createServer((request, response) => this.#handle(request, response))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    this.#server = server
    this.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return this
  }

  async stop() {
    const server = this.#server
    if (!server) return
    this.#server = null
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** Forgets what was received and every scripted answer. */
  reset() {
    this.requests.length = 0
  }

  protected abstract answer(request: ReceivedRequest): FakeAnswer | Promise<FakeAnswer>

  async #handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const bytes = Buffer.concat(chunks)
    const received: ReceivedRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      raw: bytes.toString('utf8'),
      bytes,
    }
    this.requests.push(received)
    let answer: FakeAnswer
    try {
      answer = await this.answer(received)
    } catch (error) {
      answer = { status: 500, body: { error: (error as Error).message } }
    }
    const body =
      typeof answer.body === 'string' || Buffer.isBuffer(answer.body)
        ? answer.body
        : JSON.stringify(answer.body)
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
    response.end(body)
  }
}

/**
 * A fake payment gateway: besides answering requests, it POSTs notifications (JSON, server to
 * server) to the merchant's notification URL, and keeps each with the answer it got.
 */
export abstract class NotifyingHttpFake<Failure> extends HttpFake {
  /** Where notifications go (the merchant's notification URL in the gateway's dashboard). */
  notificationUrl: string | null = null
  readonly notifications: SentNotification[] = []
  #failures: Failure[] = []

  override reset() {
    super.reset()
    this.notifications.length = 0
    this.notificationUrl = null
    this.#failures = []
  }

  /** The next `count` requests that can fail (see nextFailure) answer `failure`. */
  protected scriptFailures(count: number, failure: Failure) {
    for (let index = 0; index < count; index++) this.#failures.push({ ...failure })
    return this
  }

  /** The next scripted failure, used up (undefined when none is left). */
  protected nextFailure() {
    return this.#failures.shift()
  }

  /** POSTs `body` as JSON with `headers` to the notification URL; returns it with the answer. */
  protected async sendNotification(body: string, headers: Record<string, string>) {
    if (!this.notificationUrl) throw new Error('the fake has no notification URL')
    const sent: SentNotification = { url: this.notificationUrl, body, status: null, answer: '' }
    this.notifications.push(sent)
    const response = await fetch(this.notificationUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    })
    sent.status = response.status
    sent.answer = await response.text()
    return sent
  }
}

/** The user and password of a request's HTTP Basic authorization (both undefined without one). */
export function basicCredentials(request: ReceivedRequest): (string | undefined)[] {
  const basic = /^Basic (.+)$/.exec(String(request.headers.authorization ?? ''))
  return basic ? Buffer.from(basic[1], 'base64').toString('utf8').split(':') : []
}

/** An HTML answer (a fake's payment page, or its message). */
export function html(status: number, body: string): FakeAnswer {
  return { status, body, headers: { 'content-type': 'text/html; charset=utf-8' } }
}

/**
 * A fake gateway's plain payment page: its `lines`, then, while the payment is pending (no
 * `status`), a "Bayar" and an "Expire" button posting to `<base>/pay` and `<base>/expire`.
 */
export function paymentPage(page: {
  title: string
  testIdPrefix: string
  base: string
  status: string | null
  lines: string[]
}) {
  const { title, testIdPrefix: prefix, base } = page
  const actions =
    page.status === null
      ? `<form method="post" action="${base}/pay"><button type="submit" data-testid="${prefix}-pay">Bayar</button></form>
  <form method="post" action="${base}/expire"><button type="submit" data-testid="${prefix}-expire">Expire</button></form>`
      : `<p data-testid="${prefix}-status">${page.status}</p>`
  return `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body>
  <h1>${title}</h1>
  ${page.lines.join('\n  ')}
  ${actions}
</body></html>`
}

/** `value` safe to put in HTML text or an attribute. */
export function escapeHtml(value: string) {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)
}
