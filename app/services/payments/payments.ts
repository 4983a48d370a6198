import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import Booking from '#models/booking'
import Invoice from '#models/invoice'
import BookingEvent from '#models/booking_event'
import Payment from '#models/payment'
import PaymentAccount from '#models/payment_account'
import PaymentNotification from '#models/payment_notification'
import Tenant from '#models/tenant'
import DomainError from '#exceptions/domain_error'
import BookingService from '#services/bookings/booking_service'
import InvoiceService from '#services/billing/invoice_service'
import { invoiceUrl } from '#services/billing/billing_messaging'
import { PAYABLE_INVOICE_STATUSES } from '#services/billing/invoice_state_machine'
import clock from '#support/clock'
import metrics from '#support/metrics'
import { isUniqueViolation } from '#support/database'
import { withSqlTransaction } from '#support/sql'
import { fromSqlDateTime, toSqlDateTime } from '#models/columns'
import { PROVIDER_TIMEOUT_MS } from '#channels/http'
import {
  PaymentGatewayError,
  minorUnits,
  toWholeUnits,
  type GatewayStatus,
} from '#services/payments/gateway'
import { accountReady, gatewayFor } from '#services/payments/registry'
import { BoundedMap } from '#support/bounded_map'
import {
  validMidtransSignature,
  validXenditToken,
  type MidtransSigned,
} from '#services/payments/signatures'
import {
  ATTENTION_OUTCOMES,
  midtransCodeAgrees,
  midtransVerdict,
  nextPaymentStatus,
  xenditVerdict,
  type GatewayVerdict,
  type NotificationOutcome,
} from '#services/payments/payment_state'
import type { PaymentProvider, PaymentStatus } from '#enums/booking'
import { bookingUrl } from '#support/urls'
import { inject } from '@adonisjs/core'

/** What the webhook answers: the HTTP status and a small JSON body. */
export interface NotificationAnswer {
  status: 200 | 400 | 401 | 404 | 409 | 503
  body: Record<string, unknown>
}

/** A verified notification, in the terms both gateways share. */
interface Notice {
  orderId: string
  /** The gateway's own id (Midtrans transaction_id, Xendit invoice id). */
  externalId: string | null
  /** The gateway's status word, as stored. */
  status: string
  verdict: GatewayVerdict
  /** The amount the gateway reports, in minor units; null when it is missing or unreadable. */
  amount: number | null
  currency: string | null
  at: DateTime | null
  dedupeKey: string
  raw: string
}

/** What the transaction decided for one notification. */
interface Decision {
  outcome: NotificationOutcome
  /** The payment's new status, when it moves. */
  status: PaymentStatus | null
}

/** What a payment page is made for: a booking's prepayment or an invoice. */
interface Payable {
  tenant: Tenant
  owner: { bookingId: string } | { invoiceId: number }
  /** The order id's middle part: the booking's code, `I<invoice id>`. */
  reference: string
  /** How the customer knows it: the booking's code, the invoice's number. */
  label: string
  amount: number
  currency: string
  /** How long the page stays payable. */
  minutes: number
  description: string
  item: { id: string; name: string }
  customer: { name: string; phone: string | null; email: string | null }
  returnUrl: string
}

/** Why an invoice does not take a gateway's payment: no longer unpaid, or its total changed since the page was made. */
const INVOICE_REFUSALS = ['invoice_step_refused', 'invoice_amount_changed']

/** An invoice link stays payable for a day; the customer's next visit makes a new one. */
const INVOICE_LINK_MINUTES = 24 * 60

/** A payment page is reused while it has at least this long left. */
const REUSE_MARGIN_MINUTES = 1

/** How long another request's gateway call may be waited for before this one gives up. */
const IN_FLIGHT_MS = PROVIDER_TIMEOUT_MS + 2_000

/**
 * Prepayment of bookings through the tenant's gateway (Midtrans Snap or Xendit Invoices): the
 * payment page of a booking waiting for its payment, and the gateway's notifications, which are
 * verified (signature or callback token, in constant time), stored raw once each, and applied to
 * the payment with a state machine that only moves forward; a paid payment confirms its booking
 * (BookingService.markPaid), an expired one releases it (BookingService.expireUnpaid).
 */
@inject()
export default class Payments {
  constructor(
    protected bookings: BookingService,
    protected invoices: InvoiceService
  ) {}

