import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import env from '#start/env'
import type Booking from '#models/booking'
import BookingEvent from '#models/booking_event'
import Payment from '#models/payment'
import PaymentAccount from '#models/payment_account'
import PaymentNotification from '#models/payment_notification'
import AuditLog from '#models/audit_log'
import Tenant from '#models/tenant'
import User from '#models/user'
import BookingService from '#services/bookings/booking_service'
import BookingCron from '#services/bookings/booking_cron'
import Payments from '#services/payments/payments'
import clock from '#support/clock'
import { appUrl } from '#config/app'
import { createBookingWorld, tomorrow } from '#tests/helpers/bookings'
import { PASSWORD } from '#tests/helpers/world'
import { rejection } from '#tests/helpers/errors'
import { midtransNotification, sandboxServerKey } from '#tests/fakes/midtrans_snap'
import { xenditCallback } from '#tests/fakes/xendit_invoices'
import { notificationUrl, setupFakes, snap, xendit } from '#tests/helpers/payment_gateways'
import type { PaymentProvider } from '#enums/booking'
import app from '@adonisjs/core/services/app'

const bookingCron = await app.container.make(BookingCron)
const bookingService = await app.container.make(BookingService)

const bookings = await app.container.make(BookingService)
const payments = await app.container.make(Payments)

/** Rp 25.000 in sen. */
const PRICE = 2_500_000

const baseUrl = () => `http://${process.env.HOST}:${process.env.PORT}`

/** A tenant whose first service costs Rp 25.000 paid in advance through `provider`, with its account at the fake. */
async function prepaidWorld(
  provider: PaymentProvider,
  options: { serverKey?: string; price?: number; active?: boolean } = {}
) {
  const world = await createBookingWorld({
    price: options.price ?? PRICE,
    prepay: true,
    settings: { paymentProvider: provider, paymentMinutes: 30, slotMinutes: 30 },
  })
  const account = await PaymentAccount.create({
    tenantId: world.tenant.id,
    provider,
    isActive: options.active ?? true,
    settings:
      provider === 'midtrans'
        ? {
            server_key: options.serverKey ?? snap.serverKey,
            client_key: 'SB-Mid-client-FAKE',
            is_production: false,
          }
        : { secret_key: xendit.secretKey, callback_token: xendit.callbackToken },
  })
  const booking = await book(world, '09:00')
  return { ...world, account, booking }
}

type World = Awaited<ReturnType<typeof createBookingWorld>>

function book(world: World, time: string) {
  return bookings.book(world.entry, world.service, {
    date: tomorrow(),
    time,
    name: 'Sari',
    phone: '+6281234567890',
    email: 'sari@example.com',
    channel: 'web',
  })
}

/** Asks for the booking's payment link, and returns the pending payment it made. */
async function linkedPayment(booking: Booking) {
  await payments.ensureLink(booking)
  return Payment.query().where('booking_id', booking.id).firstOrFail()
}

function post(
  provider: PaymentProvider,
  slug: string,
  body: string,
  headers: Record<string, string> = {}
) {
  return fetch(notificationUrl(provider, slug), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  })
}

/** Collects the warnings logged while `work` runs. */
async function warnings(work: () => Promise<void>) {
  const seen: { data: any; message: string }[] = []
  const original = logger.warn
  logger.warn = ((data: any, message: string) => {
    seen.push({ data, message })
  }) as typeof logger.warn
  try {
    await work()
  } finally {
    logger.warn = original
  }
  return seen
}

function rowsOf(tenantId: number) {
  return PaymentNotification.query().where('tenant_id', tenantId).orderBy('id')
}

function paidEvents(bookingId: string) {
  return BookingEvent.query().where('booking_id', bookingId).where('type', 'paid')
}

/**
 * A signed Midtrans notification for `payment` (its amount as Midtrans writes it unless told). The
 * fake's transaction takes that status first: the notification tells what happened at Midtrans,
 * and Midtrans's status API (which Loket asks before believing money arrived) says the same.
 */
function midtransFor(
  payment: Payment,
  transactionStatus: string,
  options: Partial<Parameters<typeof midtransNotification>[0]> = {}
) {
  snap.record(payment.orderId, transactionStatus, {
    fraudStatus: options.fraudStatus,
    grossAmount: options.grossAmount,
  })
  return midtransNotification({
    orderId: payment.orderId,
    grossAmount: `${payment.amount / 100}.00`,
    transactionStatus,
    serverKey: snap.serverKey,
    transactionId: 'b9c5b3f0-6a5e-4c59-9d55-1c2f3d4e5f60',
    ...options,
  })
}

