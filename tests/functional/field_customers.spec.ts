import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import Customer from '#models/customer'
import User from '#models/user'
import CustomerDirectory from '#services/field/customer_directory'
import JobService from '#services/field/job_service'
import { importsSettled } from '#services/field/customer_import'
import { createFieldWorld, createJob, type FieldWorld } from '#tests/helpers/field'

const directory = await app.container.make(CustomerDirectory)
const jobService = await app.container.make(JobService)

/** A phone number no other test uses (+62 812 xxxx xxxx). */
function freshPhone() {
  return `0812${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`
}
const e164 = (local: string) => `+62${local.slice(1)}`

/** Customers of the world's tenant, by name. */
function customersOf(world: FieldWorld) {
  return Customer.forTenant(world.tenant).orderBy('name')
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])

/** Uploads `csv` as `user` (JSON errors when `json`), without following the redirect. */
function upload(
  client: ApiClient,
  user: User,
  csv: string | Buffer,
  options: { filename?: string; json?: boolean } = {}
) {
  const request = client
    .post('/app/field/customers/import')
    .file('file', Buffer.isBuffer(csv) ? csv : Buffer.from(csv), {
      filename: options.filename ?? 'pelanggan.csv',
      contentType: 'text/csv',
    })
    .redirects(0)
    .withCsrfToken()
    .loginAs(user)
  return options.json ? request.accept('json') : request
}

/** Uploads `csv` and returns its import's page URL. */
async function previewed(client: ApiClient, user: User, csv: string) {
  const response = await upload(client, user, csv)
  response.assertStatus(302)
  const location = response.header('location') as string
  if (!/^\/app\/field\/customers\/import\/[\w-]{24}$/.test(location))
    throw new Error(`unexpected redirect: ${location}`)
  return location
}

/** The number shown in a `data-count` badge of a page. */
function count(html: string, name: string) {
  const match = new RegExp(`data-count="${name}">(\\d+)<`).exec(html)
  return match ? Number(match[1]) : null
}

/**
 * Commits the import at `url` and polls its progress as the page does (htmx, with the version it
 * holds) until it is done; returns the last progress card.
 */
