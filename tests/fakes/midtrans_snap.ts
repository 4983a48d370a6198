import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import {
  NotifyingHttpFake,
  basicCredentials,
  escapeHtml,
  html,
  paymentPage,
  type FakeAnswer,
  type ReceivedRequest,
} from '#tests/fakes/http_fake'

/** A Snap transaction the fake made, with the request as Loket sent it. */
export interface SnapTransaction {
  token: string
  orderId: string
  /** Whole rupiah, as sent. */
  grossAmount: number
  payload: any
  authorization: string
  finishUrl: string | null
  transactionId: string
  /** Its `transaction_status` now, as the status API reports it. */
  status: string
  fraudStatus: string
  /** The `gross_amount` the status API reports, when not the one asked for (a customer who paid another amount). */
  reportedGross: string | null
}

export interface MidtransNotificationInput {
  orderId: string
  /** As Midtrans writes it: `"250000.00"`. */
  grossAmount: string
  transactionStatus: string
  serverKey: string
  statusCode?: string
  fraudStatus?: string
  transactionId?: string
  paymentType?: string
  /** Fields to add or replace after signing (a tampered body keeps the old signature). */
  tamper?: Record<string, unknown>
}

/** The `status_code` Midtrans sends with each transaction status. */
export const STATUS_CODES: Record<string, string> = {
  settlement: '200',
  capture: '200',
  refund: '200',
  partial_refund: '200',
  chargeback: '200',
  pending: '201',
  authorize: '201',
  deny: '202',
  cancel: '202',
  failure: '202',
  expire: '407',
}

/** Midtrans times are Jakarta time, `yyyy-MM-dd HH:mm:ss`. */
function jakartaTime(moment = DateTime.utc()) {
  return moment.setZone('Asia/Jakarta').toFormat('yyyy-MM-dd HH:mm:ss')
}

/**
 * A Midtrans HTTP notification as Midtrans sends it (a bank transfer through a BCA virtual
 * account), signed: `signature_key` = SHA512(order_id + status_code + gross_amount + server_key).
 * Returns the exact JSON text to POST.
 */
export function midtransNotification(input: MidtransNotificationInput) {
  const statusCode = input.statusCode ?? STATUS_CODES[input.transactionStatus] ?? '200'
  const now = DateTime.utc()
  const body: Record<string, unknown> = {
    va_numbers: [
      {
        va_number: `490526${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`,
        bank: 'bca',
      },
    ],
    transaction_time: jakartaTime(now.minus({ minutes: 3 })),
    transaction_status: input.transactionStatus,
    transaction_id: input.transactionId ?? randomUUID(),
    status_message: 'midtrans payment notification',
    status_code: statusCode,
    signature_key: createHash('sha512')
      .update(`${input.orderId}${statusCode}${input.grossAmount}${input.serverKey}`)
      .digest('hex'),
    payment_type: input.paymentType ?? 'bank_transfer',
    payment_amounts: [],
    order_id: input.orderId,
    merchant_id: 'G141532850',
    gross_amount: input.grossAmount,
    fraud_status: input.fraudStatus ?? 'accept',
    expiry_time: jakartaTime(now.plus({ hours: 1 })),
    currency: 'IDR',
  }
  if (input.transactionStatus === 'settlement') body.settlement_time = jakartaTime(now)
  return JSON.stringify({ ...body, ...input.tamper })
}

/**
 * A stand-in for Midtrans Snap: `POST /snap/v1/transactions` (HTTP Basic `server_key:`, JSON)
 * answers 201 `{token, redirect_url}` or Snap's `{"error_messages": [...]}` (401 for a wrong key,
 * 400 for a request Snap refuses, scripted failures). Its `redirect_url` serves a plain HTML
 * payment page with a "Bayar" and an "Expire" button: pressing one makes the fake POST a correctly
 * signed notification (settlement, or expire) to `notificationUrl` server-to-server, as Midtrans
 * does, then redirect the browser to the transaction's finish URL with Snap's query parameters.
 */
export class FakeMidtransSnap extends NotifyingHttpFake<{ status: number; message: string }> {
  serverKey = 'SB-Mid-server-FAKE-0123456789abcdef'
  readonly transactions: SnapTransaction[] = []

  /** The next `count` transaction requests fail with `status` (after the key check). */
  failNext(
    count: number,
    status = 503,
    message = 'Sorry, we are experiencing internal server error'
  ) {
    return this.scriptFailures(count, { status, message })
  }

