import { fileURLToPath } from 'node:url'
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import Invoice from '#models/invoice'
import InvoiceEvent from '#models/invoice_event'
import Notification from '#models/notification'
import InvoiceService from '#services/billing/invoice_service'
import clock from '#support/clock'
import { createFieldWorld, createJob, type FieldWorld } from '#tests/helpers/field'
import { createWorld, PASSWORD } from '#tests/helpers/world'
import { messageVisitors } from '#tests/helpers/outbox'
import { HttpSession } from '#tests/helpers/http_session'
import { baseUrl } from '#tests/helpers/browser'

const invoices = await app.container.make(InvoiceService)
/** Text with the no-break spaces Intl puts in amounts (`Rp\u00a0333.000`) as plain spaces. */
const plain = (text: string) => text.replace(/\u00a0/g, ' ')
const icon = fileURLToPath(new URL('../../public/icons/icon-192.png', import.meta.url))

/** Two lines and a discount: 2 x Rp150.000 + Rp50.000 - Rp50.000 = Rp300.000 before PPN. */
const form = (world: FieldWorld, extra: Record<string, unknown> = {}) => ({
  'customer_id': world.customer.id,
  'lines[0][description]': 'Cuci AC split',
  'lines[0][quantity]': 2,
  'lines[0][unit_price]': '150.000',
  'lines[1][description]': 'Freon R32',
  'lines[1][quantity]': 1,
  'lines[1][unit_price]': '50000',
  'lines[2][description]': '',
  'lines[2][quantity]': 1,
  'lines[2][unit_price]': '',
  'discount': '50.000',
  ...extra,
})

/** A draft of the world's customer written by CS through the service. */
function draft(world: FieldWorld, unitPrice = 10_000_000) {
  return invoices.create(
    world.tenant,
    world.branch.id,
    {
      customerId: world.customer.id,
      lines: [{ description: 'Servis AC', quantity: 1, unitPrice }],
      discount: 0,
    },
    { by: world.cs }
  )
}

async function approved(world: FieldWorld) {
  const invoice = await draft(world)
  await invoices.submit(invoice.id, world.tenant.id, { by: world.cs })
  return invoices.approve(invoice.id, world.tenant.id, { by: world.sales })
}