  /**
   * The payment page of a booking waiting for its prepayment: the pending one when it is still
   * payable, otherwise a new payment (order id `LK-<tenant>-<booking code>-<n>`) made through the
   * tenant's active account of its chosen gateway. When the gateway cannot make it (down, slow,
   * refusing), the attempt is marked failed, the booking stays `pending_payment` and a DomainError
   * says so; calling again makes a new attempt. Two requests at once make one page.
   */
  ensureLink(booking: Pick<Booking, 'id' | 'tenantId'>): Promise<string> {
    return this.#ensure(async () => {
      const current = await Booking.forTenant(booking.tenantId)
        .where('id', booking.id)
        .preload('service')
        .first()
      if (!current) throw new DomainError('booking_not_found', {}, 404)
      if (current.status !== 'pending_payment')
        throw new DomainError('payment_not_needed', { code: current.code }, 409)
      const now = clock.now()
      if (!current.payBy || current.payBy <= now.plus({ minutes: REUSE_MARGIN_MINUTES })) {
        throw new DomainError('payment_time_over', { code: current.code }, 409)
      }
      const tenant = await Tenant.findOrFail(current.tenantId)
      const serviceName = current.service.nameIn(current.locale ?? tenant.locale)
      return {
        tenant,
        owner: { bookingId: current.id },
        reference: current.code,
        label: current.code,
        amount: current.price,
        currency: current.currency,
        minutes: Math.floor(current.payBy.diff(now, 'minutes').minutes),
        description: `${serviceName} · ${current.code} · ${tenant.name}`,
        item: { id: `service-${current.serviceId}`, name: serviceName },
        customer: {
          name: current.customerName,
          phone: current.customerPhone,
          email: current.customerEmail,
        },
        returnUrl: bookingUrl(current.id),
      }
    })
  }

  /**
   * The payment page of an approved or sent invoice (order id `LK-<tenant>-I<invoice id>-<n>`),
   * through the same gateway as the tenant's prepayments, payable for a day; made again when the
   * customer comes back after it lapsed. A paid notification marks the invoice paid.
   */
  ensureInvoiceLink(invoice: Pick<Invoice, 'id' | 'tenantId'>): Promise<string> {
    return this.#ensure(async () => {
      const current = await Invoice.forTenant(invoice.tenantId).where('id', invoice.id).first()
      if (!current) throw new DomainError('invoice_not_found', {}, 404)
      if (!PAYABLE_INVOICE_STATUSES.includes(current.status))
        throw new DomainError('payment_not_needed', { code: current.label }, 409)
      const tenant = await Tenant.findOrFail(current.tenantId)
      return {
        tenant,
        owner: { invoiceId: current.id },
        reference: `I${current.id}`,
        label: current.label,
        amount: current.total,
        currency: current.currency,
        minutes: INVOICE_LINK_MINUTES,
        description: `${current.label} · ${tenant.name}`,
        item: { id: `invoice-${current.id}`, name: current.label },
        customer: {
          name: current.billToName,
          phone: current.billToPhone,
          email: current.billToEmail,
        },
        returnUrl: invoiceUrl(current),
      }
    })
  }

  /** The tenant's account that takes payments (its chosen gateway, switched on and complete), if any. */
  async activeAccount(tenant: Pick<Tenant, 'id' | 'booking'>) {
    const provider = tenant.booking.paymentProvider
    if (!provider) return null
    const account = await PaymentAccount.forTenant(tenant.id)
      .where('provider', provider)
      .where('is_active', true)
      .first()
    return account && accountReady(account) ? account : null
  }

  /**
   * The payment page of what `load` reads (again on every turn, throwing when it no longer needs
   * paying): its pending payment's page while that stays payable, or a new one from the gateway.
   */
  async #ensure(load: () => Promise<Payable>): Promise<string> {
    const deadline = Date.now() + IN_FLIGHT_MS
    for (;;) {
      const payable = await load()
      const { tenant, owner } = payable
      const now = clock.now()
      const payments = await Payment.forTenant(tenant.id)
        .where(ownerColumn(owner), ownerId(owner))
        .orderBy('id', 'desc')
      const paid = payments.find((payment) => payment.status === 'paid')
      if (paid) {
        // The gateway said paid but the booking or invoice did not hear of it (a crash in between): tell it now.
        await this.#settle(settleTarget(paid))
        throw new DomainError('payment_not_needed', { code: payable.label }, 409)
      }
      const latest = payments[0]
      if (latest?.status === 'pending') {
        if (
          latest.paymentUrl &&
          latest.amount === payable.amount &&
          (!latest.expiresAt || latest.expiresAt > now.plus({ minutes: REUSE_MARGIN_MINUTES }))
        )
          return latest.paymentUrl
        if (!latest.paymentUrl && latest.createdAt.toMillis() > now.toMillis() - IN_FLIGHT_MS) {
          // Another request is asking the gateway for this page right now: wait for it.
          if (Date.now() > deadline)
            throw new DomainError(
              'payment_gateway_unavailable',
              { gateway: gatewayName(latest.provider) },
              503
            )
          await sleep(100)
          continue
        }
        if (!latest.paymentUrl)
          await Payment.forTenant(tenant.id)
            .where('id', latest.id)
            .where('status', 'pending')
            .whereNull('payment_url')
            .update({ status: 'failed' })
      }

      const account = await this.activeAccount(tenant)
      if (!account) throw new DomainError('payment_unavailable', {}, 409)
      const { provider } = account
      const gateway = gatewayFor(account)
      if (!gateway.currencies.includes(payable.currency)) {
        throw new DomainError(
          'payment_currency_unsupported',
          { currency: payable.currency, gateway: gatewayName(provider) },
          422
        )
      }
      toWholeUnits(payable.amount, payable.currency)

      let payment: Payment
      try {
        payment = await Payment.create({
          tenantId: tenant.id,
          ...owner,
          provider,
          orderId: `LK-${tenant.id}-${payable.reference}-${payments.length + 1}`,
          amount: payable.amount,
          currency: payable.currency,
          status: 'pending',
          expiresAt: now.plus({ minutes: payable.minutes }),
        })
      } catch (error) {
        // Another request took this attempt's number first: look again.
        if (isUniqueViolation(error)) continue
        throw error
      }

      try {
        const link = await gateway.createLink({
          orderId: payment.orderId,
          amount: payment.amount,
          currency: payment.currency,
          description: payable.description,
          item: payable.item,
          customer: payable.customer,
          minutes: payable.minutes,
          returnUrl: payable.returnUrl,
        })
        payment.merge({
          paymentUrl: link.url,
          externalId: link.externalId,
          expiresAt: link.expiresAt < payment.expiresAt! ? link.expiresAt : payment.expiresAt,
        })
        await payment.save()
        return link.url
      } catch (error) {
        payment.status = 'failed'
        await payment.save()
        if (!(error instanceof PaymentGatewayError)) throw error
        logger.warn(
          {
            tenant: tenant.slug,
            provider,
            order_id: payment.orderId,
            kind: error.kind,
            status: error.httpStatus,
            err: error.message,
          },
          'payment link not made'
        )
        const named = { gateway: gatewayName(provider) }
        if (error.kind === 'unavailable')
          throw new DomainError('payment_gateway_unavailable', named, 503)
        throw new DomainError('payment_gateway_refused', named, 502)
      }
    }
  }

  /**
   * A Midtrans HTTP notification to the tenant's URL. Its `signature_key` must be
   * SHA512(order_id + status_code + gross_amount + server_key) over the strings as received;
   * otherwise 401, nothing stored, one warning logged.
   */
  handleMidtrans(tenantSlug: string, rawBody: string | null): Promise<NotificationAnswer> {
    return measured('midtrans', () => this.#midtrans(tenantSlug, rawBody))
  }

  /**
   * A Xendit invoice callback to the tenant's URL. Its `x-callback-token` header must equal the
   * account's callback verification token; otherwise 401, nothing stored, one warning logged.
   */
  handleXendit(
    tenantSlug: string,
    callbackToken: string | null | undefined,
    rawBody: string | null
  ): Promise<NotificationAnswer> {
    return measured('xendit', () => this.#xendit(tenantSlug, callbackToken, rawBody))
  }

  async #midtrans(tenantSlug: string, rawBody: string | null): Promise<NotificationAnswer> {
    const body = parseObject(rawBody)
    const signed =
      body !== null &&
      ['order_id', 'status_code', 'gross_amount', 'signature_key'].every(
        (key) => typeof body[key] === 'string'
      )
    const account = await this.#verifiedAccount(
      tenantSlug,
      'midtrans',
      (settings) =>
        signed && validMidtransSignature(body as MidtransSigned, text(settings.server_key) ?? '')
    )
    if (account === 'unknown') return unknownTenant(tenantSlug, 'midtrans')
    if (!body) return { status: 400, body: { error: 'malformed_json' } }
    if (account === 'rejected') return rejected(tenantSlug, 'midtrans', 'invalid_signature')
    const status = text(body.transaction_status) ?? 'unknown'
    const transactionId = text(body.transaction_id)
    const verdict = midtransVerdict(status, text(body.fraud_status))
    // The signature covers the status code, not the status: a signed `pending` (201) edited to say
    // `settlement` keeps a valid signature, but its code then disagrees with its status.
    if (!midtransCodeAgrees(verdict, status, body.status_code))
      return rejected(tenantSlug, 'midtrans', 'status_code_mismatch', 400)
    return this.#process(account, {
      orderId: body.order_id,
      externalId: transactionId,
      status,
      verdict,
      amount: minorUnits(body.gross_amount),
      currency: text(body.currency),
      at: midtransTime(text(body.settlement_time) ?? text(body.transaction_time)),
      // A challenged capture accepted later may come with the same status code: the fraud status tells them apart.
      dedupeKey: dedupeKey(
        transactionId ?? body.order_id,
        status,
        body.status_code,
        text(body.fraud_status)
      ),
      raw: rawBody!,
    })
  }

  async #xendit(
    tenantSlug: string,
    callbackToken: string | null | undefined,
    rawBody: string | null
  ): Promise<NotificationAnswer> {
    const account = await this.#verifiedAccount(tenantSlug, 'xendit', (settings) =>
      validXenditToken(callbackToken, text(settings.callback_token))
    )
    if (account === 'unknown') return unknownTenant(tenantSlug, 'xendit')
    if (account === 'rejected') return rejected(tenantSlug, 'xendit', 'invalid_token')
    const body = parseObject(rawBody)
    if (!body) return { status: 400, body: { error: 'malformed_json' } }
    const id = text(body.id)
    const orderId = text(body.external_id)
    const status = text(body.status)
    if (!id || !orderId || !status) return { status: 400, body: { error: 'missing_fields' } }
    const verdict = xenditVerdict(status)
    const reported =
      verdict === 'paid' && typeof body.paid_amount === 'number' ? body.paid_amount : body.amount
    return this.#process(account, {
      orderId,
      externalId: id,
      status,
      verdict,
      amount:
        typeof reported === 'number' && Number.isFinite(reported)
          ? Math.round(reported * 100)
          : null,
      currency: text(body.currency),
      at: isoTime(text(body.paid_at)),
      dedupeKey: dedupeKey(id, status),
      raw: rawBody!,
    })
  }

  /** Forgets the accounts this server remembers for the tenant (after an owner changed them). */
  forgetAccounts(tenantId: number) {
    for (const [key, account] of knownAccounts)
      if (account.tenantId === tenantId) knownAccounts.delete(key)
  }

  /**
   * Stores the notification and moves the payment in one transaction (the payment row locked),
   * then brings the booking in line. A repeat is found by its key (or clashes with the stored
   * one's unique index when both arrive at once): nothing changes, and the answer is still 200.
   * This is the gateways' hot path: plain SQL on one pooled connection (withSqlTransaction).
   */
  async #process(account: KnownAccount, received: Notice): Promise<NotificationAnswer> {
    const { tenantId, provider } = account
    const earlier = await seenNotification(tenantId, provider, received.dedupeKey)
    if (earlier) return this.#repeat(earlier)
    const confirmed = await this.#confirmed(account, received)
    if ('answer' in confirmed) return confirmed.answer
    const { notice } = confirmed

    let done: {
      payment: PaymentRow | null
      decision: Decision
      notificationId: number
      paidAt: DateTime | null
    }
    try {
      done = await withSqlTransaction(async (sql) => {
        const [payment] = await sql.all<PaymentRow>(
          `${PAYMENT_BY_ORDER}${sql.dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
          [tenantId, provider, notice.orderId.slice(0, 64)]
        )
        const decision = decide(provider, payment ?? null, notice)
        const now = clock.now()
        const { insertId } = await sql.run(
          'INSERT INTO payment_notifications (tenant_id, payment_id, provider, dedupe_key, status, raw, outcome, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          [
            tenantId,
            payment?.id ?? null,
            provider,
            notice.dedupeKey,
            notice.status.slice(0, 32),
            notice.raw,
            decision.outcome,
            toSqlDateTime(now),
          ]
        )
        const paidAt = decision.status === 'paid' ? (notice.at ?? now) : null
        const learnsId = Boolean(
          payment &&
          !payment.external_id &&
          notice.externalId &&
          decision.outcome !== 'amount_mismatch' &&
          decision.outcome !== 'unknown_order'
        )
        if (payment && (decision.status || learnsId)) {
          await sql.run(
            'UPDATE payments SET status = ?, paid_at = COALESCE(?, paid_at), external_id = COALESCE(external_id, ?), updated_at = ? WHERE id = ?',
            [
              decision.status ?? payment.status,
              paidAt ? toSqlDateTime(paidAt) : null,
              learnsId ? notice.externalId!.slice(0, 120) : null,
              toSqlDateTime(now),
              payment.id,
            ]
          )
        }
        return { payment: payment ?? null, decision, notificationId: insertId, paidAt }
      })
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      const seen = await seenNotification(tenantId, provider, notice.dedupeKey)
      if (!seen) throw error
      return this.#repeat(seen)
    }

    let outcome = done.decision.outcome
    const { payment } = done
    if (payment) {
      const status = done.decision.status ?? payment.status
      const target: SettleTarget = {
        id: payment.id,
        orderId: payment.order_id,
        amount: Number(payment.amount),
        bookingId: payment.booking_id,
        invoiceId: payment.invoice_id,
        tenantId,
        status,
        paidAt: done.paidAt,
      }
      if (outcome === 'applied' && (status === 'paid' || status === 'expired')) {
        const settled = await this.#settle(target)
        if (settled === 'gone' || settled === 'twice') {
          // The booking expired or was cancelled (the invoice voided), or another payment paid it, between the payment's transaction and this one.
          outcome = settled === 'gone' ? 'paid_after_expiry' : 'paid_twice'
          await PaymentNotification.query().where('id', done.notificationId).update({ outcome })
        }
      } else if (
        outcome === 'ignored' &&
        awaitsPayment(payment) &&
        (status === 'paid' || status === 'expired')
      ) {
        // A stale notification for a payment whose booking or invoice never heard of it (a crash in between): finish that.
        await this.#settle(target)
      }
    }
    if (ATTENTION_OUTCOMES.includes(outcome)) {
      logger.warn(
        { tenant: account.slug, provider, order_id: notice.orderId, outcome },
        'payment notification needs an owner'
      )
    }
    return { status: 200, body: { received: true, outcome } }
  }

  /**
   * A notification that would mark money as received is believed only when the gateway's own
   * status API says so too (Midtrans `GET /v2/{order_id}/status`, Xendit's get-invoice): a signed
   * message can be replayed or, where the signature covers few fields, edited, and a leaked key
   * signs anything. The gateway's answer gives the amount and currency used from then on. When it
   * disagrees (still pending, unknown), nothing is stored and 409 asks the gateway to send it again
   * later; when it cannot be asked, 503 does the same. Notifications that move no money pass as they are.
   */
  async #confirmed(
    account: KnownAccount,
    notice: Notice
  ): Promise<{ notice: Notice } | { answer: NotificationAnswer }> {
    if (notice.verdict !== 'paid') return { notice }
    const payment = await readPayment(account.tenantId, account.provider, notice.orderId)
    if (decide(account.provider, payment, notice).status !== 'paid') return { notice }
    let status: GatewayStatus | null
    try {
      status = await gatewayFor(account).status({
        orderId: notice.orderId,
        externalId: notice.externalId ?? payment?.external_id ?? null,
      })
    } catch (error) {
      if (!(error instanceof PaymentGatewayError)) throw error
      logger.warn(
        {
          tenant: account.slug,
          provider: account.provider,
          order_id: notice.orderId,
          err: error.message,
        },
        'payment status could not be confirmed'
      )
      return { answer: { status: 503, body: { error: 'gateway_unavailable' } } }
    }
    if (status?.verdict !== 'paid') {
      logger.warn(
        {
          tenant: account.slug,
          provider: account.provider,
          order_id: notice.orderId,
          said: notice.status,
          gateway: status?.status ?? 'not_found',
        },
        'payment notification not confirmed by the gateway'
      )
      return { answer: { status: 409, body: { error: 'not_confirmed' } } }
    }
    return {
      notice: {
        ...notice,
        amount: status.amount,
        currency: status.currency ?? notice.currency,
        externalId: notice.externalId ?? status.externalId,
      },
    }
  }

  /**
   * A repeat changes nothing, but when the first one's work on the booking was cut short (the
   * process stopped between the two transactions), the repeat finishes it.
   */
  async #repeat(seen: SeenRow): Promise<NotificationAnswer> {
    const status = seen.payment_status
    if (seen.payment_id && awaitsPayment(seen) && (status === 'paid' || status === 'expired')) {
      await this.#settle({
        id: seen.payment_id,
        orderId: seen.order_id!,
        amount: Number(seen.payment_amount),
        bookingId: seen.booking_id,
        invoiceId: seen.invoice_id,
        tenantId: seen.tenant_id,
        status,
        paidAt: fromSqlDateTime(seen.payment_paid_at),
      })
    }
    return { status: 200, body: { received: true, outcome: 'duplicate' } }
  }

  /**
   * The booking or invoice as its payment says: 'paid' when the payment paid it (now or before),
   * 'gone' when it no longer waited for money (expired, cancelled, voided), 'twice' when another
   * payment had paid it.
   */
  #settle(payment: SettleTarget): Promise<'paid' | 'gone' | 'twice' | null> {
    if (payment.invoiceId !== null) return this.#settleInvoice(payment, payment.invoiceId)
    return this.#settleBooking(payment, payment.bookingId!)
  }

  /** A paid payment marks its invoice paid; an expired one changes nothing (the customer can pay again). */
  async #settleInvoice(payment: SettleTarget, invoiceId: number) {
    if (payment.status !== 'paid') return null
    try {
      await this.invoices.markPaidByGateway(invoiceId, payment.tenantId, {
        orderId: payment.orderId,
        amount: payment.amount,
        at: payment.paidAt ?? clock.now(),
      })
      return 'paid'
    } catch (error) {
      if (!(error instanceof DomainError) || !INVOICE_REFUSALS.includes(error.key)) throw error
      const invoice = await Invoice.forTenant(payment.tenantId).where('id', invoiceId).first()
      if (invoice?.status !== 'paid') return 'gone'
      return invoice.paymentReference === payment.orderId ? 'paid' : 'twice'
    }
  }

  /**
   * A paid payment confirms a booking still waiting for it ('paid'), or finds it gone ('gone':
   * expired or cancelled meanwhile); an expired one releases it, unless the customer has another
   * payment page still open.
   */
  async #settleBooking(
    payment: SettleTarget,
    bookingId: string
  ): Promise<'paid' | 'gone' | 'twice' | null> {
    if (payment.status === 'paid') {
      const { booking, changed } = await this.bookings.markPaid(bookingId, payment.tenantId, {
        paymentId: payment.id,
        at: payment.paidAt ?? undefined,
      })
      if (changed) return 'paid'
      // Already confirmed: by this payment (a repeat after a crash) or by another one (paid twice).
      if (!booking.paidAt) return 'gone'
      const paidByThis = await BookingEvent.forTenant(payment.tenantId)
        .where('booking_id', booking.id)
        .where('type', 'paid')
        .orderBy('id', 'desc')
        .first()
      return paidByThis?.data?.payment_id === payment.id ? 'paid' : 'twice'
    }
    if (payment.status === 'expired') {
      const open = await Payment.forTenant(payment.tenantId)
        .where('booking_id', bookingId)
        .where('status', 'pending')
        .whereNot('id', payment.id)
        .where((query) =>
          query.whereNull('expires_at').orWhere('expires_at', '>', toSqlDateTime(clock.now()))
        )
        .first()
      if (!open)
        await this.bookings.expireUnpaid(bookingId, payment.tenantId, { gatewaySaid: true })
    }
    return null
  }

  /**
   * The tenant's account at `provider` (switched off or not: payments under way still settle),
   * checked by `verify`. Accounts are remembered for a few seconds, so that a burst of
   * notifications does not read and decrypt the account each time; one that fails the check is
   * read again (at most once a second) before the notification is refused: the owner may just have
   * changed the key on another server.
   */
  async #verifiedAccount(
    slug: string,
    provider: PaymentProvider,
    verify: (settings: Record<string, any>) => boolean
  ) {
    const key = `${provider}:${slug}`
    const known = knownAccounts.get(key)
    const elapsed = known ? clock.now().toMillis() - known.readAt : Infinity
    // The clock service can be moved (tests): a moment before the reading counts as long ago.
    const age = elapsed >= 0 ? elapsed : Infinity
    if (known && age < ACCOUNT_TTL_MS && verify(known.settings)) return known
    // Read again at most once a second per account: a flood of forged notifications costs no queries.
    if (known && age < ACCOUNT_REREAD_MS) return 'rejected' as const
    const tenant = await Tenant.findBy('slug', slug)
    const row = tenant
      ? await PaymentAccount.forTenant(tenant.id).where('provider', provider).first()
      : null
    if (!tenant || !row) {
      knownAccounts.delete(key)
      return 'unknown' as const
    }
    const account: KnownAccount = {
      tenantId: tenant.id,
      slug,
      provider,
      settings: row.settings,
      readAt: clock.now().toMillis(),
    }
    knownAccounts.set(key, account)
    return verify(account.settings) ? account : ('rejected' as const)
  }
}

/** A tenant's gateway account as the notification handlers remember it. */
interface KnownAccount {
  tenantId: number
  slug: string
  provider: PaymentProvider
  settings: Record<string, any>
  readAt: number
}

const ACCOUNT_TTL_MS = 5_000
const ACCOUNT_REREAD_MS = 1_000
/** Gateway accounts remembered by slug and provider (a flood of made-up slugs empties it). */
const knownAccounts = new BoundedMap<string, KnownAccount>(1_000)

/** The payment a notification names (tenant, gateway, order id), with its booking's state. */
const PAYMENT_BY_ORDER = `SELECT p.id, p.order_id, p.booking_id, p.invoice_id, p.external_id, p.amount, p.currency, p.status,
       b.status AS booking_status, b.paid_at AS booking_paid_at, i.status AS invoice_status
  FROM payments p
  LEFT JOIN bookings b ON b.id = p.booking_id
  LEFT JOIN invoices i ON i.id = p.invoice_id
 WHERE p.tenant_id = ? AND p.provider = ? AND p.order_id = ?`

/** The payment a notification names, with its booking's or invoice's state, as the transaction reads it. */
interface PaymentRow extends PaidFor {
  id: number
  order_id: string
  external_id: string | null
  amount: number | string
  currency: string
  status: PaymentStatus
  booking_paid_at: unknown
}

/** What a payment pays for, and where that stands. */
interface PaidFor {
  booking_id: string | null
  booking_status: string | null
  invoice_id: number | null
  invoice_status: string | null
}

/** A stored notification, with its payment and what the payment is for. */
interface SeenRow extends PaidFor {
  id: number
  tenant_id: number
  payment_id: number | null
  order_id: string | null
  payment_amount: number | string | null
  payment_status: PaymentStatus | null
  payment_paid_at: unknown
}

interface SettleTarget {
  id: number
  orderId: string
  amount: number
  bookingId: string | null
  invoiceId: number | null
  tenantId: number
  status: PaymentStatus
  paidAt: DateTime | null
}

/** What a notification does to the payment it names (pure: the rules, given the rows). */
function decide(provider: PaymentProvider, payment: PaymentRow | null, notice: Notice): Decision {
  if (!payment) return { outcome: 'unknown_order', status: null }
  // A Xendit invoice is known by its id once it is made: another invoice with our order id is not this payment.
  if (
    provider === 'xendit' &&
    payment.external_id &&
    notice.externalId &&
    payment.external_id !== notice.externalId
  ) {
    return { outcome: 'unknown_order', status: null }
  }
  if (
    notice.amount !== Number(payment.amount) ||
    (notice.currency !== null && notice.currency !== payment.currency)
  ) {
    return { outcome: 'amount_mismatch', status: null }
  }
  const next = nextPaymentStatus(payment.status, notice.verdict)
  if (!next)
    return {
      outcome: payment.status === 'pending' && notice.verdict === 'pending' ? 'waiting' : 'ignored',
      status: null,
    }
  if (next === 'refunded') return { outcome: 'refunded', status: next }
  if (next === 'paid' && !awaitsPayment(payment)) {
    const paidAlready = payment.booking_paid_at || payment.invoice_status === 'paid'
    return { outcome: paidAlready ? 'paid_twice' : 'paid_after_expiry', status: next }
  }
  return { outcome: 'applied', status: next }
}

async function seenNotification(
  tenantId: number,
  provider: PaymentProvider,
  key: string
): Promise<SeenRow | null> {
  const seen = await PaymentNotification.forTenant(tenantId)
    .leftJoin('payments as p', 'p.id', 'payment_notifications.payment_id')
    .leftJoin('bookings as b', 'b.id', 'p.booking_id')
    .leftJoin('invoices as i', 'i.id', 'p.invoice_id')
    .where('payment_notifications.provider', provider)
    .where('payment_notifications.dedupe_key', key)
    .select(
      'payment_notifications.id',
      'payment_notifications.tenant_id',
      'payment_notifications.payment_id',
      'p.order_id',
      'p.amount as payment_amount',
      'p.status as payment_status',
      'p.paid_at as payment_paid_at',
      'p.booking_id',
      'b.status as booking_status',
      'p.invoice_id',
      'i.status as invoice_status'
    )
    .pojo<SeenRow>()
    .first()
  return seen ?? null
}

/** Whether the booking or invoice a payment is for still waits for its money. */
function awaitsPayment(row: PaidFor) {
  if (row.invoice_id !== null) return PAYABLE_INVOICE_STATUSES.includes(row.invoice_status as any)
  return row.booking_status === 'pending_payment'
}

/** What a payment row settles: its booking or its invoice. */
function settleTarget(payment: Payment): SettleTarget {
  return {
    id: payment.id,
    orderId: payment.orderId,
    amount: payment.amount,
    bookingId: payment.bookingId,
    invoiceId: payment.invoiceId,
    tenantId: payment.tenantId,
    status: payment.status,
    paidAt: payment.paidAt,
  }
}

function ownerColumn(owner: Payable['owner']) {
  return 'bookingId' in owner ? 'booking_id' : 'invoice_id'
}

function ownerId(owner: Payable['owner']) {
  return 'bookingId' in owner ? owner.bookingId : owner.invoiceId
}

/** Runs a notification's handling, counting its outcome and timing it for /metrics. */
async function measured(provider: PaymentProvider, work: () => Promise<NotificationAnswer>) {
  const started = performance.now()
  const answer = await work()
  metrics.paymentNotificationDuration.observe((performance.now() - started) / 1000)
  const outcome =
    answer.status === 200 ? String(answer.body.outcome) : String(answer.body.error ?? answer.status)
  metrics.paymentNotifications.inc({ provider, outcome })
  return answer
}

export function gatewayName(provider: PaymentProvider) {
  return provider === 'midtrans' ? 'Midtrans' : 'Xendit'
}

function rejected(
  tenant: string,
  provider: PaymentProvider,
  reason: string,
  status: 400 | 401 = 401
): NotificationAnswer {
  logger.warn({ tenant, provider, reason }, 'rejected payment notification')
  return { status, body: { error: reason } }
}

/** The payment a notification names, read without a lock (to decide whether to ask the gateway). */
async function readPayment(
  tenantId: number,
  provider: PaymentProvider,
  orderId: string
): Promise<PaymentRow | null> {
  const result = await db.rawQuery(PAYMENT_BY_ORDER, [tenantId, provider, orderId.slice(0, 64)])
  const rows = (db.connection().dialect.name === 'mysql' ? result[0] : result) as PaymentRow[]
  return rows[0] ?? null
}

function unknownTenant(tenant: string, provider: PaymentProvider): NotificationAnswer {
  logger.warn({ tenant, provider, reason: 'no_account' }, 'rejected payment notification')
  return { status: 404, body: { error: 'unknown_account' } }
}

function parseObject(raw: string | null): Record<string, any> | null {
  if (!raw) return null
  try {
    const value = JSON.parse(raw)
    return value && typeof value === 'object' && !Array.isArray(value) ? value : null
  } catch {
    return null
  }
}

function text(value: unknown) {
  return typeof value === 'string' && value !== '' ? value : null
}

/** What makes two notifications the same one, hashed to a fixed length. */
function dedupeKey(...parts: unknown[]) {
  return createHash('sha256')
    .update(parts.map((part) => String(part ?? '')).join('|'))
    .digest('hex')
}

/** Midtrans writes its times in Jakarta time: `2018-10-24 15:34:33`. */
function midtransTime(value: string | null) {
  if (!value) return null
  const moment = DateTime.fromFormat(value, 'yyyy-MM-dd HH:mm:ss', { zone: 'Asia/Jakarta' })
  return moment.isValid ? moment.toUTC() : null
}

function isoTime(value: string | null) {
  if (!value) return null
  const moment = DateTime.fromISO(value, { zone: 'utc' })
  return moment.isValid ? moment : null
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
