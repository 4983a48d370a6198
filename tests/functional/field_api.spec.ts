import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import SwaggerParser from '@apidevtools/swagger-parser'
import app from '@adonisjs/core/services/app'
import i18nManager from '@adonisjs/i18n/services/main'
import AuditLog from '#models/audit_log'
import Branch from '#models/branch'
import Customer from '#models/customer'
import Job from '#models/job'
import JobEvent from '#models/job_event'
import ApiKeys from '#services/platform/api_keys'
import JobService from '#services/field/job_service'
import { createFieldWorld, createJob, type FieldWorld } from '#tests/helpers/field'

const apiKeys = await app.container.make(ApiKeys)

const jobs = await app.container.make(JobService)

/** A field-service world with an API key its admin created. */
async function apiWorld() {
  const world = await createFieldWorld()
  const { plainKey } = await apiKeys.create(world.tenant, 'CRM', { user: world.admin })
  return { ...world, plainKey }
}
type ApiWorld = Awaited<ReturnType<typeof apiWorld>>

/** `days` after the branch's today, YYYY-MM-DD. */
function day(world: FieldWorld, days: number) {
  return DateTime.fromISO(world.branch.today()).plus({ days }).toISODate()!
}

function jobBody(world: ApiWorld, extra: Record<string, unknown> = {}) {
  return {
    branch_id: world.branch.id,
    customer_id: world.customer.id,
    title: 'Cuci AC 3 unit',
    planned_start: day(world, 1),
    planned_end: day(world, 2),
    quota: 2,
    priority: 'high',
    ...extra,
  }
}

const fieldsOf = (body: { error: { fields: { field: string }[] } }) =>
  body.error.fields.map((field) => field.field)

const customerCount = (world: FieldWorld) =>
  Customer.query().where('tenant_id', world.tenant.id).count('* as total').first()

async function customersOf(world: FieldWorld) {
  return Number((await customerCount(world))!.$extras.total)
}

async function jobsOf(world: FieldWorld) {
  return Job.query().where('tenant_id', world.tenant.id).orderBy('id')
}

