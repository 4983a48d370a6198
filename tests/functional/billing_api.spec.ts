import { test } from '@japa/runner'
import SwaggerParser from '@apidevtools/swagger-parser'
import app from '@adonisjs/core/services/app'
import Rating from '#models/rating'
import ApiKeys from '#services/platform/api_keys'
import InvoiceService from '#services/billing/invoice_service'
import JobService from '#services/field/job_service'
import RatingService from '#services/billing/rating_service'
import { createFieldWorld, createJob, type FieldWorld } from '#tests/helpers/field'
import { messageVisitors } from '#tests/helpers/outbox'

const apiKeys = await app.container.make(ApiKeys)
const invoices = await app.container.make(InvoiceService)
const jobs = await app.container.make(JobService)
const ratings = await app.container.make(RatingService)

/** A field world with an API key its admin created. */
async function apiWorld() {
  const world = await createFieldWorld()
  // Rating links are made for customers who can be messaged.
  await messageVisitors(world)
  const { plainKey } = await apiKeys.create(world.tenant, 'ERP', { user: world.admin })
  return { ...world, plainKey }
}

/** An invoice of the world's customer: a draft, or approved (numbered). */
async function invoiceOf(world: FieldWorld, approve: boolean) {
  const invoice = await invoices.create(
    world.tenant,
    world.branch.id,
    {
      customerId: world.customer.id,
      lines: [
        { description: 'Servis AC', quantity: 2, unitPrice: 5_000_000 },
        { description: 'Freon', quantity: 1, unitPrice: 2_000_000 },
      ],
      discount: 0,
    },
    { by: world.cs }
  )
  if (!approve) return invoice
  await invoices.submit(invoice.id, world.tenant.id, { by: world.cs })
  return invoices.approve(invoice.id, world.tenant.id, { by: world.sales })
}

/** A job done by the first technician, rated `score` by its customer. */
async function ratedJob(world: FieldWorld, score: number) {
  const job = await createJob(world, { quota: 1 })
  const technician = world.technicians[0]
  await jobs.claim(job.id, world.tenant.id, technician)
  await jobs.start(job.id, world.tenant.id, technician, { by: technician })
  await jobs.finish(job.id, world.tenant.id, technician, { by: technician })
  const rating = await Rating.query()
    .where('subject_type', 'job')
    .where('subject_id', String(job.id))
    .firstOrFail()
  await ratings.answer(rating.token, score, 'Rapi dan cepat')
  return rating
}