test.group('Invoices: CS writes, sales approves', (group) => {
  group.each.teardown(() => clock.reset())

  test('CS writes a draft from the form: blank rows are skipped and PPN is on DPP 11/12', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const response = await client
      .post('/app/invoices')
      .form(form(world))
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    response.assertStatus(302)
    const invoice = await Invoice.query()
      .where('tenant_id', world.tenant.id)
      .preload('lines')
      .firstOrFail()
    assert.equal(response.headers().location, `/app/invoices/${invoice.id}`)
    assert.equal(invoice.status, 'draft')
    assert.isNull(invoice.number)
    assert.lengthOf(invoice.lines, 2)
    assert.deepEqual(
      invoice.lines.map((line) => line.amount),
      [30_000_000, 5_000_000]
    )
    assert.equal(invoice.subtotal, 35_000_000)
    assert.equal(invoice.discount, 5_000_000)
    assert.equal(invoice.taxBase, 27_500_000)
    assert.equal(invoice.tax, 3_300_000)
    assert.equal(invoice.total, 33_300_000)
    assert.equal(invoice.billToName, world.customer.name)
    assert.equal(invoice.billToPhone, world.customer.phone)

    const page = await client.get(`/app/invoices/${invoice.id}`).loginAs(world.cs)
    page.assertStatus(200)
    assert.include(plain(page.text()), 'Rp 333.000')
    page.assertTextIncludes('tiga ratus tiga puluh tiga ribu rupiah')
    assert.include(plain(page.text()), 'Rp 275.000')
    const list = await client.get('/app/invoices?status=draft').loginAs(world.cs)
    list.assertTextIncludes(world.customer.name)
  })

  test('bad lines answer with the form and its errors, and write nothing', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    for (const bad of [
      { 'lines[0][unit_price]': '-5' },
      { 'lines[0][unit_price]': 'seratus' },
      { 'lines[0][quantity]': 0 },
      {
        'lines[0][description]': '',
        'lines[0][unit_price]': '',
        'lines[1][description]': '',
        'lines[1][unit_price]': '',
      },
      { customer_id: 999_999_999 },
      { customer_id: '', bill_to_name: '' },
      { bill_to_phone: 'bukan nomor' },
    ]) {
      const response = await client
        .post('/app/invoices')
        .form(form(world, bad))
        .header('referer', '/app/invoices/new')
        .redirects(0)
        .withCsrfToken()
        .loginAs(world.cs)
      assert.oneOf(response.status(), [302, 422], JSON.stringify(bad))
      if (response.status() === 302)
        assert.equal(response.headers().location, '/app/invoices/new', JSON.stringify(bad))
    }
    const api = await client
      .post('/app/invoices')
      .form(form(world, { 'lines[0][unit_price]': 'seratus' }))
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.cs)
    api.assertStatus(422)
    assert.equal((await Invoice.query().where('tenant_id', world.tenant.id)).length, 0)
  })

  test('the whole life: submit, approve with a number, change needs a new approval, send, pay with a proof', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    await messageVisitors(world)
    const invoice = await draft(world)

    // Roles: sales cannot write, CS cannot approve.
    const salesEdit = await client
      .post(`/app/invoices/${invoice.id}/submit`)
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.sales)
    salesEdit.assertStatus(403)
    await client
      .post(`/app/invoices/${invoice.id}/submit`)
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    const csApprove = await client
      .post(`/app/invoices/${invoice.id}/approve`)
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    csApprove.assertStatus(403)

    const approve = await client
      .post(`/app/invoices/${invoice.id}/approve`)
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.sales)
    approve.assertStatus(302)
    let stored = await Invoice.findOrFail(invoice.id)
    const today = world.branch.today()
    assert.equal(stored.status, 'approved')
    assert.equal(stored.number, `INV/${today.slice(0, 4)}/${today.slice(5, 7)}/0001`)
    assert.equal(stored.approvedTotal, stored.total)
    assert.equal(stored.approvedBy, world.sales.id)
    assert.equal(stored.issuedOn, today)
    assert.isTrue(stored.dueOn! > today)

    // A change after approval: back to draft, approval cleared, number kept.
    const edited = await client
      .put(`/app/invoices/${invoice.id}`)
      .form(form(world))
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    edited.assertStatus(302)
    stored = await Invoice.findOrFail(invoice.id)
    assert.equal(stored.status, 'draft')
    assert.isNull(stored.approvedTotal)
    assert.isNull(stored.approvedBy)
    assert.equal(stored.total, 33_300_000)
    assert.match(stored.number!, /0001$/)
    const early = await client
      .post(`/app/invoices/${invoice.id}/send`)
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    early.assertStatus(302)
    assert.equal((await Invoice.findOrFail(invoice.id)).status, 'draft')

    await invoices.submit(invoice.id, world.tenant.id, { by: world.cs })
    stored = await invoices.approve(invoice.id, world.tenant.id, { by: world.owner })
    assert.match(stored.number!, /0001$/)

    const send = await client
      .post(`/app/invoices/${invoice.id}/send`)
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    send.assertStatus(302)
    const message = await Notification.query()
      .where('tenant_id', world.tenant.id)
      .where('event', 'invoice_sent')
      .firstOrFail()
    assert.equal(message.recipient, world.customer.phone)
    assert.include(message.body, stored.number!)
    assert.include(plain(message.body), 'Rp 333.000')
    assert.include(message.body, `/i/${stored.token}`)

    const paid = await client
      .post(`/app/invoices/${invoice.id}/pay`)
      .field('paid_on', today)
      .field('method', 'transfer')
      .field('payment_reference', 'BCA 0042')
      .file('proof', icon)
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    paid.assertStatus(302)
    stored = await Invoice.findOrFail(invoice.id)
    assert.equal(stored.status, 'paid')
    assert.equal(stored.paidOn, today)
    assert.equal(stored.paymentMethod, 'transfer')
    assert.equal(stored.proofMime, 'image/png')
    const proof = await client.get(`/app/invoices/${invoice.id}/proof`).loginAs(world.owner)
    proof.assertStatus(200)
    assert.equal(proof.header('content-type'), 'image/png')

    const events = await InvoiceEvent.query().where('invoice_id', invoice.id).orderBy('id')
    assert.deepEqual(
      events.map((event) => event.type),
      ['created', 'submitted', 'approved', 'edited', 'submitted', 'approved', 'sent', 'paid']
    )
    const audited = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .where('subject_type', 'invoice')
      .orderBy('id')
    assert.deepEqual(
      audited.map((entry) => entry.action),
      events.map((event) => `invoice.${event.type}`)
    )
    const again = await client
      .post(`/app/invoices/${invoice.id}/void`)
      .form({ reason: 'salah' })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    again.assertStatus(302)
    assert.equal((await Invoice.findOrFail(invoice.id)).status, 'paid')
  })

  test('a hostile proof is refused and nothing changes', async ({ client, assert }) => {
    const world = await createFieldWorld()
    const invoice = await approved(world)
    for (const [bytes, name] of [
      [Buffer.from('<html><script>alert(1)</script></html>'), 'slip.png'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'slip.svg'],
    ] as const) {
      const response = await client
        .post(`/app/invoices/${invoice.id}/pay`)
        .field('paid_on', world.branch.today())
        .field('method', 'transfer')
        .file('proof', bytes, { filename: name })
        .header('accept', 'application/json')
        .withCsrfToken()
        .loginAs(world.cs)
      response.assertStatus(422)
    }
    const future = await invoices
      .markPaid(
        invoice.id,
        world.tenant.id,
        { paidOn: '2999-01-01', method: 'cash' },
        { by: world.cs }
      )
      .catch((error) => error)
    assert.equal(future.status, 422)
    const stored = await Invoice.findOrFail(invoice.id)
    assert.equal(stored.status, 'approved')
    assert.isNull(stored.proofPath)
  })

  test('a void invoice keeps its number and the next one is not reused', async ({ assert }) => {
    const world = await createFieldWorld()
    const first = await approved(world)
    await invoices.void(first.id, world.tenant.id, 'Salah pelanggan', { by: world.cs })
    const second = await approved(world)
    const voided = await Invoice.findOrFail(first.id)
    assert.equal(voided.status, 'void')
    assert.match(voided.number!, /0001$/)
    assert.match(second.number!, /0002$/)
    const refused = await invoices
      .submit(first.id, world.tenant.id, { by: world.cs })
      .catch((error) => error)
    assert.equal(refused.status, 409)
  })

  test('numbers restart each month in the tenant time zone and follow the format', async ({
    assert,
  }) => {
    const world = await createFieldWorld()
    world.tenant.billingSettings = JSON.stringify({ numberFormat: 'F-{YY}{MM}-{NNN}' })
    await world.tenant.save()
    clock.travelTo(DateTime.fromISO('2026-11-30T17:30:00Z')) // 1 Dec 00:30 in Jakarta
    const december = await approved(world)
    clock.travelTo(DateTime.fromISO('2026-11-30T16:30:00Z')) // 30 Nov 23:30 in Jakarta
    const november = await approved(world)
    assert.equal(december.number, 'F-2612-001')
    assert.equal(november.number, 'F-2611-001')
    assert.equal(december.issuedOn, '2026-12-01')
  })

  test("another tenant's invoice answers 404; a technician cannot open invoices", async ({
    client,
  }) => {
    const world = await createFieldWorld()
    const other = await createFieldWorld()
    const invoice = await draft(other)
    for (const path of [`/app/invoices/${invoice.id}`, `/app/invoices/${invoice.id}/invoice.pdf`])
      (await client.get(path).loginAs(world.cs)).assertStatus(404)
    const post = await client
      .post(`/app/invoices/${invoice.id}/submit`)
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    post.assertStatus(404)
    ;(await client.get('/app/invoices').loginAs(world.technicians[0])).assertStatus(403)
  })

  test('billing a done job starts from its customer and title; an unfinished one is refused', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const job = await createJob(world, { quota: 1 })
    const early = await client
      .get(`/app/invoices/new?job_id=${job.id}`)
      .header('accept', 'application/json')
      .loginAs(world.cs)
    early.assertStatus(409)
    // A job id that is no whole number is a job not found, on the form and on the draft alike.
    for (const odd of ['Infinity', '1e400', 'abc', '1.5', `${job.id}[]`]) {
      const unknown = await client
        .get(`/app/invoices/new?job_id=${encodeURIComponent(odd)}`)
        .header('accept', 'application/json')
        .loginAs(world.cs)
      unknown.assertStatus(404)
      const saved = await client
        .post('/app/invoices')
        .form({
          'source_type': 'job',
          'source_id': odd,
          'customer_id': world.customer.id,
          'lines[0][description]': 'Servis',
          'lines[0][quantity]': 1,
          'lines[0][unit_price]': '250000',
        })
        .header('accept', 'application/json')
        .withCsrfToken()
        .loginAs(world.cs)
      saved.assertStatus(404)
    }
    await db.from('jobs').where('id', job.id).update({ status: 'done' })
    const page = await client.get(`/app/invoices/new?job_id=${job.id}`).loginAs(world.cs)
    page.assertStatus(200)
    page.assertTextIncludes(job.code)
    const response = await client
      .post('/app/invoices')
      .form({
        'source_type': 'job',
        'source_id': String(job.id),
        'customer_id': world.customer.id,
        'lines[0][description]': `Servis (${job.code})`,
        'lines[0][quantity]': 1,
        'lines[0][unit_price]': '250000',
      })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    response.assertStatus(302)
    const invoice = await Invoice.query().where('tenant_id', world.tenant.id).firstOrFail()
    assert.equal(invoice.sourceType, 'job')
    assert.equal(invoice.sourceId, String(job.id))
    assert.equal(invoice.total, 27_750_000)
  })

  test('the list flags overdue invoices, totals each month and exports what it shows as CSV', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const late = await approved(world)
    await db.from('invoices').where('id', late.id).update({ due_on: '2020-01-01' })
    const onTime = await approved(world)
    await invoices.markPaid(
      onTime.id,
      world.tenant.id,
      { paidOn: world.branch.today(), method: 'cash' },
      { by: world.cs }
    )
    await draft(world)

    const overdue = await client.get('/app/invoices?status=overdue').loginAs(world.owner)
    overdue.assertStatus(200)
    overdue.assertTextIncludes(late.number!)
    assert.notInclude(overdue.text(), onTime.number!)
    const months = await client.get('/app/invoices').loginAs(world.owner)
    const month = world.branch.today().slice(0, 7)
    assert.match(months.text(), new RegExp(`data-month="${month}"`))

    const csv = await client.get('/app/invoices/export.csv?status=overdue').loginAs(world.owner)
    csv.assertStatus(200)
    assert.include(csv.header('content-type'), 'text/csv')
    const rows = csv
      .text()
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    assert.lengthOf(rows, 2)
    assert.include(rows[1], late.number!)
    assert.include(rows[1], '111000')
  })
})

