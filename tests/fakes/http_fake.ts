import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request a fake provider received, as it came. */
export interface ReceivedRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  raw: string
}

export interface FakeAnswer {
  status: number
  body: unknown
  headers?: Record<string, string>
}

/**
 * The shared part of the fake provider servers used by the tests: a node:http server on a free
 * port (port 0) that records every request and answers what the subclass decides. An answer may
 * take its time (a fake payment page sends the gateway's notification before redirecting back);
 * a string body goes as it is, with the content type the answer's headers give.
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
    const received: ReceivedRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      raw: Buffer.concat(chunks).toString('utf8'),
    }
    this.requests.push(received)
    let answer: FakeAnswer
    try {
      answer = await this.answer(received)
    } catch (error) {
      answer = { status: 500, body: { error: (error as Error).message } }
    }
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
    response.end(text)
  }
}