test.group('Payments: links', (group) => {
  setupFakes(group)

  test("a Midtrans link carries the booking's amount in whole rupiah, the server key and the booking page; asking again reuses it", async ({
    assert,
  }) => {
    const { booking, tenant } = await prepaidWorld('midtrans')
    const url = await payments.ensureLink(booking)

    assert.lengthOf(snap.transactions, 1)
    const [transaction] = snap.transactions
    assert.equal(url, `${snap.url}/snap/v4/redirection/${transaction.token}`)
    assert.equal(
      transaction.authorization,
      `Basic ${Buffer.from(`${snap.serverKey}:`).toString('base64')}`
    )
    const payload = transaction.payload
    assert.deepEqual(payload.transaction_details, {
      order_id: `LK-${tenant.id}-${booking.code}-1`,
      gross_amount: 25_000,
    })
    assert.deepInclude(payload.item_details[0], { price: 25_000, quantity: 1, name: 'Layanan 1' })
    assert.deepEqual(payload.customer_details, {
      first_name: 'Sari',
      phone: '+6281234567890',
      email: 'sari@example.com',
    })
    assert.equal(payload.expiry.unit, 'minute')
    assert.closeTo(payload.expiry.duration, 29, 1)
    assert.deepEqual(payload.callbacks, { finish: `${appUrl}/booking/${booking.id}` })

    const payment = await Payment.query().where('booking_id', booking.id).firstOrFail()
    assert.deepInclude(payment.$attributes, {
      provider: 'midtrans',
      amount: PRICE,
      currency: 'IDR',
      status: 'pending',
      paymentUrl: url,
    })
    assert.closeTo(payment.expiresAt!.diff(DateTime.now(), 'minutes').minutes, 29, 1)

    assert.equal(await payments.ensureLink(booking), url)
    assert.lengthOf(snap.transactions, 1, 'the pending page is reused')
    assert.equal(await bookingService.payUrl(booking), url)
    await booking.refresh()
    assert.equal(booking.status, 'pending_payment')
  })

  test('a Xendit invoice carries the amount in whole rupiah, its duration in seconds, the secret key and the booking page', async ({
    assert,
  }) => {
    const { booking, tenant } = await prepaidWorld('xendit')
    const url = await payments.ensureLink(booking)

    assert.lengthOf(xendit.invoices, 1)
    const [invoice] = xendit.invoices
    assert.equal(url, `${xendit.url}/web/${invoice.id}`)
    assert.equal(
      invoice.authorization,
      `Basic ${Buffer.from(`${xendit.secretKey}:`).toString('base64')}`
    )
    assert.deepInclude(invoice.payload, {
      external_id: `LK-${tenant.id}-${booking.code}-1`,
      amount: 25_000,
      currency: 'IDR',
      success_redirect_url: `${appUrl}/booking/${booking.id}`,
    })
    assert.deepEqual(invoice.payload.customer, {
      given_names: 'Sari',
      mobile_number: '+6281234567890',
      email: 'sari@example.com',
    })
    assert.equal(invoice.payload.invoice_duration % 60, 0)
    assert.closeTo(invoice.payload.invoice_duration, 29 * 60, 60)
    assert.include(invoice.payload.description, booking.code)

    const payment = await Payment.query().where('booking_id', booking.id).firstOrFail()
    assert.deepInclude(payment.$attributes, {
      provider: 'xendit',
      externalId: invoice.id,
      amount: PRICE,
      status: 'pending',
      paymentUrl: url,
    })
    // The earlier of the invoice's expiry and the booking's payment deadline.
    assert.isAtMost(payment.expiresAt!.toMillis(), Date.parse(invoice.expiryDate))
    assert.closeTo(payment.expiresAt!.toMillis(), Date.parse(invoice.expiryDate), 1000)
    assert.equal(await payments.ensureLink(booking), url)
    assert.lengthOf(xendit.invoices, 1)
  })

  test('five requests at once for the same booking make one payment page', async ({ assert }) => {
    const { booking } = await prepaidWorld('midtrans')
    const urls = await Promise.all(Array.from({ length: 5 }, () => payments.ensureLink(booking)))
    assert.lengthOf(new Set(urls), 1)
    assert.lengthOf(snap.transactions, 1)
    assert.lengthOf(await Payment.query().where('booking_id', booking.id), 1)
  })

  test('gateway down: no link, the booking still waits for its payment, and a later try makes one', async ({
    assert,
  }) => {
    const { booking, tenant } = await prepaidWorld('midtrans')
    snap.failNext(1, 503)
    const down = await rejection(payments.ensureLink(booking))
    assert.equal(down?.key, 'payment_gateway_unavailable')
    assert.equal(down?.status, 503)

    env.set('MIDTRANS_SNAP_URL', 'http://127.0.0.1:9')
    try {
      const refused = await rejection(payments.ensureLink(booking))
      assert.equal(refused?.key, 'payment_gateway_unavailable', 'connection refused')
    } finally {
      env.set('MIDTRANS_SNAP_URL', snap.url)
    }

    await booking.refresh()
    assert.equal(booking.status, 'pending_payment')
    assert.isNull(await bookingService.payUrl(booking))
    const attempts = await Payment.query().where('booking_id', booking.id).orderBy('id')
    assert.deepEqual(
      attempts.map((attempt) => [attempt.orderId, attempt.status]),
      [
        [`LK-${tenant.id}-${booking.code}-1`, 'failed'],
        [`LK-${tenant.id}-${booking.code}-2`, 'failed'],
      ]
    )

    const url = await payments.ensureLink(booking)
    assert.equal(snap.transactions[0].orderId, `LK-${tenant.id}-${booking.code}-3`)
    assert.equal(await bookingService.payUrl(booking), url)
  })

  test('a gateway refusing the account (wrong server key) is a 502; the booking keeps waiting', async ({
    assert,
  }) => {
    const { booking } = await prepaidWorld('midtrans', { serverKey: 'SB-Mid-server-WRONG' })
    const refused = await rejection(payments.ensureLink(booking))
    assert.equal(refused?.key, 'payment_gateway_refused')
    assert.equal(refused?.status, 502)
    assert.lengthOf(snap.transactions, 0)
    await booking.refresh()
    assert.equal(booking.status, 'pending_payment')
  })

  test('a price that is not whole rupiah is refused (422) before the gateway is asked', async ({
    assert,
  }) => {
    const { booking } = await prepaidWorld('xendit', { price: 2_500_050 })
    const error = await rejection(payments.ensureLink(booking))
    assert.equal(error?.key, 'payment_amount_not_whole')
    assert.equal(error?.status, 422)
    assert.lengthOf(xendit.requests, 0)
    assert.lengthOf(await Payment.query().where('booking_id', booking.id), 0)
  })

  test('no active account for the chosen gateway: 409; a confirmed booking needs no payment', async ({
    assert,
  }) => {
    const off = await prepaidWorld('midtrans', { active: false })
    assert.equal((await rejection(payments.ensureLink(off.booking)))?.key, 'payment_unavailable')

    const { booking, tenant } = await prepaidWorld('midtrans')
    await bookings.markPaid(booking.id, tenant.id)
    assert.equal((await rejection(payments.ensureLink(booking)))?.key, 'payment_not_needed')
    assert.lengthOf(snap.requests, 0)
  })
})

