import { randomBytes } from 'node:crypto'
import {
  NotifyingHttpFake,
  basicCredentials,
  escapeHtml,
  html,
  paymentPage,
  type FakeAnswer,
  type ReceivedRequest,
} from '#tests/fakes/http_fake'

/** An invoice the fake made, with the request as Loket sent it. */
export interface XenditInvoice {
  id: string
  externalId: string
  amount: number
  currency: string
  payload: any
  authorization: string
  status: 'PENDING' | 'PAID' | 'EXPIRED'
  /** What the customer paid, once PAID (the amount asked for unless told). */
  paidAmount: number | null
  created: string
  expiryDate: string
}

export interface XenditCallbackInput {
  id: string
  externalId: string
  status: 'PAID' | 'EXPIRED' | string
  amount: number
  paidAmount?: number
  currency?: string
  description?: string
  created?: string
}

const USER_ID = '6279ce4495d10c9afc3171b8'
const MERCHANT = 'Loket Test Merchant'

/** A Xendit invoice callback body as Xendit sends it (a BCA virtual account for PAID). Returns the JSON text. */
export function xenditCallback(input: XenditCallbackInput) {
  const now = new Date().toISOString()
  const common = {
    id: input.id,
    external_id: input.externalId,
    user_id: USER_ID,
    status: input.status,
    merchant_name: MERCHANT,
    amount: input.amount,
    description: input.description ?? 'Booking',
    currency: input.currency ?? 'IDR',
    created: input.created ?? now,
    updated: now,
  }
  if (input.status !== 'PAID') return JSON.stringify(common)
  return JSON.stringify({
    ...common,
    is_high: false,
    payment_method: 'BANK_TRANSFER',
    paid_amount: input.paidAmount ?? input.amount,
    bank_code: 'BCA',
    paid_at: now,
    payer_email: 'sari@example.com',
    adjusted_received_amount: input.paidAmount ?? input.amount,
    fees_paid_amount: 0,
    payment_channel: 'BCA',
    payment_destination: `8808${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`,
  })
}

/**
 * A stand-in for Xendit Invoices: `POST /v2/invoices` (HTTP Basic `secret_key:`, JSON) answers 200
 * with the invoice, or Xendit's `{"error_code", "message"}` (401 INVALID_API_KEY, 400
 * API_VALIDATION_ERROR, scripted failures). Its `invoice_url` serves a plain HTML payment page with
 * a "Bayar" and an "Expire" button: pressing one makes the fake POST the invoice callback (PAID or
 * EXPIRED) with the `x-callback-token` header to `notificationUrl`, as Xendit does, then redirect
 * the browser to the invoice's success (or failure) redirect URL.
 */