test.group('Invoices: the customer link', () => {
  test('a sent invoice opens at /i/:token with its PDF; drafts and wrong tokens are 404', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const unsent = await draft(world)
    ;(await client.get(`/i/${unsent.token}`)).assertStatus(404)
    ;(await client.get('/i/aaaaaaaaaaaaaaaaaaaaaaaa')).assertStatus(404)
    ;(await client.get('/i/..%2F..%2Fetc')).assertStatus(404)

    const invoice = await approved(world)
    const page = await client.get(`/i/${invoice.token}`)
    page.assertStatus(200)
    page.assertTextIncludes(invoice.number!)
    assert.include(plain(page.text()), 'Rp 111.000')
    page.assertTextIncludes('seratus sebelas ribu rupiah')
    const english = await client.get(`/i/${invoice.token}?lang=en`)
    english.assertTextIncludes('Download PDF')

    const pdf = await fetch(`${baseUrl}/i/${invoice.token}/invoice.pdf?download=1`)
    assert.equal(pdf.status, 200)
    assert.equal(pdf.headers.get('content-type'), 'application/pdf')
    assert.include(pdf.headers.get('content-disposition'), 'attachment')
    const bytes = Buffer.from(await pdf.arrayBuffer())
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-')
  })
})

test.group(`Invoices: parallel approvals (${db.primaryConnectionName})`, () => {
  test('50 approvals at once get 50 distinct consecutive numbers', async ({ assert }) => {
    const world = await createWorld({ services: 0, counters: 0 })
    const field = await createFieldWorld()
    const ids: number[] = []
    for (let index = 0; index < 50; index++) {
      const invoice = await invoices.create(
        field.tenant,
        field.branch.id,
        {
          customerId: null,
          billToName: `Pelanggan ${index}`,
          lines: [{ description: 'Servis', quantity: 1, unitPrice: 100_000 }],
          discount: 0,
        },
        { by: field.cs }
      )
      await invoices.submit(invoice.id, field.tenant.id, { by: field.cs })
      ids.push(invoice.id)
    }
    const sessions = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const session = new HttpSession()
        await session.login(field.sales.email, PASSWORD)
        await session.get('/app/invoices')
        return session
      })
    )
    const responses = await Promise.all(
      ids.map((id, index) => sessions[index % 5].post(`/app/invoices/${id}/approve`))
    )
    assert.deepEqual([...new Set(responses.map((response) => response.status))], [302])
    const numbers = (await Invoice.query().whereIn('id', ids)).map((invoice) =>
      Number(invoice.number!.split('/').at(-1))
    )
    assert.deepEqual(
      numbers.sort((a, b) => a - b),
      Array.from({ length: 50 }, (_, index) => index + 1)
    )
    assert.notEqual(world.tenant.id, field.tenant.id)
  }).timeout(120_000)
})