test.group('Payments: Midtrans notifications', (group) => {
  setupFakes(group)

  test('"Bayar" on the Snap page sends a signed settlement: the booking is confirmed and the browser goes back to it', async ({
    assert,
  }) => {
    const { booking, tenant } = await prepaidWorld('midtrans')
    snap.notificationUrl = notificationUrl('midtrans', tenant.slug)
    const url = await payments.ensureLink(booking)

    const page = await fetch(url)
    const html = await page.text()
    assert.include(html, 'Rp 25.000')
    assert.include(html, '>Bayar</button>')
    const paid = await fetch(`${url}/pay`, { method: 'POST', redirect: 'manual' })
    assert.equal(paid.status, 302)
    const back = new URL(paid.headers.get('location')!)
    assert.equal(`${back.origin}${back.pathname}`, `${appUrl}/booking/${booking.id}`)
    assert.equal(back.searchParams.get('transaction_status'), 'settlement')

    const [sent] = snap.notifications
    assert.equal(sent.status, 200)
    assert.deepEqual(JSON.parse(sent.answer), { received: true, outcome: 'applied' })
    await booking.refresh()
    assert.equal(booking.status, 'awaiting_customer')
    assert.isNotNull(booking.paidAt)
    const payment = await Payment.query().where('booking_id', booking.id).firstOrFail()
    assert.deepInclude(payment.$attributes, {
      status: 'paid',
      externalId: snap.transactions[0].transactionId,
    })
    assert.isNotNull(payment.paidAt)
    const [event] = await paidEvents(booking.id)
    assert.equal(event.data?.payment_id, payment.id)

    const rows = await rowsOf(tenant.id)
    assert.lengthOf(rows, 1)
    assert.deepInclude(rows[0].$attributes, {
      paymentId: payment.id,
      provider: 'midtrans',
      status: 'settlement',
      outcome: 'applied',
      raw: sent.body,
    })
    assert.match(rows[0].dedupeKey, /^[0-9a-f]{64}$/)

    const exposition = await (await fetch(`${baseUrl()}/metrics`)).text()
    assert.match(
      exposition,
      /^loket_payment_notifications_total\{provider="midtrans",outcome="applied"\} \d+$/m
    )
    assert.match(exposition, /^loket_payment_notification_seconds\{quantile="0.95"\} [\d.e-]+$/m)
  })

  test('repeats and reordering change nothing: repeated settlements, then a late pending and expire', async ({
    assert,
  }) => {
    const { booking, tenant } = await prepaidWorld('midtrans')
    const payment = await linkedPayment(booking)
    const settlement = midtransFor(payment, 'settlement')

    const answers = await Promise.all(
      Array.from({ length: 5 }, () => post('midtrans', tenant.slug, settlement))
    )
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200, 200, 200, 200]
    )
    const outcomes = (await Promise.all(answers.map((answer) => answer.json())))
      .map((body: any) => body.outcome)
      .sort()
    assert.deepEqual(outcomes, ['applied', 'duplicate', 'duplicate', 'duplicate', 'duplicate'])

    const late = await post('midtrans', tenant.slug, midtransFor(payment, 'pending'))
    assert.deepEqual(await late.json(), { received: true, outcome: 'ignored' })
    const expire = await post('midtrans', tenant.slug, midtransFor(payment, 'expire'))
    assert.deepEqual(await expire.json(), { received: true, outcome: 'ignored' })
    assert.equal((await post('midtrans', tenant.slug, settlement)).status, 200)

    const rows = await rowsOf(tenant.id)
    assert.deepEqual(
      rows.map((row) => [row.status, row.outcome]),
      [
        ['settlement', 'applied'],
        ['pending', 'ignored'],
        ['expire', 'ignored'],
      ]
    )
    assert.lengthOf(await paidEvents(booking.id), 1)
    await booking.refresh()
    await payment.refresh()
    assert.equal(booking.status, 'awaiting_customer')
    assert.equal(payment.status, 'paid')
  })

  test('pending first waits; the settlement after it pays', async ({ assert }) => {
    const { booking, tenant } = await prepaidWorld('midtrans')
    const payment = await linkedPayment(booking)
    assert.deepEqual(
      await (await post('midtrans', tenant.slug, midtransFor(payment, 'pending'))).json(),
      { received: true, outcome: 'waiting' }
    )
    await booking.refresh()
    assert.equal(booking.status, 'pending_payment')
    assert.deepEqual(
      await (await post('midtrans', tenant.slug, midtransFor(payment, 'settlement'))).json(),
      { received: true, outcome: 'applied' }
    )
    await booking.refresh()
    assert.equal(booking.status, 'awaiting_customer')
  })

  test('a bad signature is refused with 401: nothing stored, one warning logged', async ({
    assert,
  }) => {
    const { booking, tenant } = await prepaidWorld('midtrans')
    const payment = await linkedPayment(booking)
    const statuses: number[] = []
    const seen = await warnings(async () => {
      statuses.push(
        (
          await post(
            'midtrans',
            tenant.slug,
            midtransFor(payment, 'settlement', { serverKey: 'SB-Mid-server-OTHER' })
          )
        ).status
      )
    })
    assert.deepEqual(statuses, [401])
    assert.deepEqual(
      seen.filter((entry) => entry.message === 'rejected payment notification'),
      [
        {
          data: { tenant: tenant.slug, provider: 'midtrans', reason: 'invalid_signature' },
          message: 'rejected payment notification',
        },
      ]
    )
    assert.lengthOf(seen, 1)

    // A body changed after signing (a lower amount), and one without a signature.
    const tampered = midtransFor(payment, 'settlement', { tamper: { gross_amount: '1.00' } })
    assert.equal((await post('midtrans', tenant.slug, tampered)).status, 401)
    const unsigned = JSON.parse(midtransFor(payment, 'settlement'))
    delete unsigned.signature_key
    assert.equal((await post('midtrans', tenant.slug, JSON.stringify(unsigned))).status, 401)
    assert.equal((await post('midtrans', tenant.slug, '{"order_id":')).status, 400)

    assert.lengthOf(await rowsOf(tenant.id), 0)
    await booking.refresh()
    await payment.refresh()
    assert.equal(booking.status, 'pending_payment')
    assert.equal(payment.status, 'pending')
  })

  test("an amount other than the payment's is recorded as amount_mismatch and applies nothing", async ({
    assert,
  }) => {
    const { booking, tenant } = await prepaidWorld('midtrans')
    const payment = await linkedPayment(booking)
    const answer = await post(
      'midtrans',
      tenant.slug,
      midtransFor(payment, 'settlement', { grossAmount: '20000.00' })
    )
    assert.deepEqual(await answer.json(), { received: true, outcome: 'amount_mismatch' })
    await booking.refresh()
    await payment.refresh()
    assert.equal(booking.status, 'pending_payment')
    assert.equal(payment.status, 'pending')
    assert.deepEqual(
      (await rowsOf(tenant.id)).map((row) => [row.paymentId, row.outcome]),
      [[payment.id, 'amount_mismatch']]
    )
  })

  test('an unknown order is stored as unknown_order and answered 200, so the gateway stops retrying', async ({
    assert,
  }) => {
    const { tenant } = await prepaidWorld('midtrans')
    const body = midtransNotification({
      orderId: 'payment_notif_test_G141532850_x',
      grossAmount: '10000.00',
      transactionStatus: 'settlement',
      serverKey: snap.serverKey,
    })
    const answer = await post('midtrans', tenant.slug, body)
    assert.equal(answer.status, 200)
    assert.deepEqual(await answer.json(), { received: true, outcome: 'unknown_order' })
    const rows = await rowsOf(tenant.id)
    assert.deepEqual(
      rows.map((row) => [row.paymentId, row.outcome, row.raw]),
      [[null, 'unknown_order', body]]
    )
    assert.equal((await post('midtrans', 'no-such-tenant', body)).status, 404)
  })

  test('a card capture under challenge does not pay; the accepted capture does', async ({
    assert,
  }) => {
    const { booking, tenant } = await prepaidWorld('midtrans')
    const payment = await linkedPayment(booking)
    const card = { paymentType: 'credit_card' }
    const challenge = await post(
      'midtrans',
      tenant.slug,
      midtransFor(payment, 'capture', { ...card, fraudStatus: 'challenge', statusCode: '201' })
    )
    assert.deepEqual(await challenge.json(), { received: true, outcome: 'waiting' })
    await booking.refresh()
    assert.equal(booking.status, 'pending_payment')
    const accepted = await post(
      'midtrans',
      tenant.slug,
      midtransFor(payment, 'capture', { ...card, fraudStatus: 'accept' })
    )
    assert.deepEqual(await accepted.json(), { received: true, outcome: 'applied' })
    await booking.refresh()
    assert.equal(booking.status, 'awaiting_customer')
  })

  test('a denied card may be followed by a settlement, which pays', async ({ assert }) => {
    const { booking, tenant } = await prepaidWorld('midtrans')
    const payment = await linkedPayment(booking)
    const deny = await post(
      'midtrans',
      tenant.slug,
      midtransFor(payment, 'deny', { paymentType: 'credit_card', fraudStatus: 'deny' })
    )
    assert.deepEqual(await deny.json(), { received: true, outcome: 'waiting' })
    await payment.refresh()
    assert.equal(payment.status, 'pending')
    const settled = await post('midtrans', tenant.slug, midtransFor(payment, 'settlement'))
    assert.deepEqual(await settled.json(), { received: true, outcome: 'applied' })
    await booking.refresh()
    assert.equal(booking.status, 'awaiting_customer')
  })

  test('cancel fails the payment but the booking waits for a new page; "Expire" on the Snap page releases the booking', async ({
    assert,
  }) => {
    const { booking, tenant, entry, service } = await prepaidWorld('midtrans')
    snap.notificationUrl = notificationUrl('midtrans', tenant.slug)
    const first = await linkedPayment(booking)
    assert.deepEqual(
      await (await post('midtrans', tenant.slug, midtransFor(first, 'cancel'))).json(),
      { received: true, outcome: 'applied' }
    )
    await first.refresh()
    await booking.refresh()
    assert.equal(first.status, 'failed')
    assert.equal(booking.status, 'pending_payment')

    const url = await payments.ensureLink(booking)
    assert.lengthOf(snap.transactions, 2)
    const expired = await fetch(`${url}/expire`, { method: 'POST', redirect: 'manual' })
    assert.equal(expired.status, 302)
    await booking.refresh()
    assert.equal(booking.status, 'expired')
    const event = await BookingEvent.query()
      .where('booking_id', booking.id)
      .where('type', 'payment_expired')
      .firstOrFail()
    assert.deepEqual(event.data, { by_gateway: true })
    const times = await bookings.availability(entry, service, tomorrow())
    assert.equal(times.find((time) => time.time === '09:00')?.free, 1, 'the place is free again')
  })

  test('a refund after payment marks the payment refunded and leaves the booking as it is', async ({
    assert,
  }) => {
    const { booking, tenant } = await prepaidWorld('midtrans')
    const payment = await linkedPayment(booking)
    await post('midtrans', tenant.slug, midtransFor(payment, 'settlement'))
    assert.deepEqual(
      await (await post('midtrans', tenant.slug, midtransFor(payment, 'refund'))).json(),
      { received: true, outcome: 'refunded' }
    )
    await payment.refresh()
    await booking.refresh()
    assert.equal(payment.status, 'refunded')
    assert.equal(booking.status, 'awaiting_customer')
  })

  test('paid after the booking expired: the booking stays expired, the payment is paid, the outcome says paid_after_expiry', async ({
    assert,
  }) => {
    const { booking, tenant } = await prepaidWorld('midtrans')
    const payment = await linkedPayment(booking)
    clock.travelTo(DateTime.now().plus({ minutes: 31 }))
    await bookingCron.run()
    clock.reset()
    await booking.refresh()
    assert.equal(booking.status, 'expired')

    const seen = await warnings(async () => {
      const answer = await post('midtrans', tenant.slug, midtransFor(payment, 'settlement'))
      assert.deepEqual(await answer.json(), { received: true, outcome: 'paid_after_expiry' })
    })
    assert.deepInclude(seen[0].data, { tenant: tenant.slug, outcome: 'paid_after_expiry' })
    await booking.refresh()
    await payment.refresh()
    assert.equal(booking.status, 'expired')
    assert.isNull(booking.paidAt)
    assert.equal(payment.status, 'paid')
    assert.lengthOf(await paidEvents(booking.id), 0)
  })

  test('a server key changed elsewhere works at once; the old one stops working', async ({
    assert,
    cleanup,
  }) => {
    const { booking, tenant, account } = await prepaidWorld('midtrans')
    const oldKey = snap.serverKey
    cleanup(() => {
      snap.serverKey = oldKey
    })
    const payment = await linkedPayment(booking)
    assert.deepEqual(
      await (await post('midtrans', tenant.slug, midtransFor(payment, 'pending'))).json(),
      { received: true, outcome: 'waiting' }
    )
    // The owner made a new key at Midtrans, and another server saved it: this one still remembers the old account.
    const newKey = sandboxServerKey()
    snap.serverKey = newKey
    account.settings = { ...account.settings, server_key: newKey }
    await account.save()
    // The remembered account is read again when a notification fails its check, at most once a second.
    clock.travelTo(clock.now().plus({ milliseconds: 1100 }))
    const withNew = await post('midtrans', tenant.slug, midtransFor(payment, 'settlement'))
    assert.deepEqual(await withNew.json(), { received: true, outcome: 'applied' })
    const withOld = await post(
      'midtrans',
      tenant.slug,
      midtransFor(payment, 'refund', { serverKey: oldKey })
    )
    assert.equal(withOld.status, 401)
  })

  test("another tenant's signature does not work for this tenant, nor does its order id", async ({
    assert,
  }) => {
    const ours = await prepaidWorld('midtrans')
    const theirs = await prepaidWorld('midtrans', { serverKey: sandboxServerKey() })
    const payment = await linkedPayment(ours.booking)
    const signedByThem = midtransFor(payment, 'settlement', {
      serverKey: theirs.account.settings.server_key,
    })

    assert.equal((await post('midtrans', ours.tenant.slug, signedByThem)).status, 401)
    const there = await post('midtrans', theirs.tenant.slug, signedByThem)
    assert.deepEqual(await there.json(), { received: true, outcome: 'unknown_order' })
    await payment.refresh()
    await ours.booking.refresh()
    assert.equal(payment.status, 'pending')
    assert.equal(ours.booking.status, 'pending_payment')
    assert.lengthOf(await rowsOf(ours.tenant.id), 0)
  })
})

