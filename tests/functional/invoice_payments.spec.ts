import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import Invoice from '#models/invoice'
import InvoiceEvent from '#models/invoice_event'
import Payment from '#models/payment'
import PaymentAccount from '#models/payment_account'
import PaymentNotification from '#models/payment_notification'
import Tenant from '#models/tenant'
import InvoiceService from '#services/billing/invoice_service'
import { appUrl } from '#config/app'
import { createFieldWorld, type FieldWorld } from '#tests/helpers/field'
import { notificationUrl, setupFakes, snap, xendit } from '#tests/helpers/payment_gateways'
import type { PaymentProvider } from '#enums/booking'

const invoices = await app.container.make(InvoiceService)

/** Rp100.000 plus PPN 11% on DPP: Rp111.000, in sen. */
const TOTAL = 11_100_000

/** A field world whose tenant takes payments through `provider`, with its account at the fake. */
async function payingWorld(provider: PaymentProvider | null) {
  const world = await createFieldWorld()
  if (provider) {
    await Tenant.query()
      .where('id', world.tenant.id)
      .update({ booking_settings: JSON.stringify({ paymentProvider: provider }) })
    await PaymentAccount.create({
      tenantId: world.tenant.id,
      provider,
      isActive: true,
      settings:
        provider === 'midtrans'
          ? { server_key: snap.serverKey, client_key: 'SB-Mid-client-FAKE', is_production: false }
          : { secret_key: xendit.secretKey, callback_token: xendit.callbackToken },
    })
    snap.notificationUrl = notificationUrl('midtrans', world.tenant.slug)
    xendit.notificationUrl = notificationUrl('xendit', world.tenant.slug)
  }
  return world
}

const line = (unitPrice: number) => ({
  customerId: null,
  billToName: 'Bengkel Maju',
  billToPhone: '+6281234567890',
  lines: [{ description: 'Servis AC', quantity: 1, unitPrice }],
  discount: 0,
})

/** An approved invoice: its link works and it can be paid (sending it only delivers the link). */
async function approvedInvoice(world: FieldWorld, unitPrice = 10_000_000) {
  const invoice = await invoices.create(world.tenant, world.branch.id, line(unitPrice), {
    by: world.cs,
  })
  await invoices.submit(invoice.id, world.tenant.id, { by: world.cs })
  return invoices.approve(invoice.id, world.tenant.id, { by: world.sales })
}

