import { SMTPServer, type SMTPServerSession } from 'smtp-server'
import type { AddressInfo } from 'node:net'

/** An SMTP reply to refuse with, and the command that gets it. */
export interface SmtpFailure {
  code: number
  message?: string
  stage?: 'mail' | 'rcpt' | 'data'
}

/** A mail the fake accepted, with its headers and its text decoded. */
export interface ReceivedMail {
  envelopeFrom: string
  envelopeTo: string[]
  user: string | null
  source: string
  headers: Record<string, string>
  subject: string
  text: string
}

/**
 * A real SMTP server (smtp-server) on a free port, for the email driver's tests: it speaks the
 * protocol, records what it accepted, and can require a login and refuse the next commands with
 * a scripted reply (4xx: try again later, 5xx: refused).
 */
export class FakeSmtpServer {
  readonly mails: ReceivedMail[] = []
  /** When set, MAIL FROM needs a login with these credentials first. */
  credentials: { username: string; password: string } | null = null
  #failures: SmtpFailure[] = []
  #server: SMTPServer
  #port = 0

  constructor() {
    this.#server = new SMTPServer({
      secure: false,
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (
          this.credentials &&
          auth.username === this.credentials.username &&
          auth.password === this.credentials.password
        ) {
          return callback(null, { user: auth.username })
        }
        callback(reply(535, 'Authentication credentials invalid'))
      },
      onMailFrom: (_address, session, callback) => {
        if (this.credentials && !session.user)
          return callback(reply(530, 'Authentication required'))
        callback(this.#scripted('mail'))
      },
      onRcptTo: (_address, _session, callback) => callback(this.#scripted('rcpt')),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = []
        stream.on('data', (chunk: Buffer) => chunks.push(chunk))
        stream.on('end', () => {
          const failure = this.#scripted('data')
          if (failure) return callback(failure)
          this.mails.push(parseMail(Buffer.concat(chunks).toString('utf8'), session))
          callback()
        })
      },
    })
    this.#server.on('error', () => {})
  }

  get host() {
    return '127.0.0.1'
  }

  get port() {
    if (!this.#port) throw new Error('The fake SMTP server is not started')
    return this.#port
  }

  async start() {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve))
    this.#port = (
      (
        this.#server as unknown as { server: { address(): AddressInfo } }
      ).server.address() as AddressInfo
    ).port
    return this
  }

  async stop() {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  /** The next `count` commands of `failure.stage` (RCPT TO by default) are refused with `failure.code`. */
  failNext(count: number, failure: SmtpFailure) {
    for (let index = 0; index < count; index++) this.#failures.push(failure)
    return this
  }

  reset() {
    this.mails.length = 0
    this.#failures = []
    this.credentials = null
  }

  #scripted(stage: 'mail' | 'rcpt' | 'data') {
    const index = this.#failures.findIndex((failure) => (failure.stage ?? 'rcpt') === stage)
    if (index === -1) return null
    const [failure] = this.#failures.splice(index, 1)
    return reply(
      failure.code,
      failure.message ??
        (failure.code < 500 ? 'Try again later' : 'Requested action not taken: mailbox unavailable')
    )
  }
}

function reply(code: number, message: string) {
  return Object.assign(new Error(message), { responseCode: code })
}

function parseMail(source: string, session: SMTPServerSession): ReceivedMail {
  const split = source.indexOf('\r\n\r\n')
  const head = split === -1 ? source : source.slice(0, split)
  const body = split === -1 ? '' : source.slice(split + 4)
  const headers: Record<string, string> = {}
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase()
  const text =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : body
  return {
    envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
    envelopeTo: session.envelope.rcptTo.map((address) => address.address),
    user: (session.user as string | undefined) ?? null,
    source,
    headers,
    subject: decodeWords(headers.subject ?? ''),
    text: text.replace(/\r\n$/, '').replace(/\r\n/g, '\n'),
  }
}

function decodeQuotedPrintable(value: string) {
  const escaped = value
    .replace(/=\r\n/g, '')
    .replace(/%/g, '%25')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => `%${hex}`)
  return decodeURIComponent(escaped)
}

/** `=?UTF-8?Q?...?=` and `=?UTF-8?B?...?=` words of a header. */
function decodeWords(value: string) {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' '))
    )
}