test.group('Payments: Xendit callbacks', (group) => {
  setupFakes(group)

  test('"Bayar" on the invoice page sends PAID with the callback token: the booking is confirmed and the browser goes back', async ({
    assert,
  }) => {
    const { booking, tenant } = await prepaidWorld('xendit')
    xendit.notificationUrl = notificationUrl('xendit', tenant.slug)
    const url = await payments.ensureLink(booking)
    assert.include(await (await fetch(url)).text(), '>Bayar</button>')
    const paid = await fetch(`${url}/pay`, { method: 'POST', redirect: 'manual' })
    assert.equal(paid.status, 302)
    assert.equal(paid.headers.get('location'), `${appUrl}/booking/${booking.id}`)
    assert.deepEqual(JSON.parse(xendit.notifications[0].answer), {
      received: true,
      outcome: 'applied',
    })

    await booking.refresh()
    assert.equal(booking.status, 'awaiting_customer')
    const payment = await Payment.query().where('booking_id', booking.id).firstOrFail()
    assert.equal(payment.status, 'paid')
    assert.lengthOf(await paidEvents(booking.id), 1)

    const again = await xendit.notify(payment.orderId, 'PAID')
    assert.deepEqual(JSON.parse(again.answer), { received: true, outcome: 'duplicate' })
    assert.deepEqual(
      (await rowsOf(tenant.id)).map((row) => [row.status, row.outcome]),
      [['PAID', 'applied']]
    )
  })

  test('EXPIRED releases the booking; a PAID arriving after it is paid_after_expiry', async ({
    assert,
  }) => {
    const { booking, tenant, entry, service } = await prepaidWorld('xendit')
    xendit.notificationUrl = notificationUrl('xendit', tenant.slug)
    const url = await payments.ensureLink(booking)
    const expired = await fetch(`${url}/expire`, { method: 'POST', redirect: 'manual' })
    assert.equal(expired.status, 302)
    await booking.refresh()
    assert.equal(booking.status, 'expired')
    assert.equal(
      (await bookings.availability(entry, service, tomorrow())).find(
        (time) => time.time === '09:00'
      )?.free,
      1
    )

    const payment = await Payment.query().where('booking_id', booking.id).firstOrFail()
    const late = await xendit.notify(payment.orderId, 'PAID')
    assert.deepEqual(JSON.parse(late.answer), { received: true, outcome: 'paid_after_expiry' })
    await booking.refresh()
    await payment.refresh()
    assert.equal(booking.status, 'expired')
    assert.equal(payment.status, 'paid')
    assert.deepEqual(
      (await rowsOf(tenant.id)).map((row) => [row.status, row.outcome]),
      [
        ['EXPIRED', 'applied'],
        ['PAID', 'paid_after_expiry'],
      ]
    )
  })

  test("a wrong or missing callback token is refused with 401 and nothing is stored; another tenant's token does not work here", async ({
    assert,
  }) => {
    const ours = await prepaidWorld('xendit')
    const theirs = await prepaidWorld('xendit')
    theirs.account.settings = {
      secret_key: xendit.secretKey,
      callback_token: 'their-own-callback-token-000',
    }
    await theirs.account.save()
    const payment = await linkedPayment(ours.booking)
    xendit.record(payment.orderId, 'PAID')
    const body = xenditCallback({
      id: payment.externalId!,
      externalId: payment.orderId,
      status: 'PAID',
      amount: 25_000,
    })

    const seen = await warnings(async () => {
      assert.equal(
        (
          await post('xendit', ours.tenant.slug, body, {
            'x-callback-token': 'their-own-callback-token-000',
          })
        ).status,
        401
      )
    })
    assert.deepEqual(seen, [
      {
        data: { tenant: ours.tenant.slug, provider: 'xendit', reason: 'invalid_token' },
        message: 'rejected payment notification',
      },
    ])
    assert.equal((await post('xendit', ours.tenant.slug, body)).status, 401)
    assert.equal(
      (
        await post('xendit', ours.tenant.slug, body, {
          'x-callback-token': `${xendit.callbackToken}x`,
        })
      ).status,
      401
    )
    assert.lengthOf(await rowsOf(ours.tenant.id), 0)

    const there = await post('xendit', theirs.tenant.slug, body, {
      'x-callback-token': 'their-own-callback-token-000',
    })
    assert.deepEqual(await there.json(), { received: true, outcome: 'unknown_order' })
    await payment.refresh()
    assert.equal(payment.status, 'pending')

    const ok = await post('xendit', ours.tenant.slug, body, {
      'x-callback-token': xendit.callbackToken,
    })
    assert.deepEqual(await ok.json(), { received: true, outcome: 'applied' })
  })

  test("a paid amount other than the invoice's is amount_mismatch; another invoice id with our order id is unknown", async ({
    assert,
  }) => {
    const { booking, tenant } = await prepaidWorld('xendit')
    const payment = await linkedPayment(booking)
    const token = { 'x-callback-token': xendit.callbackToken }
    xendit.record(payment.orderId, 'PAID', { paidAmount: 20_000 })
    const short = xenditCallback({
      id: payment.externalId!,
      externalId: payment.orderId,
      status: 'PAID',
      amount: 25_000,
      paidAmount: 20_000,
    })
    assert.deepEqual(await (await post('xendit', tenant.slug, short, token)).json(), {
      received: true,
      outcome: 'amount_mismatch',
    })
    const stranger = xenditCallback({
      id: '0123456789abcdef01234567',
      externalId: payment.orderId,
      status: 'PAID',
      amount: 25_000,
    })
    assert.deepEqual(await (await post('xendit', tenant.slug, stranger, token)).json(), {
      received: true,
      outcome: 'unknown_order',
    })
    await booking.refresh()
    assert.equal(booking.status, 'pending_payment')
  })
})