async function commitAndWait(client: ApiClient, user: User, url: string) {
  const committed = await client.post(url).redirects(0).withCsrfToken().loginAs(user)
  committed.assertStatus(302)
  let version = ''
  let html = ''
  const started = Date.now()
  for (;;) {
    const poll = await client
      .get(url)
      .qs(version ? { v: version } : {})
      .header('hx-request', 'true')
      .loginAs(user)
    if (poll.status() !== 204) {
      poll.assertStatus(200)
      html = poll.text()
      version = /data-version="([^"]+)"/.exec(html)?.[1] ?? ''
      if (/data-status="(done|failed)"/.test(html)) break
    }
    if (Date.now() - started > 25_000) throw new Error(`import not done: ${html}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  await importsSettled()
  return { html }
}

test.group('Field: customers (MDM)', () => {
  test('CS adds a customer from the form: the phone is stored in E.164, the page shows them, the change is audited', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const phone = freshPhone()
    const form = await client.get('/app/field/customers/new').loginAs(world.cs)
    form.assertStatus(200)
    form.assertTextIncludes('data-testid="customer-form"')

    const created = await client
      .post('/app/field/customers')
      .form({
        name: '  Ibu Sulistyowati  ',
        phone,
        address: 'Jl. Kenanga 2, Bandung',
        notes: 'AC 2 PK di lantai 2',
        locale: '',
      })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    created.assertStatus(302)
    const customer = await Customer.forTenant(world.tenant)
      .where('name', 'Ibu Sulistyowati')
      .firstOrFail()
    assert.equal(created.header('location'), `/app/field/customers/${customer.id}`)
    assert.deepInclude(customer.$attributes, {
      phone: e164(phone),
      address: 'Jl. Kenanga 2, Bandung',
      notes: 'AC 2 PK di lantai 2',
      status: 'active',
      source: 'manual',
      locale: null,
    })
    const audit = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .where('action', 'customer.created')
      .firstOrFail()
    assert.equal(audit.userId, world.cs.id)

    const page = await client.get(`/app/field/customers/${customer.id}`).loginAs(world.cs)
    page.assertStatus(200)
    page.assertTextIncludes('Ibu Sulistyowati')
    page.assertTextIncludes(e164(phone))
    page.assertTextIncludes('AC 2 PK di lantai 2')
    page.assertTextIncludes('Belum ada kunjungan untuk pelanggan ini.')
  })

  test('bad input answers 422 with an Indonesian message and stores nothing; a form goes back with the message under the field', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const refused = async (form: Record<string, string>) => {
      const response = await client
        .post('/app/field/customers')
        .json(form)
        .withCsrfToken()
        .loginAs(world.cs)
        .accept('json')
      return { status: response.status(), message: response.body().error?.message }
    }
    assert.deepEqual(await refused({ name: '' }), { status: 422, message: 'Nama wajib diisi' })
    assert.deepEqual(await refused({ name: 'x'.repeat(121) }), {
      status: 422,
      message: 'Nama maksimal 120 karakter',
    })
    assert.deepEqual(await refused({ name: 'Budi', address: 'a'.repeat(501) }), {
      status: 422,
      message: 'Alamat maksimal 500 karakter',
    })
    assert.deepEqual(await refused({ name: 'Budi', notes: 'n'.repeat(2001) }), {
      status: 422,
      message: 'Catatan maksimal 2000 karakter',
    })
    assert.deepEqual(await refused({ name: 'Budi', phone: '12-ab' }), {
      status: 422,
      message: 'Nomor HP tidak valid. Contoh: 0812 3456 7890.',
    })
    assert.deepEqual(await refused({ name: 'Budi', locale: 'fr' }), {
      status: 422,
      message: 'Pilihan Bahasa pesan tidak valid',
    })
    // The world's customer already has this number (typed the local way here).
    assert.deepEqual(
      await refused({ name: 'Budi Kembar', phone: `0${world.customer.phone!.slice(3)}` }),
      { status: 409, message: 'Nomor telepon ini sudah dipakai pelanggan lain.' }
    )
    assert.lengthOf(await customersOf(world), 1)

    const back = await client
      .post('/app/field/customers')
      .form({ name: '', address: 'Jl. Melati' })
      .header('referer', '/app/field/customers/new')
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    back.assertStatus(302)
    assert.equal(back.header('location'), '/app/field/customers/new')
    back.assertFlashMessage('inputErrorsBag', { name: ['Nama wajib diisi'] })
  })

  test('sales work with customers; technicians and counter operators are refused (403) everywhere', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const id = world.customer.id
    for (const user of [world.technicians[0], world.operator]) {
      for (const path of [
        '/app/field/customers',
        '/app/field/customers/new',
        `/app/field/customers/${id}`,
        `/app/field/customers/${id}/edit`,
        '/app/field/customers/export.csv',
        '/app/field/customers/import',
        '/app/field/customers/import/AAAAAAAAAAAAAAAAAAAAAAAA',
      ])
        (await client.get(path).loginAs(user)).assertStatus(403)
      for (const path of [
        '/app/field/customers',
        `/app/field/customers/${id}/deactivate`,
        `/app/field/customers/${id}/reactivate`,
        '/app/field/customers/import',
        '/app/field/customers/import/AAAAAAAAAAAAAAAAAAAAAAAA',
      ])
        (
          await client.post(path).form({ name: 'X' }).redirects(0).withCsrfToken().loginAs(user)
        ).assertStatus(403)
      ;(
        await client
          .put(`/app/field/customers/${id}`)
          .form({ name: 'Diubah' })
          .redirects(0)
          .withCsrfToken()
          .loginAs(user)
      ).assertStatus(403)
    }
    for (const user of [world.sales, world.cs, world.admin, world.owner])
      (await client.get('/app/field/customers').loginAs(user)).assertStatus(200)
    const edited = await client
      .put(`/app/field/customers/${id}`)
      .form({ name: 'Pak Budi (sales)', phone: world.customer.phone!, address: 'Jl. Baru 1' })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.sales)
    edited.assertStatus(302)
    edited.assertFlashMessage('success', 'Data Pak Budi (sales) disimpan.')
    const customer = await Customer.findOrFail(id)
    assert.equal(customer.name, 'Pak Budi (sales)')
    assert.equal(customer.address, 'Jl. Baru 1')
  })

  test("another tenant's customer answers 404 to every route and is left as it was", async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const other = await createFieldWorld()
    const theirs = other.customer.id
    for (const path of [`/app/field/customers/${theirs}`, `/app/field/customers/${theirs}/edit`])
      (await client.get(path).loginAs(world.cs)).assertStatus(404)
    for (const path of [
      `/app/field/customers/${theirs}/deactivate`,
      `/app/field/customers/${theirs}/reactivate`,
    ])
      (await client.post(path).redirects(0).withCsrfToken().loginAs(world.cs)).assertStatus(404)
    ;(
      await client
        .put(`/app/field/customers/${theirs}`)
        .form({ name: 'Dibajak' })
        .redirects(0)
        .withCsrfToken()
        .loginAs(world.cs)
    ).assertStatus(404)
    ;(await client.get('/app/field/customers/999999999').loginAs(world.cs)).assertStatus(404)
    const untouched = await Customer.findOrFail(theirs)
    assert.equal(untouched.name, other.customer.name)
    assert.equal(untouched.status, 'active')
    // Their customers are not in this tenant's list, search or export either.
    const list = await client.get('/app/field/customers').qs({ q: 'Pak Budi' }).loginAs(world.cs)
    assert.include(list.text(), world.customer.name)
    assert.notInclude(list.text(), other.customer.name)
    const csv = await client.get('/app/field/customers/export.csv').loginAs(world.cs)
    assert.notInclude(csv.text(), other.customer.name)
  })

  test('the list is searched by name, phone and address, filtered by status and source, 25 a page', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const rows = Array.from({ length: 30 }, (_, index) => ({
      tenantId: world.tenant.id,
      name: `Warga ${String(index + 1).padStart(2, '0')}`,
      phone: `+628139${String(index).padStart(7, '0')}`,
      address: index % 2 ? `Jl. Anggrek ${index}` : `Jl. Dahlia ${index}`,
      status: (index < 3 ? 'inactive' : 'active') as 'active' | 'inactive',
      source: (index % 3 === 0 ? 'whatsapp' : 'import') as 'whatsapp' | 'import',
    }))
    await Customer.createMany(rows)
    const names = (html: string) =>
      [...html.matchAll(/<strong>(Warga \d+)<\/strong>/g)].map((m) => m[1])

    const first = await client.get('/app/field/customers').qs({ q: 'Warga' }).loginAs(world.cs)
    first.assertStatus(200)
    assert.lengthOf(names(first.text()), 25)
    assert.equal(names(first.text())[0], 'Warga 30')
    first.assertTextIncludes('Halaman 1 dari 2 (30)')
    const second = await client
      .get('/app/field/customers')
      .qs({ q: 'Warga', page: 2 })
      .loginAs(world.cs)
    assert.deepEqual(names(second.text()), [
      'Warga 05',
      'Warga 04',
      'Warga 03',
      'Warga 02',
      'Warga 01',
    ])
    // The pager keeps the search.
    assert.include(first.text(), 'q=Warga')

    const byPhone = await client
      .get('/app/field/customers')
      .qs({ q: '0813-9000 0007' })
      .loginAs(world.cs)
    assert.deepEqual(names(byPhone.text()), ['Warga 08'])
    const byAddress = await client
      .get('/app/field/customers')
      .qs({ q: 'anggrek 1', status: '', source: '' })
      .loginAs(world.cs)
    assert.sameMembers(names(byAddress.text()), [
      'Warga 02',
      'Warga 12',
      'Warga 14',
      'Warga 16',
      'Warga 18',
      'Warga 20',
    ])
    const inactive = await client
      .get('/app/field/customers')
      .qs({ status: 'inactive' })
      .loginAs(world.cs)
    assert.deepEqual(names(inactive.text()), ['Warga 03', 'Warga 02', 'Warga 01'])
    const whatsapp = await client
      .get('/app/field/customers')
      .qs({ source: 'whatsapp', status: 'active' })
      .loginAs(world.cs)
    assert.deepEqual(names(whatsapp.text()), [
      'Warga 28',
      'Warga 25',
      'Warga 22',
      'Warga 19',
      'Warga 16',
      'Warga 13',
      'Warga 10',
      'Warga 07',
      'Warga 04',
    ])
    const none = await client.get('/app/field/customers').qs({ q: 'tidak ada' }).loginAs(world.cs)
    none.assertTextIncludes('Belum ada pelanggan yang cocok.')

    const bad = await client
      .get('/app/field/customers')
      .qs({ status: 'deleted' })
      .loginAs(world.cs)
      .accept('json')
    bad.assertStatus(422)
    assert.equal(bad.body().error.message, 'Pilihan Status tidak valid')
  })

  test('deactivating is a soft delete: the customer leaves the job picker and keeps their jobs; reactivating brings them back', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const job = await createJob(world)
    const page = await client.get(`/app/field/customers/${world.customer.id}`).loginAs(world.cs)
    page.assertTextIncludes('data-confirm="Nonaktifkan pelanggan ini?')

    const off = await client
      .post(`/app/field/customers/${world.customer.id}/deactivate`)
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    off.assertStatus(302)
    off.assertFlashMessage('success', `${world.customer.name} dinonaktifkan.`)
    const customer = await Customer.findOrFail(world.customer.id)
    assert.equal(customer.status, 'inactive')
    assert.notInclude(
      (await directory.pickable(world.tenant.id)).map((row) => row.id),
      customer.id
    )
    const picker = await client.get('/app/field/jobs/new').loginAs(world.cs)
    assert.notInclude(picker.text(), world.customer.name)
    const shown = await client.get(`/app/field/customers/${customer.id}`).loginAs(world.cs)
    shown.assertTextIncludes('Pelanggan ini nonaktif')
    shown.assertTextIncludes(job.code)
    assert.include(
      (await AuditLog.query().where('tenant_id', world.tenant.id)).map((row) => row.action),
      'customer.deactivated'
    )

    await client
      .post(`/app/field/customers/${customer.id}/reactivate`)
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    assert.equal((await Customer.findOrFail(customer.id)).status, 'active')
    assert.include(
      (await directory.pickable(world.tenant.id)).map((row) => row.id),
      customer.id
    )
  })

  test("a customer's page lists their jobs newest first, with status badges and links to them", async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const older = await createJob(world, { title: 'Cuci AC' })
    const newer = await createJob(world, { title: 'Pasang AC baru' })
    await jobService.cancel(newer.id, world.tenant.id, 'Pelanggan batal', { by: world.cs })
    const someoneElse = await Customer.create({
      tenantId: world.tenant.id,
      name: 'Pelanggan lain',
      status: 'active',
      source: 'manual',
    })
    const elsewhere = await createJob(world, { customerId: someoneElse.id, address: 'Jl. Lain 9' })

    const page = await client.get(`/app/field/customers/${world.customer.id}`).loginAs(world.cs)
    const html = page.text()
    assert.isBelow(html.indexOf(newer.code), html.indexOf(older.code))
    assert.include(html, `href="/app/field/jobs/${newer.id}"`)
    assert.include(html, `href="/app/field/jobs/${older.id}"`)
    assert.include(html, 'job-status-cancelled')
    assert.include(html, 'job-status-open')
    assert.notInclude(html, elsewhere.code)
    // A dispatcher may start a job for them from here; sales may not.
    assert.include(html, `/app/field/jobs/new?customer_id=${world.customer.id}`)
    const sales = await client.get(`/app/field/customers/${world.customer.id}`).loginAs(world.sales)
    assert.notInclude(sales.text(), `/app/field/jobs/new?customer_id=`)
  })
})

test.group('Field: customer CSV export', () => {
  test('a UTF-8 BOM, a header, RFC 4180 quoting, guarded formulas; only what the filters match', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    await Customer.createMany([
      {
        tenantId: world.tenant.id,
        name: '=HYPERLINK("http://evil.example","klik")',
        phone: '+6281311112222',
        address: 'Jl. Melati 5, "Blok C"',
        notes: 'baris satu\nbaris dua',
        status: 'active',
        source: 'import',
      },
      {
        tenantId: world.tenant.id,
        name: 'Sulistyowati Ñoman',
        phone: null,
        address: '@SUM(A1)',
        notes: '-5 unit',
        status: 'inactive',
        source: 'whatsapp',
      },
    ])
    const response = await client.get('/app/field/customers/export.csv').loginAs(world.cs)
    response.assertStatus(200)
    assert.equal(response.header('content-type'), 'text/csv; charset=utf-8')
    assert.match(
      response.header('content-disposition') ?? '',
      /^attachment; filename="pelanggan-\d{4}-\d{2}-\d{2}\.csv"$/
    )
    const bytes = Buffer.from(response.text(), 'utf8')
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf])
    const text = response.text().replace(/^\uFEFF/, '')
    const lines = text.split('\r\n')
    assert.equal(lines[0], 'name,phone,address,notes,status,source,created_at')
    assert.equal(lines.at(-1), '')
    assert.match(
      lines[1],
      /^Sulistyowati Ñoman,,'@SUM\(A1\),'-5 unit,inactive,whatsapp,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/
    )
    assert.include(
      text,
      `"'=HYPERLINK(""http://evil.example"",""klik"")",'+6281311112222,"Jl. Melati 5, ""Blok C""","baris satu\nbaris dua",active,import,`
    )
    assert.include(text, `${world.customer.name},'${world.customer.phone},`)

    const inactive = await client
      .get('/app/field/customers/export.csv')
      .qs({ status: 'inactive', q: 'sulis', page: 3 })
      .loginAs(world.cs)
    const inactiveLines = inactive.text().split('\r\n').filter(Boolean)
    assert.lengthOf(inactiveLines, 2)
    assert.include(inactiveLines[1], 'Sulistyowati Ñoman')
  })

  test('thousands of customers are exported in chunks: each once, newest first', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const total = 2_345
    const now = new Date().toISOString().slice(0, 23).replace('T', ' ')
    for (let start = 0; start < total; start += 500) {
      await db.table('customers').multiInsert(
        Array.from({ length: Math.min(500, total - start) }, (_, offset) => ({
          tenant_id: world.tenant.id,
          name: `Massal ${start + offset + 1}`,
          phone: `+628777${String(start + offset).padStart(6, '0')}${world.tenant.id % 10}`,
          status: 'active',
          source: 'import',
          created_at: now,
          updated_at: now,
        }))
      )
    }
    const response = await client
      .get('/app/field/customers/export.csv')
      .qs({ q: 'Massal' })
      .loginAs(world.sales)
    const lines = response.text().split('\r\n').slice(1).filter(Boolean)
    assert.lengthOf(lines, total)
    assert.equal(new Set(lines).size, total)
    assert.isTrue(lines[0].startsWith(`Massal ${total},`))
    assert.isTrue(lines.at(-1)!.startsWith('Massal 1,'))
  })
})