  override reset() {
    super.reset()
    this.transactions.length = 0
  }

  transactionFor(orderId: string) {
    return this.transactions.find((transaction) => transaction.orderId === orderId) ?? null
  }

  /**
   * What happened to the transaction at Midtrans (the customer paid, a card was challenged): the
   * status API reports it from now on. A `grossAmount` other than the one asked for is what was paid.
   */
  record(
    orderId: string,
    transactionStatus: string,
    options: { fraudStatus?: string; grossAmount?: string } = {}
  ) {
    const transaction = this.transactionFor(orderId)
    if (!transaction) return null
    transaction.status = transactionStatus
    transaction.fraudStatus = options.fraudStatus ?? 'accept'
    if (options.grossAmount && options.grossAmount !== `${transaction.grossAmount}.00`)
      transaction.reportedGross = options.grossAmount
    return transaction
  }

  /** Sends the transaction's notification of `transactionStatus`, signed with the fake's server key (its status changes first). */
  async notify(
    orderId: string,
    transactionStatus: string,
    options: Partial<MidtransNotificationInput> = {}
  ) {
    const transaction = this.record(orderId, transactionStatus, options)
    if (!transaction) throw new Error(`no Snap transaction ${orderId}`)
    const body = midtransNotification({
      orderId,
      grossAmount: `${transaction.grossAmount}.00`,
      transactionStatus,
      transactionId: transaction.transactionId,
      serverKey: this.serverKey,
      ...options,
    })
    return this.sendNotification(body, { accept: 'application/json' })
  }

  protected async answer(request: ReceivedRequest): Promise<FakeAnswer> {
    const path = request.path.split('?')[0]
    if (path === '/snap/v1/transactions')
      return request.method === 'POST'
        ? this.#create(request)
        : snapError(405, 'Method not allowed')
    const statusOf = /^\/v2\/([^/]+)\/status$/.exec(path)
    if (statusOf && request.method === 'GET')
      return this.#status(request, decodeURIComponent(statusOf[1]))
    const page = /^\/snap\/v4\/redirection\/([0-9a-f-]{36})(\/pay|\/expire)?$/.exec(path)
    const transaction = page
      ? this.transactions.find((candidate) => candidate.token === page[1])
      : null
    if (!page || !transaction) return snapError(404, 'Not found')
    if (!page[2] && request.method === 'GET') return html(200, this.#page(transaction))
    if (page[2] && request.method === 'POST')
      return this.#finish(transaction, page[2] === '/pay' ? 'settlement' : 'expire')
    return snapError(405, 'Method not allowed')
  }

  #authorized(request: ReceivedRequest) {
    const [user, password] = basicCredentials(request)
    return user === this.serverKey && password === ''
  }

  /** The Core API's `GET /v2/{order_id}/status`: the transaction in the notification's fields, signed. */
  #status(request: ReceivedRequest, orderId: string): FakeAnswer {
    if (!this.#authorized(request))
      return {
        status: 401,
        body: { status_code: '401', status_message: 'Unknown Merchant server_key/id' },
      }
    const failure = this.nextFailure()
    if (failure)
      return {
        status: failure.status,
        body: { status_code: String(failure.status), status_message: failure.message },
      }
    const transaction = this.transactionFor(orderId)
    if (!transaction)
      return {
        status: 404,
        body: { status_code: '404', status_message: "Transaction doesn't exist." },
      }
    const statusCode =
      transaction.status === 'capture' && transaction.fraudStatus === 'challenge'
        ? '201'
        : (STATUS_CODES[transaction.status] ?? '200')
    const gross = transaction.reportedGross ?? `${transaction.grossAmount}.00`
    return {
      status: 200,
      body: {
        status_code: statusCode,
        status_message: 'Success, transaction is found',
        transaction_id: transaction.transactionId,
        order_id: orderId,
        gross_amount: gross,
        currency: 'IDR',
        payment_type: 'bank_transfer',
        transaction_time: jakartaTime(),
        transaction_status: transaction.status,
        fraud_status: transaction.fraudStatus,
        merchant_id: 'G141532850',
        signature_key: createHash('sha512')
          .update(`${orderId}${statusCode}${gross}${this.serverKey}`)
          .digest('hex'),
      },
    }
  }