test.group('Admin: payments page', (group) => {
  setupFakes(group)
  const PAGE = '/admin/payments'

  test('an owner saves the Midtrans account: the server key is stored encrypted, never shown, never audited; blank keeps it', async ({
    client,
    assert,
  }) => {
    const { owner, tenant } = await createBookingWorld()
    const response = await client
      .put(`${PAGE}/midtrans`)
      .form({
        server_key: 'SB-Mid-server-Secret123',
        client_key: 'SB-Mid-client-abc',
        is_active: '1',
      })
      .withCsrfToken()
      .loginAs(owner)
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('success', 'Pengaturan Midtrans disimpan.')

    const account = await PaymentAccount.query()
      .where('tenant_id', tenant.id)
      .where('provider', 'midtrans')
      .firstOrFail()
    assert.deepEqual(account.settings, {
      server_key: 'SB-Mid-server-Secret123',
      client_key: 'SB-Mid-client-abc',
      is_production: false,
    })
    assert.isTrue(account.isActive)
    const stored = await db.from('payment_accounts').where('id', account.id).first()
    assert.notInclude(stored.settings, 'SB-Mid-server-Secret123')

    const page = await client.get(PAGE).loginAs(owner)
    page.assertStatus(200)
    assert.notInclude(page.text(), 'SB-Mid-server-Secret123')
    page.assertTextIncludes('SB-Mid-client-abc')
    page.assertTextIncludes(`${appUrl}/webhooks/payments/midtrans/${tenant.slug}`)
    page.assertTextIncludes(`${appUrl}/webhooks/payments/xendit/${tenant.slug}`)
    page.assertTextIncludes('Sudah tersimpan. Kosongkan untuk tetap memakai yang lama.')

    await client
      .put(`${PAGE}/midtrans`)
      .form({ server_key: '', client_key: 'SB-Mid-client-new', is_active: '1' })
      .withCsrfToken()
      .loginAs(owner)
    await account.refresh()
    assert.equal(account.settings.server_key, 'SB-Mid-server-Secret123')
    assert.equal(account.settings.client_key, 'SB-Mid-client-new')

    const audits = await AuditLog.query()
      .where('tenant_id', tenant.id)
      .where('subject_type', 'payment_account')
      .orderBy('id')
    assert.deepEqual(
      audits.map((audit) => audit.action),
      ['payment_account.created', 'payment_account.updated']
    )
    for (const audit of audits) assert.notInclude(JSON.stringify(audit.changes), 'Secret123')
    assert.deepEqual(audits[0].changes!.secrets_changed, ['server_key'])
    assert.deepEqual(audits[1].changes, { client_key: ['SB-Mid-client-abc', 'SB-Mid-client-new'] })
  })

  test('an owner saves the Xendit account; both secrets are write-only and stay out of the audit log', async ({
    client,
    assert,
  }) => {
    const { owner, tenant } = await createBookingWorld()
    const form = {
      secret_key: 'xnd_development_TopSecretKey01',
      callback_token: 'cb-TopSecretToken',
      is_active: '1',
    }
    await client.put(`${PAGE}/xendit`).form(form).withCsrfToken().loginAs(owner)
    await client
      .put(`${PAGE}/xendit`)
      .form({ secret_key: '', callback_token: '' })
      .withCsrfToken()
      .loginAs(owner)
    const account = await PaymentAccount.query()
      .where('tenant_id', tenant.id)
      .where('provider', 'xendit')
      .firstOrFail()
    assert.deepEqual(account.settings, {
      secret_key: 'xnd_development_TopSecretKey01',
      callback_token: 'cb-TopSecretToken',
    })
    assert.isFalse(account.isActive, 'the second save switched it off')

    const page = await client.get(PAGE).loginAs(owner)
    for (const secret of ['TopSecretKey01', 'TopSecretToken'])
      assert.notInclude(page.text(), secret)
    const logged = JSON.stringify(
      (await AuditLog.query().where('tenant_id', tenant.id)).map((audit) => audit.changes)
    )
    for (const secret of ['TopSecretKey01', 'TopSecretToken']) assert.notInclude(logged, secret)
  })

  test("invalid keys answer 422 with messages in the user's language", async ({
    client,
    assert,
  }) => {
    const { owner, tenant } = await createBookingWorld()
    const xenditAnswer = await client
      .put(`${PAGE}/xendit`)
      .json({ secret_key: 'sk_live_123' })
      .withCsrfToken()
      .loginAs(owner)
      .accept('json')
    xenditAnswer.assertStatus(422)
    const messages = Object.fromEntries(
      xenditAnswer
        .body()
        .error.fields.map((field: { field: string; message: string }) => [
          field.field,
          field.message,
        ])
    )
    assert.deepEqual(messages, {
      secret_key: 'Secret key Xendit diawali xnd_development_ atau xnd_production_, tanpa spasi',
      callback_token: 'Token verifikasi callback wajib diisi',
    })

    const english = await User.create({
      tenantId: tenant.id,
      branchId: null,
      fullName: 'English Owner',
      email: `en-owner-${tenant.id}@test.loket`,
      password: PASSWORD,
      role: 'owner',
      locale: 'en',
      isActive: true,
    })
    const midtransAnswer = await client
      .put(`${PAGE}/midtrans`)
      .json({ server_key: 'SB-Mid-server-abc', is_production: '1' })
      .withCsrfToken()
      .loginAs(english)
      .accept('json')
    midtransAnswer.assertStatus(422)
    assert.equal(
      midtransAnswer.body().error.fields[0].message,
      'This Server key is a sandbox key (SB-...) but production mode is on'
    )
    assert.lengthOf(await PaymentAccount.query().where('tenant_id', tenant.id), 0)
  })

  test('choosing the gateway writes paymentProvider into the booking settings, keeping the other keys; an unready gateway is refused', async ({
    client,
    assert,
  }) => {
    const { owner, tenant } = await createBookingWorld({
      settings: { slotMinutes: 20, quotaPerSlot: 2 },
    })
    const before = JSON.parse((await Tenant.findOrFail(tenant.id)).bookingSettings!)

    const refused = await client
      .put(`${PAGE}/provider`)
      .json({ provider: 'xendit' })
      .withCsrfToken()
      .loginAs(owner)
      .accept('json')
    refused.assertStatus(422)
    assert.equal(
      refused.body().error.message,
      'Akun Xendit belum lengkap atau belum aktif. Simpan kuncinya dan aktifkan dulu.'
    )

    await client
      .put(`${PAGE}/midtrans`)
      .form({ server_key: 'SB-Mid-server-Key9', is_active: '1' })
      .withCsrfToken()
      .loginAs(owner)
    const chosen = await client
      .put(`${PAGE}/provider`)
      .form({ provider: 'midtrans' })
      .withCsrfToken()
      .loginAs(owner)
      .redirects(0)
    chosen.assertStatus(302)
    chosen.assertFlashMessage('success', 'Pembayaran di muka sekarang lewat Midtrans.')
    const stored = JSON.parse((await Tenant.findOrFail(tenant.id)).bookingSettings!)
    assert.deepEqual(stored, { ...before, paymentProvider: 'midtrans' })
    assert.equal((await Tenant.findOrFail(tenant.id)).booking.quotaPerSlot, 2)

    const audit = await AuditLog.query()
      .where('tenant_id', tenant.id)
      .where('action', 'tenant.payment_provider_updated')
      .firstOrFail()
    assert.notInclude(JSON.stringify(audit.changes), 'SB-Mid-server-Key9')
    assert.equal(audit.userId, owner.id)

    await client.put(`${PAGE}/provider`).form({ provider: 'none' }).withCsrfToken().loginAs(owner)
    assert.isNull((await Tenant.findOrFail(tenant.id)).booking.paymentProvider)
  })

  test('the list shows payments with their notifications; paid after expiry and amount mismatch stand out', async ({
    client,
    assert,
  }) => {
    const world = await prepaidWorld('midtrans')
    const payment = await linkedPayment(world.booking)
    await post(
      'midtrans',
      world.tenant.slug,
      midtransFor(payment, 'settlement', { grossAmount: '1.00' })
    )
    const other = await book(world, '10:00')
    const fine = await linkedPayment(other)
    await post(
      'midtrans',
      world.tenant.slug,
      midtransFor(fine, 'settlement', { transactionId: 'a1b2c3d4-0000-4000-8000-000000000002' })
    )
    await post(
      'midtrans',
      world.tenant.slug,
      midtransNotification({
        orderId: 'dashboard-test-1',
        grossAmount: '1000.00',
        transactionStatus: 'settlement',
        serverKey: snap.serverKey,
      })
    )

    const page = await client.get('/admin/payments').loginAs(world.owner)
    page.assertStatus(200)
    const html = page.text()
    page.assertTextIncludes('1 notifikasi pembayaran perlu Anda periksa')
    assert.include(html, `data-order="${payment.orderId}" data-attention="true"`)
    assert.include(html, `data-order="${fine.orderId}" data-attention="false"`)
    assert.include(html, 'data-outcome="amount_mismatch"')
    assert.include(html, 'Jumlah tidak sama')
    assert.include(html, 'Rp')
    assert.include(html, 'dashboard-test-1')
    assert.include(html, world.booking.code)
  })

  test("admins who are not owners and operators get 403; another tenant's owner sees none of it", async ({
    client,
    assert,
  }) => {
    const world = await prepaidWorld('midtrans')
    const payment = await linkedPayment(world.booking)
    for (const user of [world.admin, world.operator]) {
      ;(await client.get('/admin/payments').loginAs(user)).assertStatus(403)
      ;(
        await client
          .put('/admin/payments/midtrans')
          .form({ server_key: 'SB-Mid-server-x' })
          .withCsrfToken()
          .loginAs(user)
      ).assertStatus(403)
      ;(
        await client
          .put('/admin/payments/provider')
          .form({ provider: 'none' })
          .withCsrfToken()
          .loginAs(user)
      ).assertStatus(403)
    }
    const account = await PaymentAccount.findOrFail(world.account.id)
    assert.equal(account.settings.server_key, snap.serverKey)

    const other = await createBookingWorld()
    const page = await client.get('/admin/payments').loginAs(other.owner)
    page.assertStatus(200)
    assert.notInclude(page.text(), payment.orderId)
    assert.notInclude(page.text(), world.tenant.slug)
    page.assertTextIncludes('Belum ada pembayaran.')
  })
})