export class FakeXenditInvoices extends NotifyingHttpFake<{
  status: number
  code: string
  message: string
}> {
  secretKey = 'xnd_development_FAKE0123456789abcdefghijklmnopqrstuv'
  callbackToken = 'fake-xendit-callback-token-0123456789'
  readonly invoices: XenditInvoice[] = []

  failNext(
    count: number,
    status = 503,
    code = 'SERVER_ERROR',
    message = 'Something unexpected happened, we are investigating this issue right now'
  ) {
    return this.scriptFailures(count, { status, code, message })
  }

  override reset() {
    super.reset()
    this.invoices.length = 0
  }

  invoiceFor(externalId: string) {
    return this.invoices.find((invoice) => invoice.externalId === externalId) ?? null
  }

  /** What happened to the invoice at Xendit (paid, perhaps another amount; expired): get-invoice reports it from now on. */
  record(
    externalId: string,
    status: 'PENDING' | 'PAID' | 'EXPIRED',
    options: { paidAmount?: number } = {}
  ) {
    const invoice = this.invoiceFor(externalId)
    if (!invoice) return null
    invoice.status = status
    invoice.paidAmount = status === 'PAID' ? (options.paidAmount ?? invoice.amount) : null
    return invoice
  }

  /** Sends the invoice's callback of `status` with the fake's callback token (its status changes first). */
  async notify(
    externalId: string,
    status: 'PAID' | 'EXPIRED',
    options: Partial<XenditCallbackInput> & { token?: string } = {}
  ) {
    const invoice = this.record(externalId, status, { paidAmount: options.paidAmount })
    if (!invoice) throw new Error(`no Xendit invoice ${externalId}`)
    const body = xenditCallback({
      id: invoice.id,
      externalId,
      status,
      amount: invoice.amount,
      currency: invoice.currency,
      description: invoice.payload.description,
      created: invoice.created,
      ...options,
    })
    return this.sendNotification(body, { 'x-callback-token': options.token ?? this.callbackToken })
  }

  protected async answer(request: ReceivedRequest): Promise<FakeAnswer> {
    const path = request.path.split('?')[0]
    if (path === '/v2/invoices')
      return request.method === 'POST'
        ? this.#create(request)
        : xenditError(404, 'NOT_FOUND', 'Not found')
    const getInvoice = /^\/v2\/invoices\/([^/]+)$/.exec(path)
    if (getInvoice && request.method === 'GET')
      return this.#get(request, decodeURIComponent(getInvoice[1]))
    const page = /^\/web\/([0-9a-f]{24})(\/pay|\/expire)?$/.exec(path)
    const invoice = page ? this.invoices.find((candidate) => candidate.id === page[1]) : null
    if (!page || !invoice) return xenditError(404, 'INVOICE_NOT_FOUND_ERROR', 'Invoice not found')
    if (!page[2] && request.method === 'GET') return html(200, this.#page(invoice))
    if (page[2] && request.method === 'POST')
      return this.#finish(invoice, page[2] === '/pay' ? 'PAID' : 'EXPIRED')
    return xenditError(404, 'NOT_FOUND', 'Not found')
  }

  #authorized(request: ReceivedRequest) {
    const [user, password] = basicCredentials(request)
    return user === this.secretKey && password === ''
  }

  /** Get-invoice, `GET /v2/invoices/{id}`: the invoice as the fake knows it now. */
  #get(request: ReceivedRequest, id: string): FakeAnswer {
    if (!this.#authorized(request))
      return xenditError(401, 'INVALID_API_KEY', 'API key is not authorized for this API service')
    const failure = this.nextFailure()
    if (failure) return xenditError(failure.status, failure.code, failure.message)
    const invoice = this.invoices.find((candidate) => candidate.id === id)
    if (!invoice) return xenditError(404, 'INVOICE_NOT_FOUND_ERROR', 'Invoice not found')
    const paid =
      invoice.status === 'PAID'
        ? {
            paid_amount: invoice.paidAmount ?? invoice.amount,
            paid_at: new Date().toISOString(),
            payment_method: 'BANK_TRANSFER',
            bank_code: 'BCA',
          }
        : {}
    return {
      status: 200,
      body: {
        id: invoice.id,
        external_id: invoice.externalId,
        user_id: USER_ID,
        status: invoice.status,
        merchant_name: MERCHANT,
        amount: invoice.amount,
        currency: invoice.currency,
        description: invoice.payload.description ?? null,
        expiry_date: invoice.expiryDate,
        invoice_url: `${this.url}/web/${invoice.id}`,
        created: invoice.created,
        updated: new Date().toISOString(),
        ...paid,
      },
    }
  }

  #create(request: ReceivedRequest): FakeAnswer {
    if (!this.#authorized(request))
      return xenditError(401, 'INVALID_API_KEY', 'API key is not authorized for this API service')
    const failure = this.nextFailure()
    if (failure) return xenditError(failure.status, failure.code, failure.message)
    let payload: any
    try {
      payload = JSON.parse(request.raw)
    } catch {
      return xenditError(400, 'API_VALIDATION_ERROR', 'Invalid JSON')
    }
    if (typeof payload?.external_id !== 'string' || !payload.external_id)
      return xenditError(400, 'API_VALIDATION_ERROR', '"external_id" is required')
    if (typeof payload.amount !== 'number' || payload.amount <= 0)
      return xenditError(400, 'API_VALIDATION_ERROR', '"amount" must be a positive number')
    const currency = payload.currency ?? 'IDR'
    if (!['IDR', 'PHP', 'MYR', 'THB', 'VND'].includes(currency))
      return xenditError(
        400,
        'UNSUPPORTED_CURRENCY',
        `Currency ${currency} is not configured for invoices`
      )
    if (currency === 'IDR' && !Number.isInteger(payload.amount))
      return xenditError(400, 'API_VALIDATION_ERROR', '"amount" must be an integer for IDR')
    const duration = payload.invoice_duration ?? 86_400
    if (!Number.isInteger(duration) || duration < 1 || duration > 31_536_000)
      return xenditError(
        400,
        'API_VALIDATION_ERROR',
        '"invoice_duration" must be between 1 and 31536000'
      )

    const id = randomBytes(12).toString('hex')
    const created = new Date().toISOString()
    const expiryDate = new Date(Date.now() + duration * 1000).toISOString()
    const invoice: XenditInvoice = {
      id,
      externalId: payload.external_id,
      amount: payload.amount,
      currency,
      payload,
      authorization: String(request.headers.authorization),
      status: 'PENDING',
      paidAmount: null,
      created,
      expiryDate,
    }
    this.invoices.push(invoice)
    return {
      status: 200,
      body: {
        id,
        external_id: invoice.externalId,
        user_id: USER_ID,
        status: 'PENDING',
        merchant_name: MERCHANT,
        merchant_profile_picture_url: 'https://du8nwjtfkinx.cloudfront.net/xendit.png',
        amount: invoice.amount,
        description: payload.description ?? null,
        expiry_date: expiryDate,
        invoice_url: `${this.url}/web/${id}`,
        available_banks: [
          {
            bank_code: 'BCA',
            collection_type: 'POOL',
            transfer_amount: invoice.amount,
            bank_branch: 'Virtual Account',
            account_holder_name: MERCHANT,
            identity_amount: 0,
          },
        ],
        available_retail_outlets: [],
        available_ewallets: [],
        available_qr_codes: [{ qr_code_type: 'QRIS' }],
        should_exclude_credit_card: false,
        should_send_email: false,
        success_redirect_url: payload.success_redirect_url ?? null,
        failure_redirect_url: payload.failure_redirect_url ?? null,
        created,
        updated: created,
        currency,
        customer: payload.customer ?? null,
        items: payload.items ?? [],
      },
    }
  }

  async #finish(invoice: XenditInvoice, status: 'PAID' | 'EXPIRED'): Promise<FakeAnswer> {
    if (invoice.status !== 'PENDING')
      return html(409, `<p>Invoice ${escapeHtml(invoice.externalId)} sudah ${invoice.status}.</p>`)
    if (!this.notificationUrl) return html(500, '<p>The fake Xendit has no notification URL.</p>')
    const sent = await this.notify(invoice.externalId, status)
    if (sent.status !== 200)
      return html(502, `<p>Callback URL answered ${sent.status}: ${escapeHtml(sent.answer)}</p>`)
    const back =
      status === 'PAID'
        ? invoice.payload.success_redirect_url
        : (invoice.payload.failure_redirect_url ?? invoice.payload.success_redirect_url)
    if (typeof back !== 'string')
      return html(200, `<p>Invoice ${escapeHtml(invoice.externalId)}: ${status}.</p>`)
    return { status: 302, body: '', headers: { 'location': back, 'content-type': 'text/plain' } }
  }

  #page(invoice: XenditInvoice) {
    const amount = new Intl.NumberFormat('id-ID').format(invoice.amount)
    return paymentPage({
      title: 'Xendit Invoice (fake)',
      testIdPrefix: 'xendit',
      base: `/web/${invoice.id}`,
      status: invoice.status === 'PENDING' ? null : invoice.status,
      lines: [
        `<p>${escapeHtml(String(invoice.payload.description ?? ''))}</p>`,
        `<p>External ID <code data-testid="xendit-order">${escapeHtml(invoice.externalId)}</code></p>`,
        `<p>Total <strong data-testid="xendit-amount">${invoice.currency === 'IDR' ? 'Rp' : invoice.currency} ${amount}</strong></p>`,
        '<p>BCA Virtual Account</p>',
      ],
    })
  }
}

function xenditError(status: number, code: string, message: string): FakeAnswer {
  return { status, body: { error_code: code, message } }
}