test.group('Billing API: invoices and ratings (read only)', () => {
  test('lists invoices with their lines and filters; reads one; another business’s id is 404', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const draft = await invoiceOf(world, false)
    const approved = await invoiceOf(world, true)
    const other = await apiWorld()
    const foreign = await invoiceOf(other, true)

    const all = await client.get('/api/v1/invoices').bearerToken(world.plainKey)
    all.assertStatus(200)
    assert.deepEqual(
      all.body().data.map((row: { id: number }) => row.id),
      [approved.id, draft.id]
    )
    assert.deepEqual(all.body().meta, { total: 2, page: 1, per_page: 25, last_page: 1 })
    const [first] = all.body().data
    assert.equal(first.number, approved.number)
    assert.equal(first.status, 'approved')
    assert.equal(first.total, approved.total)
    assert.equal(first.customer_id, world.customer.id)
    assert.deepEqual(first.bill_to.name, world.customer.name)
    assert.deepEqual(first.lines, [
      { description: 'Servis AC', quantity: 2, unit_price: 5_000_000, amount: 10_000_000 },
      { description: 'Freon', quantity: 1, unit_price: 2_000_000, amount: 2_000_000 },
    ])
    assert.match(first.url, new RegExp(`/i/${approved.token}$`))

    const drafts = await client.get('/api/v1/invoices?status=draft').bearerToken(world.plainKey)
    assert.deepEqual(
      drafts.body().data.map((row: { id: number }) => row.id),
      [draft.id]
    )
    const byNumber = await client
      .get('/api/v1/invoices')
      .qs({ q: approved.number!.slice(-4), per_page: 1 })
      .bearerToken(world.plainKey)
    byNumber.assertStatus(200)
    assert.equal(byNumber.body().data[0].id, approved.id)
    const byName = await client
      .get('/api/v1/invoices')
      .qs({ q: world.customer.name.toLowerCase() })
      .bearerToken(world.plainKey)
    assert.lengthOf(byName.body().data, 2, 'the search ignores case')

    const one = await client.get(`/api/v1/invoices/${approved.id}`).bearerToken(world.plainKey)
    one.assertStatus(200)
    assert.equal(one.body().tax, approved.tax)
    assert.lengthOf(one.body().lines, 2)

    ;(await client.get(`/api/v1/invoices/${foreign.id}`).bearerToken(world.plainKey)).assertStatus(
      404
    )
    ;(
      await client
        .get(`/api/v1/invoices?customer_id=${other.customer.id}`)
        .bearerToken(world.plainKey)
    ).assertStatus(404)
    ;(
      await client.get(`/api/v1/invoices?branch_id=${other.branch.id}`).bearerToken(world.plainKey)
    ).assertStatus(404)
    const bad = await client
      .get('/api/v1/invoices?status=lunas&month=2026-13')
      .bearerToken(world.plainKey)
    bad.assertStatus(422)
    assert.sameMembers(
      bad.body().error.fields.map((field: { field: string }) => field.field),
      ['status', 'month']
    )
    ;(await client.get('/api/v1/invoices')).assertStatus(401)
  })

  test('lists answered ratings with their credits by period and staff; reads one; another business’s id is 404', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const rated = await ratedJob(world, 5)
    const other = await apiWorld()
    const foreign = await ratedJob(other, 1)

    const list = await client.get('/api/v1/ratings').bearerToken(world.plainKey)
    list.assertStatus(200)
    assert.lengthOf(list.body().data, 1)
    const [row] = list.body().data
    assert.equal(row.id, rated.id)
    assert.equal(row.score, 5)
    assert.equal(row.comment, 'Rapi dan cepat')
    assert.equal(row.subject_type, 'job')
    assert.sameDeepMembers(row.credits, [
      { user_id: world.cs.id, part: 'cs' },
      { user_id: world.technicians[0].id, part: 'technician' },
    ])

    const byStaff = await client
      .get(`/api/v1/ratings?staff_id=${world.technicians[0].id}&subject_type=job`)
      .bearerToken(world.plainKey)
    assert.lengthOf(byStaff.body().data, 1)
    const tickets = await client
      .get('/api/v1/ratings?subject_type=ticket')
      .bearerToken(world.plainKey)
    assert.lengthOf(tickets.body().data, 0)
    const longAgo = await client
      .get('/api/v1/ratings?from=2020-01-01&to=2020-01-31')
      .bearerToken(world.plainKey)
    assert.lengthOf(longAgo.body().data, 0)

    const one = await client.get(`/api/v1/ratings/${rated.id}`).bearerToken(world.plainKey)
    one.assertStatus(200)
    assert.equal(one.body().score, 5)
    ;(await client.get(`/api/v1/ratings/${foreign.id}`).bearerToken(world.plainKey)).assertStatus(
      404
    )
    ;(
      await client
        .get(`/api/v1/ratings?staff_id=${other.technicians[0].id}`)
        .bearerToken(world.plainKey)
    ).assertStatus(404)
    ;(await client.get('/api/v1/ratings?from=kemarin').bearerToken(world.plainKey)).assertStatus(
      422
    )
  })

  test('the OpenAPI document describes the invoice and rating endpoints and stays valid', async ({
    client,
    assert,
  }) => {
    const document = (await client.get('/api/v1/openapi.json')).body()
    await SwaggerParser.validate(structuredClone(document))
    for (const [path, statuses] of [
      ['/invoices', ['200', '401', '404', '422']],
      ['/invoices/{id}', ['200', '401', '404']],
      ['/ratings', ['200', '401', '404', '422']],
      ['/ratings/{id}', ['200', '401', '404']],
    ] as const) {
      const operation = document.paths[path]?.get
      assert.isObject(operation, `GET ${path}`)
      assert.includeMembers(Object.keys(operation.responses), [...statuses])
    }
    assert.includeMembers(document.components.schemas.Invoice.required, [
      'number',
      'lines',
      'bill_to',
      'tax_base',
    ])
    assert.includeMembers(document.components.schemas.Rating.required, ['score', 'credits'])
  })
})