test.group('Invoices: paid through the gateway', (group) => {
  setupFakes(group)

  test('the customer presses Pay on /i/:token, pays on Midtrans, and the signed settlement marks the invoice paid', async ({
    client,
    assert,
  }) => {
    const world = await payingWorld('midtrans')
    const invoice = await approvedInvoice(world)
    assert.equal(invoice.total, TOTAL)

    const page = await client.get(`/i/${invoice.token}`)
    page.assertStatus(200)
    page.assertTextIncludes('data-testid="public-pay"')
    page.assertTextIncludes('Midtrans')

    const pressed = await client.post(`/i/${invoice.token}/pay`).withCsrfToken().redirects(0)
    pressed.assertStatus(302)
    const [transaction] = snap.transactions
    assert.equal(pressed.headers().location, `${snap.url}/snap/v4/redirection/${transaction.token}`)
    const orderId = `LK-${world.tenant.id}-I${invoice.id}-1`
    assert.deepEqual(transaction.payload.transaction_details, {
      order_id: orderId,
      gross_amount: TOTAL / 100,
    })

    // Pressing again reuses the page.
    await client.post(`/i/${invoice.token}/pay`).withCsrfToken().redirects(0)
    assert.lengthOf(snap.transactions, 1)

    const paid = await fetch(`${pressed.headers().location}/pay`, {
      method: 'POST',
      redirect: 'manual',
    })
    assert.equal(paid.status, 302)
    const back = new URL(paid.headers.get('location')!)
    assert.equal(`${back.origin}${back.pathname}`, `${appUrl}/i/${invoice.token}`)
    assert.deepEqual(JSON.parse(snap.notifications[0].answer), {
      received: true,
      outcome: 'applied',
    })

    await invoice.refresh()
    assert.equal(invoice.status, 'paid')
    assert.equal(invoice.paymentMethod, 'gateway')
    assert.equal(invoice.paymentReference, orderId)
    assert.isNotNull(invoice.paidOn)
    const events = await InvoiceEvent.query().where('invoice_id', invoice.id).orderBy('id')
    assert.deepEqual(
      events.map((event) => event.type),
      ['created', 'submitted', 'approved', 'paid']
    )
    assert.isNull(events[3].userId)
    const payment = await Payment.query().where('invoice_id', invoice.id).firstOrFail()
    assert.deepInclude(payment.$attributes, { status: 'paid', bookingId: null, amount: TOTAL })

    const again = await snap.notify(orderId, 'settlement')
    assert.deepEqual(JSON.parse(again.answer), { received: true, outcome: 'duplicate' })
    const after = await client.get(`/i/${invoice.token}`)
    after.assertTextIncludes('data-testid="paid-note"')
    assert.notInclude(after.text(), 'data-testid="public-pay"')
    const refused = await client
      .post(`/i/${invoice.token}/pay`)
      .withCsrfToken()
      .header('accept', 'application/json')
    refused.assertStatus(409)
  })

  test('Xendit: paid after the invoice was voided is kept for the owner as paid_after_expiry; the invoice stays void', async ({
    client,
    assert,
  }) => {
    const world = await payingWorld('xendit')
    const invoice = await approvedInvoice(world)
    const pressed = await client.post(`/i/${invoice.token}/pay`).withCsrfToken().redirects(0)
    pressed.assertStatus(302)
    const [created] = xendit.invoices
    assert.equal(created.externalId, `LK-${world.tenant.id}-I${invoice.id}-1`)
    assert.equal(created.payload.amount, TOTAL / 100)

    await invoices.void(invoice.id, world.tenant.id, 'salah tagih', { by: world.cs })
    const sent = await xendit.notify(created.externalId, 'PAID')
    assert.deepEqual(JSON.parse(sent.answer), { received: true, outcome: 'paid_after_expiry' })
    await invoice.refresh()
    assert.equal(invoice.status, 'void')
    const [notification] = await PaymentNotification.query().where('tenant_id', world.tenant.id)
    assert.equal(notification.outcome, 'paid_after_expiry')

    const admin = await client.get('/admin/payments').loginAs(world.owner)
    admin.assertStatus(200)
    admin.assertTextIncludes(invoice.number!)
  })

  test('an invoice changed and approved again gets a new page; money paid on the old one is not taken as the new total', async ({
    client,
    assert,
  }) => {
    const world = await payingWorld('midtrans')
    const invoice = await approvedInvoice(world)
    await client.post(`/i/${invoice.token}/pay`).withCsrfToken().redirects(0)

    await invoices.update(invoice.id, world.tenant.id, line(20_000_000), { by: world.cs })
    await invoices.submit(invoice.id, world.tenant.id, { by: world.cs })
    await invoices.approve(invoice.id, world.tenant.id, { by: world.sales })
    await client.post(`/i/${invoice.token}/pay`).withCsrfToken().redirects(0)
    assert.deepEqual(
      snap.transactions.map((transaction) => transaction.payload.transaction_details.gross_amount),
      [111_000, 222_000]
    )

    const old = await snap.notify(snap.transactions[0].orderId, 'settlement')
    assert.deepEqual(JSON.parse(old.answer), { received: true, outcome: 'paid_after_expiry' })
    await invoice.refresh()
    assert.equal(invoice.status, 'approved')

    const fresh = await snap.notify(snap.transactions[1].orderId, 'settlement')
    assert.deepEqual(JSON.parse(fresh.answer), { received: true, outcome: 'applied' })
    await invoice.refresh()
    assert.equal(invoice.status, 'paid')
    assert.equal(invoice.paymentReference, snap.transactions[1].orderId)
  })

  test('without a gateway there is no pay button and pressing answers 409; drafts and wrong tokens are 404', async ({
    client,
    assert,
  }) => {
    const world = await payingWorld(null)
    const invoice = await approvedInvoice(world)
    const page = await client.get(`/i/${invoice.token}`)
    page.assertStatus(200)
    assert.notInclude(page.text(), 'data-testid="public-pay"')
    const refused = await client
      .post(`/i/${invoice.token}/pay`)
      .withCsrfToken()
      .header('accept', 'application/json')
    refused.assertStatus(409)

    const draft = await invoices.create(world.tenant, world.branch.id, line(5_000_000), {
      by: world.cs,
    })
    const hidden = await client
      .post(`/i/${draft.token}/pay`)
      .withCsrfToken()
      .header('accept', 'application/json')
    hidden.assertStatus(404)
    const unknown = await client
      .post(`/i/${'x'.repeat(32)}/pay`)
      .withCsrfToken()
      .header('accept', 'application/json')
    unknown.assertStatus(404)
    assert.lengthOf(await Payment.query().where('tenant_id', world.tenant.id), 0)
    assert.equal((await Invoice.findOrFail(draft.id)).status, 'draft')
  })
})