test.group('Field: customer CSV import', () => {
  test('a file is previewed first: what is new, what updates a customer by phone, which rows are wrong and why; nothing is written', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const fresh = freshPhone()
    const existing = `0${world.customer.phone!.slice(3)}`
    const csv = [
      'Nama;No. HP;Alamat;Catatan;Kota',
      `Ani Wijaya;${fresh};"Jl. Kenanga 2; Blok A";Pintu biru;Bandung`,
      `Pak Budi Baru;${existing};Jl. Melati 7;;Bandung`,
      `;0812 0000 1111;Jl. Tanpa Nama;;`,
      `Siti;12ab;Jl. Mawar;;`,
      `Ani Kembar;${fresh};Jl. Lain;;`,
      `Dewi Tanpa HP;;Jl. Dahlia 3;;`,
    ].join('\r\n')
    const url = await previewed(client, world.cs, csv)
    const page = await client.get(url).loginAs(world.cs)
    page.assertStatus(200)
    const html = page.text()
    assert.equal(count(html, 'create'), 2)
    assert.equal(count(html, 'update'), 1)
    assert.equal(count(html, 'errors'), 3)
    assert.include(html, 'Nama → Nama')
    assert.include(html, 'No. HP → Nomor HP')
    assert.include(html, 'Kota')
    assert.include(html, 'Nama kosong')
    assert.include(html, 'Nomor HP tidak valid: 12ab')
    assert.include(html, 'Nomor HP sama dengan baris 2')
    assert.include(html, 'data-line="3" data-action="update"')
    assert.include(html, 'data-line="2" data-action="create"')
    assert.include(html, 'Impor 3 pelanggan')
    assert.lengthOf(await customersOf(world), 1)
    assert.equal((await Customer.findOrFail(world.customer.id)).name, world.customer.name)
  })

  test('committing applies the valid rows in the background; the page polls the progress until done; one audit entry', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const fresh = freshPhone()
    const existing = `0${world.customer.phone!.slice(3)}`
    await Customer.query().where('id', world.customer.id).update({ notes: 'Anjing galak' })
    const csv = [
      'name,phone,address,notes',
      `Ani Wijaya,${fresh},"Jl. Kenanga 2, Blok A",Pintu biru`,
      `Pak Budi Baru,${existing},Jl. Melati 7,`,
      `,0812 0000 1111,Jl. Tanpa Nama,`,
      `Dewi Tanpa HP,,Jl. Dahlia 3,`,
    ].join('\n')
    const url = await previewed(client, world.cs, csv)
    const { html } = await commitAndWait(client, world.cs, url)
    assert.include(html, 'data-status="done"')
    assert.include(html, '3 dari 3 baris diproses')
    assert.equal(count(html, 'created'), 2)
    assert.equal(count(html, 'updated'), 1)
    assert.equal(count(html, 'errors'), 1)
    assert.notInclude(html, 'hx-get')

    const customers = await customersOf(world)
    assert.deepEqual(
      customers.map((row) => [row.name, row.phone, row.address, row.notes, row.source]),
      [
        ['Ani Wijaya', e164(fresh), 'Jl. Kenanga 2, Blok A', 'Pintu biru', 'import'],
        ['Dewi Tanpa HP', null, 'Jl. Dahlia 3', null, 'import'],
        ['Pak Budi Baru', world.customer.phone, 'Jl. Melati 7', 'Anjing galak', 'manual'],
      ]
    )
    const audits = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .where('action', 'customer.imported')
    assert.lengthOf(audits, 1)
    assert.deepInclude(audits[0].changes, { created: 2, updated: 1, errors: 1, rows: 4 })
    assert.equal(audits[0].userId, world.cs.id)
    const token = url.split('/').at(-1)!
    assert.isFalse(existsSync(app.tmpPath('imports', `${token}.csv`)))

    // The finished page, and a poll with its version, change nothing more.
    const again = await client.post(url).redirects(0).withCsrfToken().loginAs(world.cs)
    again.assertStatus(302)
    await importsSettled()
    assert.lengthOf(
      await AuditLog.query()
        .where('tenant_id', world.tenant.id)
        .where('action', 'customer.imported'),
      1
    )
    const full = await client.get(url).loginAs(world.cs)
    full.assertTextIncludes('Selesai')
    const version = /data-version="([^"]+)"/.exec(full.text())![1]
    const poll = await client
      .get(url)
      .qs({ v: version })
      .header('hx-request', 'true')
      .loginAs(world.cs)
    poll.assertStatus(204)
  })

  test('importing the same file again creates nobody new; a Loket export imports back as it was', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const csv = [
      'nama,telepon,alamat,catatan',
      `Ani,${freshPhone()},Jl. A 1,`,
      `Budi,${freshPhone()},"Jl. B 2, RT 3",`,
      `Citra,,Jl. C 3,tanpa nomor`,
    ].join('\n')
    await commitAndWait(client, world.cs, await previewed(client, world.cs, csv))
    const once = (await customersOf(world)).length
    assert.equal(once, 4)

    const url = await previewed(client, world.cs, csv)
    const preview = (await client.get(url).loginAs(world.cs)).text()
    assert.equal(count(preview, 'create'), 0)
    assert.equal(count(preview, 'update'), 3)
    const { html } = await commitAndWait(client, world.cs, url)
    assert.equal(count(html, 'created'), 0)
    assert.equal(count(html, 'updated'), 3)
    assert.lengthOf(await customersOf(world), once)

    // An export of this tenant, imported into another, gives the same customers back.
    await Customer.query()
      .where('tenant_id', world.tenant.id)
      .where('name', 'Ani')
      .update({ notes: '=1+2 unit, "lantai 2"' })
    const exported = await client.get('/app/field/customers/export.csv').loginAs(world.cs)
    const other = await createFieldWorld()
    await Customer.query().where('id', other.customer.id).delete()
    await commitAndWait(client, other.cs, await previewed(client, other.cs, exported.text()))
    const fields = (rows: Customer[]) =>
      rows.map((row) => [row.name, row.phone, row.address, row.notes])
    assert.deepEqual(fields(await customersOf(other)), fields(await customersOf(world)))
  })

  test('a large file is applied in batches with its progress: 450 rows, every one once', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const lines = ['nama,hp,alamat']
    for (let index = 0; index < 450; index++)
      lines.push(
        `Pelanggan ${index + 1},08199${String(index).padStart(4, '0')}${world.tenant.id % 100},Jl. Panjang ${index}`
      )
    const url = await previewed(client, world.cs, lines.join('\n'))
    const { html } = await commitAndWait(client, world.cs, url)
    assert.include(html, '450 dari 450 baris diproses')
    assert.equal(count(html, 'created'), 450)
    const stored = await Customer.forTenant(world.tenant)
      .where('source', 'import')
      .count('* as total')
    assert.equal(Number(stored[0].$extras.total), 450)
  })

  test('two commits at once start one import: every row applied once, one audit entry', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const lines = ['nama,hp']
    for (let index = 0; index < 30; index++)
      lines.push(`Kembar ${index + 1},0822${String(index).padStart(8, '0')}`)
    const url = await previewed(client, world.cs, lines.join('\n'))
    const answers = await Promise.all(
      [1, 2, 3].map(() => client.post(url).redirects(0).withCsrfToken().loginAs(world.cs))
    )
    assert.deepEqual(
      answers.map((answer) => answer.status()),
      [302, 302, 302]
    )
    const { html } = await commitAndWait(client, world.cs, url)
    assert.equal(count(html, 'created'), 30)
    assert.equal(count(html, 'updated'), 0)
    assert.lengthOf(
      await AuditLog.query()
        .where('tenant_id', world.tenant.id)
        .where('action', 'customer.imported'),
      1
    )
  })

  test('an import whose server stopped mid-way is resumed by the next poll, after the rows already applied', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const lines = ['nama,hp']
    for (let index = 0; index < 250; index++)
      lines.push(`Lanjut ${index + 1},0823${String(index).padStart(8, '0')}`)
    const url = await previewed(client, world.cs, lines.join('\n'))
    // As a server killed after its first batch leaves it: running, 200 rows done, silent for a minute.
    const token = url.split('/').at(-1)!
    const path = app.tmpPath('imports', `${token}.json`)
    const state = JSON.parse(await readFile(path, 'utf8'))
    state.status = 'running'
    state.progress = { processed: 200, created: 200, updated: 0, failed: 0 }
    state.updatedAt = new Date(Date.now() - 60_000).toISOString()
    await writeFile(path, JSON.stringify(state))
    await writeFile(app.tmpPath('imports', `${token}.lock`), '')

    const first = await client.get(url).loginAs(world.cs)
    first.assertStatus(200)
    await importsSettled()
    const done = await client.get(url).header('hx-request', 'true').loginAs(world.cs)
    assert.include(done.text(), 'data-status="done"')
    assert.include(done.text(), '250 dari 250 baris diproses')
    assert.equal(count(done.text(), 'created'), 250)
    const applied = await Customer.forTenant(world.tenant)
      .where('name', 'like', 'Lanjut %')
      .orderBy('id')
    assert.lengthOf(applied, 50)
    assert.equal(applied[0].name, 'Lanjut 201')
  })

  test('a file that is not CSV text, of another type, without a name column or too large is refused with 422 in the user language', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const png = await upload(client, world.cs, PNG, { filename: 'pelanggan.csv', json: true })
    png.assertStatus(422)
    assert.equal(
      png.body().error.message,
      'Berkas ini bukan CSV teks. Dari Excel atau Google Sheets, simpan sebagai CSV (UTF-8), lalu unggah lagi.'
    )
    const page = await upload(client, world.cs, PNG)
    page.assertStatus(422)
    page.assertTextIncludes('data-testid="import-refused"')
    page.assertTextIncludes('Berkas ini bukan CSV teks.')

    const xlsx = await upload(client, world.cs, 'nama\nBudi', {
      filename: 'pelanggan.xlsx',
      json: true,
    })
    xlsx.assertStatus(422)
    assert.equal(xlsx.body().error.message, 'Berkas CSV harus berakhiran .csv')
    const big = await upload(client, world.cs, `nama\n${'Budi Santoso\n'.repeat(500_000)}`, {
      json: true,
    })
    big.assertStatus(422)
    assert.equal(big.body().error.message, 'Berkas CSV terlalu besar: paling besar 5 MB')
    const noName = await upload(client, world.cs, 'telepon,alamat\n0812,Jl. A', { json: true })
    noName.assertStatus(422)
    assert.include(noName.body().error.message, 'Kolom nama tidak ditemukan.')
    const quote = await upload(client, world.cs, 'nama,alamat\nBudi,"Jl. A\nSiti,Jl. B', {
      json: true,
    })
    quote.assertStatus(422)
    assert.include(quote.body().error.message, 'baris 2')

    await User.query().where('id', world.cs.id).update({ locale: 'en' })
    const english = await upload(client, world.cs, PNG, { json: true })
    english.assertStatus(422)
    assert.equal(
      english.body().error.message,
      'This file is not CSV text. In Excel or Google Sheets, save it as CSV (UTF-8) and upload it again.'
    )
    assert.lengthOf(await customersOf(world), 1)
  })

  test("another tenant's import answers 404 to its page and its commit; a made-up token too", async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    const other = await createFieldWorld()
    const url = await previewed(client, other.cs, `nama,hp\nRahasia,${freshPhone()}`)
    ;(await client.get(url).loginAs(world.cs)).assertStatus(404)
    ;(await client.post(url).redirects(0).withCsrfToken().loginAs(world.cs)).assertStatus(404)
    ;(
      await client.get('/app/field/customers/import/AAAAAAAAAAAAAAAAAAAAAAAA').loginAs(world.cs)
    ).assertStatus(404)
    ;(await client.get('/app/field/customers/import/..%2F..%2Fetc').loginAs(world.cs)).assertStatus(
      404
    )
    ;(await client.get(url).loginAs(other.cs)).assertStatus(200)
    assert.lengthOf(await Customer.forTenant(other.tenant).where('name', 'Rahasia'), 0)
    assert.lengthOf(await Customer.forTenant(world.tenant).where('name', 'Rahasia'), 0)
  })

  test('the upload page explains the columns; the list links to import and export with its filters', async ({
    client,
  }) => {
    const world = await createFieldWorld()
    const page = await client.get('/app/field/customers/import').loginAs(world.sales)
    page.assertStatus(200)
    page.assertTextIncludes('enctype="multipart/form-data"')
    page.assertTextIncludes('nama (wajib), telepon / hp / no_hp, alamat, catatan')
    const list = await client
      .get('/app/field/customers')
      .qs({ status: 'active', q: 'budi' })
      .loginAs(world.sales)
    list.assertTextIncludes('/app/field/customers/export.csv?')
    list.assertTextIncludes('status=active')
  })
})