  #create(request: ReceivedRequest): FakeAnswer {
    if (!this.#authorized(request)) {
      return snapError(
        401,
        'Access denied due to unauthorized transaction, please check client or server key',
        'Visit https://snap-docs.midtrans.com/#request-headers for more details'
      )
    }
    const failure = this.nextFailure()
    if (failure) return snapError(failure.status, failure.message)
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json'))
      return snapError(400, 'Request body is not valid JSON')
    let payload: any
    try {
      payload = JSON.parse(request.raw)
    } catch {
      return snapError(400, 'Request body is not valid JSON')
    }
    const orderId = payload?.transaction_details?.order_id
    const gross = payload?.transaction_details?.gross_amount
    if (typeof orderId !== 'string' || !/^[A-Za-z0-9\-_.~]{1,50}$/.test(orderId))
      return snapError(400, 'transaction_details.order_id is invalid')
    if (!Number.isInteger(gross) || gross < 1)
      return snapError(
        400,
        'transaction_details.gross_amount must be an integer greater than or equal to 1'
      )
    const items = Array.isArray(payload.item_details) ? payload.item_details : []
    if (
      items.length &&
      items.reduce(
        (sum: number, item: any) => sum + Number(item.price) * Number(item.quantity),
        0
      ) !== gross
    ) {
      return snapError(
        400,
        'transaction_details.gross_amount is not equal to the sum of item_details'
      )
    }
    if (
      payload.expiry &&
      (payload.expiry.unit !== 'minute' ||
        !Number.isInteger(payload.expiry.duration) ||
        payload.expiry.duration < 1)
    ) {
      return snapError(400, 'expiry.duration must be a positive integer')
    }
    if (this.transactionFor(orderId))
      return snapError(400, 'transaction_details.order_id has already been taken')
    const token = randomUUID()
    this.transactions.push({
      token,
      orderId,
      grossAmount: gross,
      payload,
      authorization: String(request.headers.authorization),
      finishUrl: typeof payload.callbacks?.finish === 'string' ? payload.callbacks.finish : null,
      transactionId: randomUUID(),
      status: 'pending',
      fraudStatus: 'accept',
      reportedGross: null,
    })
    return {
      status: 201,
      body: { token, redirect_url: `${this.url}/snap/v4/redirection/${token}` },
    }
  }

  async #finish(
    transaction: SnapTransaction,
    status: 'settlement' | 'expire'
  ): Promise<FakeAnswer> {
    if (transaction.status !== 'pending')
      return html(
        409,
        `<p>Transaksi ${escapeHtml(transaction.orderId)} sudah ${transaction.status}.</p>`
      )
    if (!this.notificationUrl) return html(500, '<p>The fake Midtrans has no notification URL.</p>')
    const sent = await this.notify(transaction.orderId, status)
    if (sent.status !== 200)
      return html(
        502,
        `<p>Notification URL answered ${sent.status}: ${escapeHtml(sent.answer)}</p>`
      )
    if (!transaction.finishUrl)
      return html(200, `<p>Transaksi ${escapeHtml(transaction.orderId)}: ${status}.</p>`)
    const back = new URL(transaction.finishUrl)
    back.searchParams.set('order_id', transaction.orderId)
    back.searchParams.set('status_code', status === 'settlement' ? '200' : '407')
    back.searchParams.set('transaction_status', status)
    return {
      status: 302,
      body: '',
      headers: { 'location': back.toString(), 'content-type': 'text/plain' },
    }
  }

  #page(transaction: SnapTransaction) {
    const amount = new Intl.NumberFormat('id-ID').format(transaction.grossAmount)
    const name = escapeHtml(
      String(transaction.payload?.item_details?.[0]?.name ?? transaction.orderId)
    )
    return paymentPage({
      title: 'Midtrans Snap (fake)',
      testIdPrefix: 'midtrans',
      base: `/snap/v4/redirection/${transaction.token}`,
      status: transaction.status === 'pending' ? null : transaction.status,
      lines: [
        `<p>${name}</p>`,
        `<p>Order ID <code data-testid="midtrans-order">${escapeHtml(transaction.orderId)}</code></p>`,
        `<p>Total <strong data-testid="midtrans-amount">Rp ${amount}</strong></p>`,
        '<p>Transfer bank · BCA Virtual Account</p>',
      ],
    })
  }
}

function snapError(status: number, ...messages: string[]): FakeAnswer {
  return { status, body: { error_messages: messages } }
}

/** A fresh server key of the sandbox's shape, for a second tenant's account. */
export function sandboxServerKey() {
  return `SB-Mid-server-${randomBytes(12).toString('base64url')}`
}