test.group('Field API: customers', () => {
  test('POST /customers adds a manual customer, phone in E.164, audited under the key creator; GET reads it', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const response = await client.post('/api/v1/customers').bearerToken(world.plainKey).json({
      name: '  Bu Sari  ',
      phone: '0812-7777-1234',
      address: 'Jl. Kenanga 7, Bandung',
      notes: 'Dua unit AC',
      locale: 'en',
    })
    response.assertStatus(201)
    const body = response.body()
    assert.containsSubset(body, {
      name: 'Bu Sari',
      phone: '+6281277771234',
      address: 'Jl. Kenanga 7, Bandung',
      notes: 'Dua unit AC',
      status: 'active',
      source: 'manual',
      locale: 'en',
    })
    assert.match(body.created_at, /Z$/)

    const stored = await Customer.findOrFail(body.id)
    assert.equal(stored.tenantId, world.tenant.id)
    const audit = await AuditLog.query()
      .where('action', 'customer.created')
      .where('subject_id', String(body.id))
      .firstOrFail()
    assert.equal(audit.tenantId, world.tenant.id)
    assert.equal(audit.userId, world.admin.id)

    const read = await client.get(`/api/v1/customers/${body.id}`).bearerToken(world.plainKey)
    read.assertStatus(200)
    assert.deepEqual(read.body(), body)
  })

  test('bad input answers 422 with the fields, in the language asked for; a taken phone 409; nothing is added', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const before = await customersOf(world)

    const missing = await client
      .post('/api/v1/customers')
      .bearerToken(world.plainKey)
      .json({ phone: 12, locale: 'fr' })
    missing.assertStatus(422)
    assert.equal(missing.body().error.code, 'E_VALIDATION_ERROR')
    assert.sameMembers(fieldsOf(missing.body()), ['name', 'phone', 'locale'])

    const id = i18nManager.locale('id')
    const unnamed = await client
      .post('/api/v1/customers')
      .bearerToken(world.plainKey)
      .header('Accept-Language', 'id')
      .json({ address: 'Jl. Kenanga 7' })
    unnamed.assertStatus(422)
    assert.equal(
      unnamed.body().error.fields[0].message,
      id.t('validator.shared.messages.required', { field: id.t('validator.shared.fields.name') })
    )

    const indonesian = await client
      .post('/api/v1/customers')
      .bearerToken(world.plainKey)
      .header('Accept-Language', 'id')
      .json({ name: 'Bu Sari', phone: '123' })
    indonesian.assertStatus(422)
    indonesian.assertBody({
      error: { code: 'E_INVALID_PHONE', message: id.t('errors.invalid_phone') },
    })

    const taken = await client
      .post('/api/v1/customers')
      .bearerToken(world.plainKey)
      .json({ name: 'Someone else', phone: world.customer.phone })
    taken.assertStatus(409)
    taken.assertBodyContains({ error: { code: 'E_CUSTOMER_PHONE_TAKEN' } })

    const long = await client
      .post('/api/v1/customers')
      .bearerToken(world.plainKey)
      .json({ name: 'x'.repeat(121), address: 'y'.repeat(501) })
    long.assertStatus(422)
    assert.sameMembers(fieldsOf(long.body()), ['name', 'address'])

    assert.equal(await customersOf(world), before)
  })

  test('a repeated POST with the same Idempotency-Key gets the first answer and adds no one', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const key = randomUUID()
    const send = () =>
      client
        .post('/api/v1/customers')
        .bearerToken(world.plainKey)
        .header('Idempotency-Key', key)
        .json({ name: 'Pak Joko', phone: '081299990000' })
    const first = await send()
    first.assertStatus(201)
    const again = await send()
    again.assertStatus(201)
    again.assertHeader('idempotent-replayed', 'true')
    assert.deepEqual(again.body(), first.body())
    assert.lengthOf(
      await Customer.query().where('tenant_id', world.tenant.id).where('name', 'Pak Joko'),
      1
    )
  })

  test('GET /customers searches, filters and pages, with data and meta; bad filters answer 422', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const add = (name: string, phone: string, extra: Partial<Customer> = {}) =>
      Customer.create({
        tenantId: world.tenant.id,
        name,
        phone,
        address: 'Jl. Anggrek 1, Bandung',
        status: 'active',
        source: 'manual',
        ...extra,
      })
    const wa = await add('Ibu Wati', '+6281311112222', { source: 'whatsapp' })
    const gone = await add('Pak Gone', '+6281311113333', { status: 'inactive' })
    const imported = await add('Toko Maju', '+6281311114444', { source: 'import' })

    const all = await client.get('/api/v1/customers').bearerToken(world.plainKey)
    all.assertStatus(200)
    assert.deepEqual(all.body().meta, { total: 4, page: 1, per_page: 25, last_page: 1 })
    assert.deepEqual(
      all.body().data.map((customer: { id: number }) => customer.id),
      [imported.id, gone.id, wa.id, world.customer.id]
    )

    const ids = async (query: string) => {
      const response = await client.get(`/api/v1/customers?${query}`).bearerToken(world.plainKey)
      response.assertStatus(200)
      return response.body().data.map((customer: { id: number }) => customer.id)
    }
    assert.deepEqual(await ids('q=wati'), [wa.id])
    assert.deepEqual(await ids('q=0813-1111-4444'), [imported.id])
    assert.deepEqual(await ids('status=inactive'), [gone.id])
    assert.deepEqual(await ids('source=whatsapp'), [wa.id])
    assert.deepEqual(await ids('source=import&status=active'), [imported.id])

    const paged = await client
      .get('/api/v1/customers?per_page=3&page=2')
      .bearerToken(world.plainKey)
    assert.deepEqual(paged.body().meta, { total: 4, page: 2, per_page: 3, last_page: 2 })
    assert.deepEqual(
      paged.body().data.map((customer: { id: number }) => customer.id),
      [world.customer.id]
    )

    const bad = await client
      .get('/api/v1/customers?per_page=101&status=gone&source=fax&page=0')
      .bearerToken(world.plainKey)
    bad.assertStatus(422)
    assert.sameMembers(fieldsOf(bad.body()), ['per_page', 'status', 'source', 'page'])

    // Another business's customers are never listed.
    const other = await apiWorld()
    const theirs = await client.get('/api/v1/customers').bearerToken(other.plainKey)
    assert.deepEqual(
      theirs.body().data.map((customer: { id: number }) => customer.id),
      [other.customer.id]
    )
  })

  test('PATCH /customers/:id changes only the fields sent, null empties one; bad input answers 422 or 409', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    world.customer.notes = 'Anjing galak'
    await world.customer.save()

    const response = await client
      .patch(`/api/v1/customers/${world.customer.id}`)
      .bearerToken(world.plainKey)
      .json({ phone: '0813 2222 3333', notes: null })
    response.assertStatus(200)
    assert.containsSubset(response.body(), {
      id: world.customer.id,
      name: world.customer.name,
      phone: '+6281322223333',
      address: world.customer.address,
      notes: null,
      status: 'active',
    })
    await world.customer.refresh()
    assert.equal(world.customer.phone, '+6281322223333')
    assert.isNull(world.customer.notes)
    const audit = await AuditLog.query()
      .where('action', 'customer.updated')
      .where('subject_id', String(world.customer.id))
      .firstOrFail()
    assert.equal(audit.userId, world.admin.id)

    const invalid = await client
      .patch(`/api/v1/customers/${world.customer.id}`)
      .bearerToken(world.plainKey)
      .json({ name: '', locale: 'xx' })
    invalid.assertStatus(422)
    assert.sameMembers(fieldsOf(invalid.body()), ['name', 'locale'])

    const other = await Customer.create({
      tenantId: world.tenant.id,
      name: 'Pak Lain',
      phone: '+6281399998888',
      status: 'active',
      source: 'manual',
    })
    const taken = await client
      .patch(`/api/v1/customers/${world.customer.id}`)
      .bearerToken(world.plainKey)
      .json({ phone: other.phone })
    taken.assertStatus(409)
    taken.assertBodyContains({ error: { code: 'E_CUSTOMER_PHONE_TAKEN' } })
    await world.customer.refresh()
    assert.equal(world.customer.phone, '+6281322223333')
  })

  test('POST /customers/:id/deactivate is a soft delete, audited, and changes nothing the second time', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const job = await createJob(world)
    const response = await client
      .post(`/api/v1/customers/${world.customer.id}/deactivate`)
      .bearerToken(world.plainKey)
    response.assertStatus(200)
    assert.equal(response.body().status, 'inactive')
    await world.customer.refresh()
    assert.equal(world.customer.status, 'inactive')
    assert.equal((await Job.findOrFail(job.id)).customerId, world.customer.id)

    const again = await client
      .post(`/api/v1/customers/${world.customer.id}/deactivate`)
      .bearerToken(world.plainKey)
    again.assertStatus(200)
    const audits = await AuditLog.query()
      .where('action', 'customer.deactivated')
      .where('subject_id', String(world.customer.id))
    assert.lengthOf(audits, 1)
    assert.equal(audits[0].userId, world.admin.id)

    // An inactive customer gets no new job.
    const refused = await client
      .post('/api/v1/jobs')
      .bearerToken(world.plainKey)
      .json(jobBody(world))
    refused.assertStatus(422)
    refused.assertBodyContains({ error: { code: 'E_CUSTOMER_NOT_FOUND' } })
  })

  test("another business's customer answers 404 on every route and stays as it was", async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const other = await createFieldWorld()
    const id = other.customer.id
    for (const response of [
      await client.get(`/api/v1/customers/${id}`).bearerToken(world.plainKey),
      await client
        .patch(`/api/v1/customers/${id}`)
        .bearerToken(world.plainKey)
        .json({ name: 'Hijacked' }),
      await client.post(`/api/v1/customers/${id}/deactivate`).bearerToken(world.plainKey),
      await client.get('/api/v1/customers/999999999').bearerToken(world.plainKey),
    ]) {
      response.assertStatus(404)
      response.assertBodyContains({ error: { code: 'E_ROW_NOT_FOUND' } })
    }
    const untouched = await Customer.findOrFail(id)
    assert.equal(untouched.name, other.customer.name)
    assert.equal(untouched.status, 'active')
  })
})