test.group('Payments: the booking after a crash between the two transactions', (group) => {
  setupFakes(group)

  test("when confirming the booking fails after the payment was stored, the gateway's retry finishes it", async ({
    assert,
  }) => {
    const { booking, tenant } = await prepaidWorld('midtrans')
    const payment = await linkedPayment(booking)
    const body = midtransFor(payment, 'settlement')

    const markPaid = BookingService.prototype.markPaid
    BookingService.prototype.markPaid = async function () {
      throw new Error('the database went away')
    }
    try {
      assert.equal((await post('midtrans', tenant.slug, body)).status, 500)
    } finally {
      BookingService.prototype.markPaid = markPaid
    }
    await payment.refresh()
    await booking.refresh()
    assert.equal(payment.status, 'paid')
    assert.equal(booking.status, 'pending_payment')

    const retry = await post('midtrans', tenant.slug, body)
    assert.deepEqual(await retry.json(), { received: true, outcome: 'duplicate' })
    await booking.refresh()
    assert.equal(booking.status, 'awaiting_customer')
    assert.lengthOf(await rowsOf(tenant.id), 1)
    assert.lengthOf(await paidEvents(booking.id), 1)
  })
})

test.group('Payments: notifications the gateway does not confirm', (group) => {
  setupFakes(group)

  test('a signed pending notification edited to say settlement is refused: its status code still says pending', async ({
    assert,
  }) => {
    const { booking, tenant } = await prepaidWorld('midtrans')
    const payment = await linkedPayment(booking)
    const pending = JSON.parse(
      midtransNotification({
        orderId: payment.orderId,
        grossAmount: '25000.00',
        transactionStatus: 'pending',
        serverKey: snap.serverKey,
      })
    )
    assert.equal(pending.status_code, '201')
    const edited = JSON.stringify({ ...pending, transaction_status: 'settlement' })
    const seen = await warnings(async () => {
      const answer = await post('midtrans', tenant.slug, edited)
      assert.equal(answer.status, 400)
      assert.deepEqual(await answer.json(), { error: 'status_code_mismatch' })
    })
    assert.deepEqual(seen, [
      {
        data: { tenant: tenant.slug, provider: 'midtrans', reason: 'status_code_mismatch' },
        message: 'rejected payment notification',
      },
    ])
    assert.lengthOf(await rowsOf(tenant.id), 0)
    await booking.refresh()
    assert.equal(booking.status, 'pending_payment')
  })

  test("a correctly signed settlement is believed only when Midtrans's status API says settlement too", async ({
    assert,
  }) => {
    const { booking, tenant } = await prepaidWorld('midtrans')
    const payment = await linkedPayment(booking)
    // Signed with the server key (leaked, say), while Midtrans itself still says pending.
    const forged = midtransNotification({
      orderId: payment.orderId,
      grossAmount: '25000.00',
      transactionStatus: 'settlement',
      serverKey: snap.serverKey,
    })
    const answer = await post('midtrans', tenant.slug, forged)
    assert.equal(answer.status, 409)
    assert.deepEqual(await answer.json(), { error: 'not_confirmed' })
    assert.isTrue(
      snap.requests.some(
        (request) => request.method === 'GET' && request.path === `/v2/${payment.orderId}/status`
      )
    )
    assert.lengthOf(await rowsOf(tenant.id), 0)
    await booking.refresh()
    await payment.refresh()
    assert.equal(booking.status, 'pending_payment')
    assert.equal(payment.status, 'pending')

    // The customer really pays: Midtrans sends the same notification again, and now it holds.
    snap.record(payment.orderId, 'settlement')
    assert.deepEqual(await (await post('midtrans', tenant.slug, forged)).json(), {
      received: true,
      outcome: 'applied',
    })
    await booking.refresh()
    assert.equal(booking.status, 'awaiting_customer')
  })

  test('when the status API cannot be reached, nothing is applied and 503 makes the gateway retry', async ({
    assert,
  }) => {
    const { booking, tenant } = await prepaidWorld('midtrans')
    const payment = await linkedPayment(booking)
    const body = midtransFor(payment, 'settlement')
    snap.failNext(1, 503)
    assert.equal((await post('midtrans', tenant.slug, body)).status, 503)
    assert.lengthOf(await rowsOf(tenant.id), 0)
    assert.deepEqual(await (await post('midtrans', tenant.slug, body)).json(), {
      received: true,
      outcome: 'applied',
    })
  })

  test('a Xendit PAID callback with the right token waits until get-invoice says PAID', async ({
    assert,
  }) => {
    const { booking, tenant } = await prepaidWorld('xendit')
    const payment = await linkedPayment(booking)
    const body = xenditCallback({
      id: payment.externalId!,
      externalId: payment.orderId,
      status: 'PAID',
      amount: 25_000,
    })
    const token = { 'x-callback-token': xendit.callbackToken }
    assert.equal((await post('xendit', tenant.slug, body, token)).status, 409)
    assert.isTrue(
      xendit.requests.some(
        (request) =>
          request.method === 'GET' && request.path === `/v2/invoices/${payment.externalId}`
      )
    )
    await booking.refresh()
    assert.equal(booking.status, 'pending_payment')
    xendit.record(payment.orderId, 'PAID')
    assert.deepEqual(await (await post('xendit', tenant.slug, body, token)).json(), {
      received: true,
      outcome: 'applied',
    })
  })

  test('expiries and pending notices move no money, so the gateway is not asked about them', async ({
    assert,
  }) => {
    const { booking, tenant } = await prepaidWorld('midtrans')
    const payment = await linkedPayment(booking)
    await post('midtrans', tenant.slug, midtransFor(payment, 'pending'))
    await post('midtrans', tenant.slug, midtransFor(payment, 'expire'))
    assert.isFalse(snap.requests.some((request) => request.path.endsWith('/status')))
    await payment.refresh()
    assert.equal(payment.status, 'expired')
  })
})