test.group('Field API: jobs', () => {
  test('POST /jobs creates an open job at the customer address, with its customer and no technicians', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const response = await client
      .post('/api/v1/jobs')
      .bearerToken(world.plainKey)
      .json(jobBody(world, { description: 'Bocor', priority: undefined }))
    response.assertStatus(201)
    const body = response.body()
    assert.containsSubset(body, {
      status: 'open',
      branch_id: world.branch.id,
      customer_id: world.customer.id,
      title: 'Cuci AC 3 unit',
      description: 'Bocor',
      address: world.customer.address,
      planned_start: day(world, 1),
      planned_end: day(world, 2),
      quota: 2,
      claimed: 0,
      places_left: 2,
      priority: 'normal',
      cancelled_at: null,
      customer: { id: world.customer.id, name: world.customer.name, phone: world.customer.phone },
      technicians: [],
    })
    assert.match(body.code, /^JV/)

    const job = await Job.findOrFail(body.id)
    assert.equal(job.tenantId, world.tenant.id)
    assert.equal(job.createdBy, world.admin.id)
    const events = await JobEvent.query().where('job_id', job.id)
    assert.deepEqual(
      events.map((event) => [event.type, event.userId]),
      [['created', world.admin.id]]
    )

    const elsewhere = await client
      .post('/api/v1/jobs')
      .bearerToken(world.plainKey)
      .json(jobBody(world, { address: 'Jl. Mawar 9, Cimahi', quota: 20 }))
    elsewhere.assertStatus(201)
    assert.equal(elsewhere.body().address, 'Jl. Mawar 9, Cimahi')
    assert.equal(elsewhere.body().quota, 20)
  })

  test('bad input answers 422 with the fields; dates, inactive customers and missing addresses too; nothing is created', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const send = (body: Record<string, unknown>) =>
      client.post('/api/v1/jobs').bearerToken(world.plainKey).json(body)

    const missing = await send({ priority: 'asap', quota: 21 })
    missing.assertStatus(422)
    assert.equal(missing.body().error.code, 'E_VALIDATION_ERROR')
    assert.sameMembers(fieldsOf(missing.body()), [
      'branch_id',
      'customer_id',
      'title',
      'planned_start',
      'planned_end',
      'quota',
      'priority',
    ])

    const shapes = await send(
      jobBody(world, { planned_start: '22-11-2026', quota: 0, title: 'AC', branch_id: 'x' })
    )
    shapes.assertStatus(422)
    assert.sameMembers(fieldsOf(shapes.body()), ['planned_start', 'quota', 'title', 'branch_id'])

    const backwards = await send(jobBody(world, { planned_start: day(world, 3) }))
    backwards.assertStatus(422)
    backwards.assertBodyContains({ error: { code: 'E_JOB_DATES_INVALID' } })

    const unreal = await send(jobBody(world, { planned_start: '2026-02-30' }))
    unreal.assertStatus(422)
    unreal.assertBodyContains({ error: { code: 'E_JOB_DATES_INVALID' } })

    const homeless = await Customer.create({
      tenantId: world.tenant.id,
      name: 'Tanpa Alamat',
      status: 'active',
      source: 'manual',
    })
    const noAddress = await send(jobBody(world, { customer_id: homeless.id }))
    noAddress.assertStatus(422)
    noAddress.assertBodyContains({ error: { code: 'E_JOB_ADDRESS_REQUIRED' } })

    assert.lengthOf(await jobsOf(world), 0)
  })

  test("another business's branch or customer answers 404 and creates nothing", async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const other = await createFieldWorld()
    for (const body of [
      jobBody(world, { branch_id: other.branch.id }),
      jobBody(world, { customer_id: other.customer.id }),
    ]) {
      const response = await client.post('/api/v1/jobs').bearerToken(world.plainKey).json(body)
      response.assertStatus(404)
      response.assertBodyContains({ error: { code: 'E_ROW_NOT_FOUND' } })
    }
    assert.lengthOf(await jobsOf(world), 0)
    assert.lengthOf(await jobsOf(other), 0)
  })

  test('a repeated POST /jobs gets the first job back and creates nothing, even at the same moment', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const key = randomUUID()
    const send = () =>
      client
        .post('/api/v1/jobs')
        .bearerToken(world.plainKey)
        .header('Idempotency-Key', key)
        .json(jobBody(world))
    const first = await send()
    first.assertStatus(201)
    const again = await send()
    again.assertStatus(201)
    again.assertHeader('idempotent-replayed', 'true')
    assert.deepEqual(again.body(), first.body())
    assert.lengthOf(await jobsOf(world), 1)

    const reused = await client
      .post('/api/v1/jobs')
      .bearerToken(world.plainKey)
      .header('Idempotency-Key', key)
      .json(jobBody(world, { title: 'Another job' }))
    reused.assertStatus(422)
    reused.assertBodyContains({ error: { code: 'E_IDEMPOTENCY_KEY_REUSED' } })

    const together = randomUUID()
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        fetch(`http://${process.env.HOST}:${process.env.PORT}/api/v1/jobs`, {
          method: 'POST',
          headers: {
            'authorization': `Bearer ${world.plainKey}`,
            'idempotency-key': together,
            'content-type': 'application/json',
          },
          body: JSON.stringify(jobBody(world, { title: 'Pasang AC baru' })),
        })
      )
    )
    assert.deepEqual([...new Set(responses.map((response) => response.status))], [201])
    const ids = await Promise.all(
      responses.map(async (response) => ((await response.json()) as { id: number }).id)
    )
    assert.equal(new Set(ids).size, 1)
    assert.lengthOf(
      (await jobsOf(world)).filter((job) => job.title === 'Pasang AC baru'),
      1
    )
  }).timeout(30_000)

  test('GET /jobs/:id shows the job with its customer and the technicians on it now', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const job = await createJob(world, { quota: 3 })
    const [first, second] = world.technicians
    await jobs.claim(job.id, world.tenant.id, first)
    await jobs.claim(job.id, world.tenant.id, second)
    await jobs.release(job.id, world.tenant.id, second, 'Motor mogok', { by: second })

    const response = await client.get(`/api/v1/jobs/${job.id}`).bearerToken(world.plainKey)
    response.assertStatus(200)
    const body = response.body()
    assert.containsSubset(body, {
      id: job.id,
      code: job.code,
      status: 'open',
      quota: 3,
      claimed: 1,
      places_left: 2,
      customer: { id: world.customer.id, name: world.customer.name, phone: world.customer.phone },
    })
    assert.lengthOf(body.technicians, 1)
    assert.containsSubset(body.technicians[0], {
      id: first.id,
      name: first.fullName,
      started_at: null,
      done_at: null,
    })
    assert.match(body.technicians[0].claimed_at, /Z$/)

    const other = await createFieldWorld()
    const theirs = await createJob(other)
    for (const path of [`/api/v1/jobs/${theirs.id}`, `/api/v1/jobs/${theirs.id}/events`]) {
      const response404 = await client.get(path).bearerToken(world.plainKey)
      response404.assertStatus(404)
      response404.assertBodyContains({ error: { code: 'E_ROW_NOT_FOUND' } })
    }
  })

  test('GET /jobs filters by status, priority, customer, technician, branch, planned dates and text, and pages', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const secondBranch = await Branch.create({
      tenantId: world.tenant.id,
      name: `Cabang 2 ${world.key}`,
      slug: `b2-${world.key}`,
      timezone: 'Asia/Jakarta',
    })
    const otherCustomer = await Customer.create({
      tenantId: world.tenant.id,
      name: 'Toko Sinar',
      phone: '+6281355556666',
      address: 'Jl. Dago 2',
      status: 'active',
      source: 'manual',
    })
    const soon = await createJob(world, {
      title: 'Cuci AC',
      plannedStart: day(world, 1),
      plannedEnd: day(world, 1),
      priority: 'urgent',
      quota: 1,
    })
    const later = await createJob(world, {
      title: 'Bongkar pasang',
      plannedStart: day(world, 5),
      plannedEnd: day(world, 6),
      customerId: otherCustomer.id,
    })
    const elsewhere = await jobs.create(
      secondBranch,
      {
        customerId: world.customer.id,
        title: 'Servis kulkas',
        plannedStart: day(world, 10),
        plannedEnd: day(world, 10),
        quota: 1,
        priority: 'low',
      },
      { by: world.cs }
    )
    await jobs.claim(soon.id, world.tenant.id, world.technicians[0])

    const ids = async (query: string) => {
      const response = await client.get(`/api/v1/jobs?${query}`).bearerToken(world.plainKey)
      response.assertStatus(200)
      return response.body().data.map((job: { id: number }) => job.id)
    }
    // Latest planned start first.
    assert.deepEqual(await ids(''), [elsewhere.id, later.id, soon.id])
    assert.deepEqual(await ids('status=assigned'), [soon.id])
    assert.deepEqual(await ids('status=open'), [elsewhere.id, later.id])
    assert.deepEqual(await ids('priority=urgent'), [soon.id])
    assert.deepEqual(await ids(`customer_id=${otherCustomer.id}`), [later.id])
    assert.deepEqual(await ids(`technician_id=${world.technicians[0].id}`), [soon.id])
    assert.deepEqual(await ids(`branch_id=${secondBranch.id}`), [elsewhere.id])
    assert.deepEqual(await ids(`branch_id=${world.branch.id}`), [later.id, soon.id])
    assert.deepEqual(await ids(`from=${day(world, 2)}&to=${day(world, 9)}`), [later.id])
    assert.deepEqual(await ids(`from=${day(world, 5)}`), [elsewhere.id, later.id])
    assert.deepEqual(await ids('q=kulkas'), [elsewhere.id])
    assert.deepEqual(await ids(`q=${soon.code}`), [soon.id])
    assert.deepEqual(await ids('q=sinar'), [later.id])

    const listed = await client.get('/api/v1/jobs?status=assigned').bearerToken(world.plainKey)
    assert.containsSubset(listed.body().data[0], {
      id: soon.id,
      claimed: 1,
      customer: { id: world.customer.id },
      technicians: [{ id: world.technicians[0].id, name: world.technicians[0].fullName }],
    })

    const paged = await client.get('/api/v1/jobs?per_page=2&page=2').bearerToken(world.plainKey)
    paged.assertStatus(200)
    assert.deepEqual(paged.body().meta, { total: 3, page: 2, per_page: 2, last_page: 2 })
    assert.deepEqual(
      paged.body().data.map((job: { id: number }) => job.id),
      [soon.id]
    )

    const bad = await client
      .get('/api/v1/jobs?status=lost&priority=now&from=tomorrow&per_page=500&customer_id=-1')
      .bearerToken(world.plainKey)
    bad.assertStatus(422)
    assert.sameMembers(fieldsOf(bad.body()), [
      'status',
      'priority',
      'from',
      'per_page',
      'customer_id',
    ])

    const other = await createFieldWorld()
    for (const query of [
      `branch_id=${other.branch.id}`,
      `customer_id=${other.customer.id}`,
      `technician_id=${other.technicians[0].id}`,
    ]) {
      const response = await client.get(`/api/v1/jobs?${query}`).bearerToken(world.plainKey)
      response.assertStatus(404)
      response.assertBodyContains({ error: { code: 'E_ROW_NOT_FOUND' } })
    }
  })

  test('POST /jobs/:id/cancel cancels an unclaimed job with its reason; a claimed one answers 409; 422 and 404 otherwise', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    const job = await createJob(world)

    const noReason = await client
      .post(`/api/v1/jobs/${job.id}/cancel`)
      .bearerToken(world.plainKey)
      .json({ reason: ' ' })
    noReason.assertStatus(422)
    assert.deepEqual(fieldsOf(noReason.body()), ['reason'])

    const key = randomUUID()
    const cancel = () =>
      client
        .post(`/api/v1/jobs/${job.id}/cancel`)
        .bearerToken(world.plainKey)
        .header('Idempotency-Key', key)
        .json({ reason: 'Pelanggan membatalkan' })
    const response = await cancel()
    response.assertStatus(200)
    assert.containsSubset(response.body(), {
      id: job.id,
      status: 'cancelled',
      cancel_reason: 'Pelanggan membatalkan',
    })
    assert.match(response.body().cancelled_at, /Z$/)
    const again = await cancel()
    again.assertStatus(200)
    again.assertHeader('idempotent-replayed', 'true')
    assert.deepEqual(again.body(), response.body())
    const cancelled = await JobEvent.query().where('job_id', job.id).where('type', 'cancelled')
    assert.lengthOf(cancelled, 1)
    assert.equal(cancelled[0].userId, world.admin.id)
    const audit = await AuditLog.query()
      .where('action', 'job.cancelled')
      .where('subject_id', String(job.id))
      .firstOrFail()
    assert.equal(audit.userId, world.admin.id)

    const claimed = await createJob(world)
    await jobs.claim(claimed.id, world.tenant.id, world.technicians[0])
    const locked = await client
      .post(`/api/v1/jobs/${claimed.id}/cancel`)
      .bearerToken(world.plainKey)
      .header('Accept-Language', 'id')
      .json({ reason: 'Salah input' })
    locked.assertStatus(409)
    locked.assertBody({
      error: {
        code: 'E_JOB_CLAIMED_LOCKED',
        message: i18nManager.locale('id').t('errors.job_claimed_locked'),
      },
    })
    assert.equal((await Job.findOrFail(claimed.id)).status, 'open')

    const other = await createFieldWorld()
    const theirs = await createJob(other)
    const foreign = await client
      .post(`/api/v1/jobs/${theirs.id}/cancel`)
      .bearerToken(world.plainKey)
      .json({ reason: 'Bukan punyamu' })
    foreign.assertStatus(404)
    foreign.assertBodyContains({ error: { code: 'E_ROW_NOT_FOUND' } })
    assert.equal((await Job.findOrFail(theirs.id)).status, 'open')
  })

  test('GET /jobs/:id/events is the history, oldest first, with who did each step', async ({
    client,
    assert,
  }) => {
    const world = await apiWorld()
    // A key nobody on the staff created: its steps are nobody's.
    const { plainKey: robotKey } = await apiKeys.create(world.tenant, 'Robot', { user: null })
    const created = await client
      .post('/api/v1/jobs')
      .bearerToken(robotKey)
      .json(jobBody(world, { quota: 1 }))
    created.assertStatus(201)
    const jobId = created.body().id
    const technician = world.technicians[1]
    await jobs.claim(jobId, world.tenant.id, technician)

    const response = await client.get(`/api/v1/jobs/${jobId}/events`).bearerToken(world.plainKey)
    response.assertStatus(200)
    const events = response.body().data
    assert.lengthOf(events, 2)
    assert.containsSubset(events, [
      {
        type: 'created',
        from_status: null,
        to_status: 'open',
        user: null,
        reason: null,
        data: null,
      },
      {
        type: 'claimed',
        from_status: 'open',
        to_status: 'assigned',
        user: { id: technician.id, name: technician.fullName },
        reason: null,
      },
    ])
    assert.equal(events[0].type, 'created')
    assert.isBelow(events[0].id, events[1].id)
    assert.match(events[1].created_at, /Z$/)

    await jobs.release(jobId, world.tenant.id, technician, 'Ban bocor', { by: technician })
    const after = await client.get(`/api/v1/jobs/${jobId}/events`).bearerToken(world.plainKey)
    assert.containsSubset(after.body().data[2], {
      type: 'released',
      from_status: 'assigned',
      to_status: 'open',
      reason: 'Ban bocor',
      data: { technician: technician.fullName },
    })
  })
})

test.group('Field API: the OpenAPI document', () => {
  test('documents every customer and job endpoint with its answers and the Customer, Job and JobEvent schemas', async ({
    client,
    assert,
  }) => {
    const document = (await client.get('/api/v1/openapi.json')).body()
    await SwaggerParser.validate(structuredClone(document))
    for (const [path, method, statuses] of [
      ['/customers', 'get', ['200', '422']],
      ['/customers', 'post', ['201', '409', '422']],
      ['/customers/{id}', 'get', ['200', '404']],
      ['/customers/{id}', 'patch', ['200', '404', '409', '422']],
      ['/customers/{id}/deactivate', 'post', ['200', '404']],
      ['/jobs', 'get', ['200', '404', '422']],
      ['/jobs', 'post', ['201', '404', '422']],
      ['/jobs/{id}', 'get', ['200', '404']],
      ['/jobs/{id}/cancel', 'post', ['200', '404', '409', '422']],
      ['/jobs/{id}/events', 'get', ['200', '404']],
    ] as const) {
      const operation = document.paths[path]?.[method]
      assert.isObject(operation, `${method.toUpperCase()} ${path}`)
      assert.includeMembers(Object.keys(operation.responses), [...statuses])
    }
    assert.includeMembers(document.components.schemas.Job.required, [
      'technicians',
      'customer',
      'places_left',
    ])
    assert.includeMembers(document.components.schemas.JobEvent.required, [
      'type',
      'from_status',
      'to_status',
      'user',
      'reason',
      'data',
      'created_at',
    ])
    assert.property(document.components.schemas, 'Customer')

    const docs = await client.get('/api/docs')
    docs.assertStatus(200)
    for (const text of [
      'PATCH /api/v1/customers/{id}',
      'POST /api/v1/jobs/{id}/cancel',
      'GET /api/v1/jobs/{id}/events',
      'E_JOB_CLAIMED_LOCKED',
    ])
      docs.assertTextIncludes(text)
  })
})
