import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import Contact from '#models/contact'
import ContactOutlet from '#models/contact_outlet'
import MessagingChannel from '#models/messaging_channel'
import Outlet from '#models/outlet'
import User from '#models/user'
import UserScope from '#models/user_scope'
import OutletDirectory from '#services/inbox/outlet_directory'
import StaffHome from '#services/platform/staff_home'
import { toSqlDateTime } from '#models/columns'
import clock from '#support/clock'
import { rejection } from '#tests/helpers/errors'
import { createWorld, PASSWORD } from '#tests/helpers/world'

const directory = await app.container.make(OutletDirectory)

/**
 * A business of its own for one test: the world's tenant, owner, admin and operator, and a
 * supervisor, CS, an inbox agent, sales and the renewal team.
 */
async function createOutletWorld() {
  const world = await createWorld({ services: 0, counters: 0 })
  const staff = (role: User['role'], name: string) =>
    User.create({
      tenantId: world.tenant.id,
      branchId: null,
      fullName: `${name} ${world.key}`,
      email: `${name.toLowerCase()}-${world.key}@test.loket`,
      password: PASSWORD,
      role,
      isActive: true,
    })
  return {
    ...world,
    supervisor: await staff('supervisor', 'Supervisor'),
    cs: await staff('cs', 'CS'),
    agent: await staff('agent', 'Agent'),
    sales: await staff('sales', 'Sales'),
    renewal: await staff('renewal', 'Renewal'),
  }
}
type OutletWorld = Awaited<ReturnType<typeof createOutletWorld>>

/** A local phone number no other test uses (0813 xxxx xxxx), and the same in E.164. */
function freshPhone() {
  return `0813${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`
}
const e164 = (local: string) => `+62${local.slice(1)}`

function makeOutlet(world: OutletWorld, fields: Partial<Outlet['$attributes']> = {}) {
  return Outlet.create({
    tenantId: world.tenant.id,
    fid: 'F001',
    oid: 'O001',
    name: 'Kopi Senja Kemang',
    address: 'Jl. Kemang Raya 10',
    phone: null,
    expiresOn: '2026-12-31',
    status: 'active',
    ...fields,
  })
}

/** Uploads `csv` to the import as `user`. */
function upload(client: ApiClient, user: User, csv: string | Buffer, filename = 'outlet.csv') {
  return client
    .post('/app/outlets/import')
    .file('file', Buffer.isBuffer(csv) ? csv : Buffer.from(csv), {
      filename,
      contentType: 'text/csv',
    })
    .withCsrfToken()
    .loginAs(user)
}

/** The number shown in a `data-count` badge of the report. */
function count(html: string, name: string) {
  const match = new RegExp(`data-count="${name}">(\\d+)<`).exec(html)
  return match ? Number(match[1]) : null
}

/** The hrefs of the staff menu's links in an HTML page. */
function navLinks(html: string) {
  const nav = html.match(/<nav class="nav"[\s\S]*?<\/nav>/)?.[0] ?? ''
  return [...nav.matchAll(/href="([^"]+)"/g)].map((match) => match[1])
}

/** A JSON request's status and error message. */
async function outcome(request: Promise<any>) {
  const response = await request
  return { status: response.status(), message: response.body().error?.message }
}

test.group('Outlets: who may open them', () => {
  test('inbox managers and CS open every page; agents, sales, renewal and operators get 403 everywhere', async ({
    client,
    assert,
  }) => {
    const world = await createOutletWorld()
    const outlet = await makeOutlet(world)
    const contact = await Contact.create({ tenantId: world.tenant.id, phone: e164(freshPhone()) })
    await ContactOutlet.create({
      tenantId: world.tenant.id,
      contactId: contact.id,
      outletId: outlet.id,
      source: 'phone',
      linkedBy: null,
    })
    const pages = [
      '/app/outlets',
      '/app/outlets/new',
      '/app/outlets/import',
      `/app/outlets/${outlet.id}`,
      `/app/outlets/${outlet.id}/edit`,
    ]
    for (const user of [world.owner, world.admin, world.supervisor, world.cs]) {
      for (const page of pages) {
        const response = await client.get(page).loginAs(user)
        assert.equal(response.status(), 200, `${user.role} ${page}`)
      }
    }

    for (const user of [world.agent, world.sales, world.renewal, world.operator]) {
      for (const page of pages)
        assert.equal((await client.get(page).loginAs(user)).status(), 403, `${user.role} ${page}`)
      const writes = {
        store: client.post('/app/outlets').form({ fid: 'F9', oid: 'O9', name: 'Baru' }),
        update: client
          .put(`/app/outlets/${outlet.id}`)
          .form({ fid: 'F9', oid: 'O9', name: 'Ubah' }),
        import: client
          .post('/app/outlets/import')
          .file('file', Buffer.from('fid,oid,name\nF9,O8,X'), { filename: 'o.csv' }),
        link: client.post(`/app/outlets/${outlet.id}/contacts`).form({ phone: contact.phone }),
        unlink: client.delete(`/app/outlets/${outlet.id}/contacts/${contact.id}`),
      }
      for (const [name, write] of Object.entries(writes)) {
        const response = await write.redirects(0).withCsrfToken().loginAs(user)
        assert.equal(response.status(), 403, `${user.role} ${name}`)
      }
    }
    assert.lengthOf(await Outlet.forTenant(world.tenant), 1)
    assert.equal((await Outlet.findOrFail(outlet.id)).name, 'Kopi Senja Kemang')
    assert.lengthOf(await ContactOutlet.forTenant(world.tenant), 1)
  })

  test("another tenant's outlet answers 404 on every route and stays as it was", async ({
    client,
    assert,
  }) => {
    const one = await createOutletWorld()
    const other = await createOutletWorld()
    const theirs = await makeOutlet(other)
    const contact = await Contact.create({ tenantId: other.tenant.id, phone: e164(freshPhone()) })
    await ContactOutlet.create({
      tenantId: other.tenant.id,
      contactId: contact.id,
      outletId: theirs.id,
      source: 'agent',
      linkedBy: other.cs.id,
    })

    for (const page of [`/app/outlets/${theirs.id}`, `/app/outlets/${theirs.id}/edit`])
      assert.equal((await client.get(page).loginAs(one.cs)).status(), 404, page)
    const writes = {
      update: client
        .put(`/app/outlets/${theirs.id}`)
        .form({ fid: 'F1', oid: 'O1', name: 'Diambil' }),
      link: client.post(`/app/outlets/${theirs.id}/contacts`).form({ phone: contact.phone }),
      unlink: client.delete(`/app/outlets/${theirs.id}/contacts/${contact.id}`),
    }
    for (const [name, write] of Object.entries(writes)) {
      const response = await write.redirects(0).withCsrfToken().loginAs(one.cs)
      assert.equal(response.status(), 404, name)
    }
    assert.equal((await Outlet.findOrFail(theirs.id)).name, 'Kopi Senja Kemang')
    assert.lengthOf(await ContactOutlet.forTenant(other.tenant), 1)

    // Their outlets are not in this tenant's list or search either.
    const list = await client.get('/app/outlets').qs({ q: 'F001' }).loginAs(one.cs)
    assert.notInclude(list.text(), `/app/outlets/${theirs.id}`)
  })
})

test.group('Outlets: the form', () => {
  test('CS adds an outlet: the phone in E.164, the day kept as typed, audited, shown and found', async ({
    client,
    assert,
  }) => {
    const world = await createOutletWorld()
    const phone = freshPhone()
    const created = await client
      .post('/app/outlets')
      .form({
        fid: ' F100 ',
        oid: 'O7',
        name: '  Bakso   Pak Kumis ',
        address: 'Jl. Melati 5, Bandung',
        phone,
        expires_on: '2026-12-31',
        status: 'active',
      })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    created.assertStatus(302)
    const outlet = await Outlet.forTenant(world.tenant).where('fid', 'F100').firstOrFail()
    assert.equal(created.header('location'), `/app/outlets/${outlet.id}`)
    assert.deepInclude(outlet.$attributes, {
      oid: 'O7',
      name: 'Bakso Pak Kumis',
      address: 'Jl. Melati 5, Bandung',
      phone: e164(phone),
      expiresOn: '2026-12-31',
      status: 'active',
    })
    const audit = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .where('action', 'outlet.created')
      .firstOrFail()
    assert.equal(audit.userId, world.cs.id)

    const page = await client.get(`/app/outlets/${outlet.id}`).loginAs(world.cs)
    page.assertStatus(200)
    page.assertTextIncludes('Bakso Pak Kumis')
    page.assertTextIncludes(e164(phone))
    page.assertTextIncludes('31 Des 2026')
    assert.match(page.text(), /data-testid="outlet-status">Aktif</)
    page.assertTextIncludes('Belum ada kontak yang tertaut ke outlet ini.')

    for (const q of ['F100', 'O7', 'pak kumis', phone.slice(4, 10), 'F100/O']) {
      const list = await client.get('/app/outlets').qs({ q }).loginAs(world.cs)
      assert.include(list.text(), `/app/outlets/${outlet.id}"`, q)
    }
    // An outlet whose subscription ended shows it in the list.
    outlet.expiresOn = '2020-01-31'
    await outlet.save()
    const list = (await client.get('/app/outlets').loginAs(world.cs)).text()
    assert.match(
      list,
      /data-testid="outlet-status">Aktif<\/span>\s*<span class="badge badge-cancelled" data-testid="outlet-expired">Kedaluwarsa</
    )
    const none = await client.get('/app/outlets').qs({ q: 'tidak-ada' }).loginAs(world.cs)
    none.assertTextIncludes('Tidak ada outlet yang cocok dengan pencarian ini.')
  })

  test('the list pages 25 outlets at a time, by fid and oid', async ({ client, assert }) => {
    const world = await createOutletWorld()
    await Outlet.createMany(
      Array.from({ length: 30 }, (_, index) => ({
        tenantId: world.tenant.id,
        fid: 'F1',
        oid: `O${String(index + 1).padStart(2, '0')}`,
        name: `Outlet ${index + 1}`,
        status: 'active' as const,
      }))
    )
    const first = (await client.get('/app/outlets').loginAs(world.admin)).text()
    assert.lengthOf([...first.matchAll(/<tr data-outlet=/g)], 25)
    assert.include(first, 'F1/O01')
    assert.notInclude(first, 'F1/O26')
    assert.include(first, 'href="/app/outlets?page=2"')
    const second = (await client.get('/app/outlets').qs({ page: 2 }).loginAs(world.admin)).text()
    assert.lengthOf([...second.matchAll(/<tr data-outlet=/g)], 5)
    assert.include(second, 'F1/O30')
  })

  test('bad input answers 422 in Indonesian and stores nothing; a duplicate fid/oid is refused', async ({
    client,
    assert,
  }) => {
    const world = await createOutletWorld()
    const existing = await makeOutlet(world)
    const refused = (form: Record<string, string>) =>
      outcome(
        client
          .post('/app/outlets')
          .json({ fid: 'F2', oid: 'O2', name: 'Baru', ...form })
          .withCsrfToken()
          .loginAs(world.cs)
          .accept('json')
      )
    assert.deepEqual(await refused({ name: '' }), {
      status: 422,
      message: 'Nama outlet wajib diisi',
    })
    assert.deepEqual(await refused({ fid: 'F 2' }), {
      status: 422,
      message: 'FID tidak boleh berisi spasi atau garis miring',
    })
    assert.deepEqual(await refused({ oid: 'O/2' }), {
      status: 422,
      message: 'OID tidak boleh berisi spasi atau garis miring',
    })
    assert.deepEqual(await refused({ expires_on: '2026-02-30' }), {
      status: 422,
      message: 'Berlaku sampai bukan tanggal yang valid',
    })
    assert.deepEqual(await refused({ status: 'open' }), {
      status: 422,
      message: 'Pilihan Status tidak valid',
    })
    assert.deepEqual(await refused({ phone: '12-ab' }), {
      status: 422,
      message: 'Nomor HP tidak valid. Contoh: 0812 3456 7890.',
    })
    assert.deepEqual(await refused({ fid: 'F001', oid: 'O001' }), {
      status: 422,
      message: 'Outlet dengan FID dan OID ini sudah ada',
    })
    assert.lengthOf(await Outlet.forTenant(world.tenant), 1)

    // A form goes back with the message under the field.
    const back = await client
      .post('/app/outlets')
      .form({ fid: 'F001', oid: 'O001', name: 'Kembar' })
      .header('referer', '/app/outlets/new')
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    back.assertStatus(302)
    assert.equal(back.header('location'), '/app/outlets/new')
    back.assertFlashMessage('inputErrorsBag', { oid: ['Outlet dengan FID dan OID ini sudah ada'] })

    // The service refuses it too (a race past the form, an API): 409 with the ids.
    const error = await rejection(
      directory.create(
        world.tenant,
        { fid: 'F001', oid: 'O001', name: 'Kembar' },
        { user: world.cs }
      )
    )
    assert.equal(error?.status, 409)
    assert.equal(error?.key, 'outlet_taken')
    assert.deepEqual(error?.params, { fid: 'F001', oid: 'O001' })
    assert.equal((await Outlet.findOrFail(existing.id)).name, 'Kopi Senja Kemang')
  })

  test('editing keeps its own ids, audits what changed, and its conversations follow a new fid/oid', async ({
    client,
    assert,
  }) => {
    const world = await createOutletWorld()
    const outlet = await makeOutlet(world)
    await makeOutlet(world, { oid: 'O002', name: 'Tetangga' })
    const contact = await Contact.create({ tenantId: world.tenant.id, phone: e164(freshPhone()) })
    const now = toSqlDateTime(clock.now())
    const [conversationId] = await db.table('conversations').insert({
      tenant_id: world.tenant.id,
      contact_id: contact.id,
      kind: 'support',
      status: 'open',
      outlet_id: outlet.id,
      fid: 'F001',
      oid: 'O001',
      last_message_at: now,
      created_at: now,
      updated_at: now,
    })

    const same = await client
      .put(`/app/outlets/${outlet.id}`)
      .form({ fid: 'F001', oid: 'O001', name: 'Kopi Senja Kemang Raya', status: 'inactive' })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.supervisor)
    same.assertStatus(302)
    assert.equal(same.header('location'), `/app/outlets/${outlet.id}`)
    await outlet.refresh()
    assert.equal(outlet.name, 'Kopi Senja Kemang Raya')
    assert.equal(outlet.status, 'inactive')
    const audit = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .where('action', 'outlet.updated')
      .firstOrFail()
    assert.deepEqual(audit.changes, {
      name: ['Kopi Senja Kemang', 'Kopi Senja Kemang Raya'],
      status: ['active', 'inactive'],
      address: ['Jl. Kemang Raya 10', null],
      expiresOn: ['2026-12-31', null],
    })

    const clash = await outcome(
      client
        .put(`/app/outlets/${outlet.id}`)
        .json({ fid: 'F001', oid: 'O002', name: 'X' })
        .withCsrfToken()
        .loginAs(world.supervisor)
        .accept('json')
    )
    assert.deepEqual(clash, { status: 422, message: 'Outlet dengan FID dan OID ini sudah ada' })

    const moved = await client
      .put(`/app/outlets/${outlet.id}`)
      .form({ fid: 'F900', oid: 'O001', name: 'Kopi Senja Kemang Raya' })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.supervisor)
    moved.assertStatus(302)
    const conversation = await db.from('conversations').where('id', conversationId).firstOrFail()
    assert.deepInclude(conversation, { fid: 'F900', oid: 'O001' })
  })
})

test.group('Outlets: CSV import', () => {
  test('good rows are created or updated, unchanged ones left alone, bad ones reported by line', async ({
    client,
    assert,
  }) => {
    const world = await createOutletWorld()
    const phone = freshPhone()
    await makeOutlet(world, { fid: 'F1', oid: 'O1', name: 'Lama', phone: null })
    await makeOutlet(world, {
      fid: 'F1',
      oid: 'O3',
      name: 'Sama',
      address: null,
      phone: '+6281311112222',
      expiresOn: '2027-01-31',
    })
    const csv = [
      '\uFEFFFID;OID;Nama;Alamat;No. HP;Berlaku sampai;Status;Catatan',
      `F1;O1;Kopi Senja;Jl. A 1;${phone};31/12/2026;aktif;x`,
      'F1;O2;Kopi Pagi;;;2026-06-30;;',
      'F1;O3;Sama;;081311112222;31/01/2027;;',
      ';O4;Tanpa FID;;;;;',
      'F1;O5;Tanggal Salah;;;31/02/2026;;',
      'f1;o2;Dobel;;;;;',
      `F2;O1;"Toko ""Baru""; Cabang";;'+6281299990000;;churned;`,
    ].join('\r\n')

    const response = await upload(client, world.cs, csv)
    response.assertStatus(200)
    const html = response.text()
    assert.equal(count(html, 'created'), 2)
    assert.equal(count(html, 'updated'), 1)
    assert.equal(count(html, 'unchanged'), 1)
    assert.equal(count(html, 'errors'), 3)
    assert.include(html, 'Kolom diabaikan: Catatan')
    assert.match(html, /data-line="5">\s*<td class="num mono">5<\/td>\s*<td>FID kosong<\/td>/)
    assert.include(html, 'Tanggal tidak valid: 31/02/2026 (tulis 2026-12-31 atau 31/12/2026)')
    assert.include(html, 'FID/OID sama dengan baris 3')

    const outlets = await Outlet.forTenant(world.tenant).orderBy('fid').orderBy('oid')
    assert.deepEqual(
      outlets.map((item) => [
        item.fid,
        item.oid,
        item.name,
        item.phone,
        item.expiresOn,
        item.status,
      ]),
      [
        ['F1', 'O1', 'Kopi Senja', e164(phone), '2026-12-31', 'active'],
        ['F1', 'O2', 'Kopi Pagi', null, '2026-06-30', 'active'],
        ['F1', 'O3', 'Sama', '+6281311112222', '2027-01-31', 'active'],
        ['F2', 'O1', 'Toko "Baru"; Cabang', '+6281299990000', null, 'churned'],
      ]
    )
    const audit = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .where('action', 'outlet.imported')
      .firstOrFail()
    assert.deepEqual(audit.changes, {
      file: 'outlet.csv',
      rows: 7,
      created: 2,
      updated: 1,
      unchanged: 1,
      errors: 3,
    })

    // As JSON for an API client; an empty cell never erases what is stored.
    const json = await upload(client, world.cs, 'fid,oid,name,phone\nF1,O1,Kopi Senja,\n').accept(
      'json'
    )
    json.assertStatus(200)
    assert.deepInclude(json.body().report, { rows: 1, created: 0, updated: 0, unchanged: 1 })
    assert.equal(
      (await Outlet.forTenant(world.tenant).where('fid', 'F1').where('oid', 'O1').firstOrFail())
        .phone,
      e164(phone)
    )
  })

  test('a file that cannot be read is refused with 422 and why, and nothing is written', async ({
    client,
    assert,
  }) => {
    const world = await createOutletWorld()
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])
    const notText = await upload(client, world.cs, png)
    notText.assertStatus(422)
    notText.assertTextIncludes('Berkas ini bukan teks CSV')

    const noOid = await upload(client, world.cs, 'fid,nama\nF1,Satu\n').accept('json')
    assert.deepEqual(
      { status: noOid.status(), message: noOid.body().error.message },
      {
        status: 422,
        message:
          'Kolom wajib tidak ditemukan: oid. Baris pertama harus berisi nama kolom, mis. fid,oid,name.',
      }
    )
    const xlsx = await upload(client, world.cs, 'fid,oid,name\nF1,O1,A\n', 'outlet.xlsx').accept(
      'json'
    )
    assert.deepEqual(
      { status: xlsx.status(), message: xlsx.body().error.message },
      { status: 422, message: 'Berkas CSV harus berakhiran .csv' }
    )
    assert.lengthOf(await Outlet.forTenant(world.tenant), 0)
    assert.lengthOf(
      await AuditLog.query().where('tenant_id', world.tenant.id).where('action', 'outlet.imported'),
      0
    )
  })
})

test.group('Outlets: linking contacts', () => {
  test('CS links a contact by the phone they write from, sees it on the outlet, and unlinks it', async ({
    client,
    assert,
  }) => {
    const world = await createOutletWorld()
    const outlet = await makeOutlet(world)
    const phone = freshPhone()
    const contact = await Contact.create({
      tenantId: world.tenant.id,
      phone: e164(phone),
      displayName: 'Bu Rina',
    })

    const linked = await client
      .post(`/app/outlets/${outlet.id}/contacts`)
      .form({ phone })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    linked.assertStatus(302)
    assert.equal(linked.header('location'), `/app/outlets/${outlet.id}`)
    linked.assertFlashMessage('success', `${e164(phone)} ditautkan ke Kopi Senja Kemang.`)
    const link = await ContactOutlet.forTenant(world.tenant).firstOrFail()
    assert.deepInclude(link.$attributes, {
      contactId: contact.id,
      outletId: outlet.id,
      source: 'agent',
      linkedBy: world.cs.id,
    })

    const page = await client.get(`/app/outlets/${outlet.id}`).loginAs(world.cs)
    page.assertTextIncludes('Bu Rina')
    page.assertTextIncludes('Dipilih staf')
    page.assertTextIncludes(world.cs.fullName)
    const list = await client.get('/app/outlets').loginAs(world.cs)
    assert.match(list.text(), /<td class="num mono">1<\/td>/)

    const again = await client
      .post(`/app/outlets/${outlet.id}/contacts`)
      .form({ phone: e164(phone) })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    again.assertFlashMessage('success', `${e164(phone)} sudah tertaut ke Kopi Senja Kemang.`)
    assert.lengthOf(await ContactOutlet.forTenant(world.tenant), 1)

    const unlinked = await client
      .delete(`/app/outlets/${outlet.id}/contacts/${contact.id}`)
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    unlinked.assertStatus(302)
    assert.lengthOf(await ContactOutlet.forTenant(world.tenant), 0)
    const actions = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .whereIn('action', ['outlet.linked', 'outlet.unlinked'])
      .orderBy('id')
    assert.deepEqual(
      actions.map((entry) => [entry.action, entry.userId]),
      [
        ['outlet.linked', world.cs.id],
        ['outlet.unlinked', world.cs.id],
      ]
    )
    const missing = await client
      .delete(`/app/outlets/${outlet.id}/contacts/${contact.id}`)
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    missing.assertStatus(404)
  })

  test("a number nobody wrote from, or another tenant's contact, cannot be linked (422)", async ({
    client,
    assert,
  }) => {
    const world = await createOutletWorld()
    const other = await createOutletWorld()
    const outlet = await makeOutlet(world)
    const phone = freshPhone()
    await Contact.create({ tenantId: other.tenant.id, phone: e164(phone) })
    const link = (value: string) =>
      outcome(
        client
          .post(`/app/outlets/${outlet.id}/contacts`)
          .json({ phone: value })
          .withCsrfToken()
          .loginAs(world.cs)
          .accept('json')
      )
    assert.deepEqual(await link(phone), {
      status: 422,
      message: `Belum ada kontak WhatsApp dengan nomor ${e164(phone)}. Kontak muncul setelah menulis ke usaha ini.`,
    })
    assert.deepEqual(await link('12-ab'), {
      status: 422,
      message: 'Nomor HP tidak valid. Contoh: 0812 3456 7890.',
    })
    const form = await client
      .post(`/app/outlets/${outlet.id}/contacts`)
      .form({ phone })
      .header('referer', `/app/outlets/${outlet.id}`)
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.cs)
    form.assertStatus(302)
    form.assertFlashMessage(
      'error',
      `Belum ada kontak WhatsApp dengan nomor ${e164(phone)}. Kontak muncul setelah menulis ke usaha ini.`
    )
    assert.lengthOf(await ContactOutlet.query().where('outlet_id', outlet.id), 0)
  })
})

test.group('Outlets: in the staff menu', () => {
  test('CS and managers see Outlets where the business has outlets or WhatsApp; agents and clinics without them do not', async ({
    client,
    assert,
  }) => {
    const world = await createOutletWorld()
    const links = async (user: User, page = '/app/outlets/new') =>
      navLinks((await client.get(page).loginAs(user)).text())

    assert.notInclude(await links(world.cs), '/app/outlets')
    assert.notInclude(await links(world.owner, '/admin/users'), '/app/outlets')
    await MessagingChannel.create({
      tenantId: world.tenant.id,
      kind: 'whatsapp',
      isActive: true,
      settings: {},
    })
    assert.include(await links(world.cs), '/app/outlets')
    assert.include(await links(world.supervisor), '/app/outlets')
    assert.include(await links(world.owner, '/admin/users'), '/app/outlets')
    const home = await app.container.make(StaffHome)
    assert.isFalse((await home.nav(world.agent, world.branch)).has('outlets'))
    assert.isFalse((await home.nav(world.sales, world.branch)).has('outlets'))

    const other = await createOutletWorld()
    await makeOutlet(other)
    assert.include(await links(other.admin, '/app/outlets'), '/app/outlets')
  })
})

test.group('Outlets: a user’s scopes on the users page', () => {
  test('an admin sees the scopes field for agents, sales, renewal and CS, saves it, and sees it again', async ({
    client,
    assert,
  }) => {
    const world = await createOutletWorld()
    for (const member of [world.agent, world.sales, world.renewal, world.cs]) {
      const page = await client.get(`/admin/users/${member.id}/edit`).loginAs(world.admin)
      page.assertStatus(200)
      assert.include(page.text(), 'data-testid="user-scopes"', member.role)
      assert.include(page.text(), 'name="scopes"', member.role)
    }
    for (const member of [world.operator, world.supervisor]) {
      const page = await client.get(`/admin/users/${member.id}/edit`).loginAs(world.admin)
      assert.notInclude(page.text(), 'data-testid="user-scopes"', member.role)
    }

    const saved = await client
      .put(`/admin/users/${world.agent.id}/scopes`)
      .form({ scopes: 'F2/O7\r\nF1\r\n\r\nF1/O3' })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.admin)
    saved.assertStatus(302)
    assert.equal(saved.header('location'), `/admin/users/${world.agent.id}/edit`)
    const rows = await UserScope.forTenant(world.tenant)
      .where('user_id', world.agent.id)
      .orderBy('fid')
    assert.deepEqual(
      rows.map((row) => [row.fid, row.oid]),
      [
        ['F1', null],
        ['F2', 'O7'],
      ]
    )
    const page = await client.get(`/admin/users/${world.agent.id}/edit`).loginAs(world.admin)
    assert.match(
      page.text(),
      /<textarea id="field-scopes" name="scopes"[^>]*>F1\nF2\/O7<\/textarea>/
    )
    const audit = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .where('action', 'user.scopes_updated')
      .firstOrFail()
    assert.equal(audit.userId, world.admin.id)
    assert.equal(audit.subjectId, String(world.agent.id))

    // An empty field clears them: the agent sees everything again.
    await client
      .put(`/admin/users/${world.agent.id}/scopes`)
      .form({ scopes: '' })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.admin)
    assert.lengthOf(await UserScope.forTenant(world.tenant).where('user_id', world.agent.id), 0)
  })

  test('a bad line goes back with its message; managers take no scopes; CS, operators and other tenants are refused', async ({
    client,
    assert,
  }) => {
    const world = await createOutletWorld()
    const other = await createOutletWorld()
    const put = (member: User, scopes: string, as: User = world.admin) =>
      client
        .put(`/admin/users/${member.id}/scopes`)
        .form({ scopes })
        .header('referer', `/admin/users/${member.id}/edit`)
        .redirects(0)
        .withCsrfToken()
        .loginAs(as)

    const bad = await put(world.agent, 'F1\nF 2/O1')
    bad.assertStatus(302)
    bad.assertFlashMessage('inputErrorsBag', { scopes: ['Baris 2 bukan FID atau FID/OID'] })

    const manager = await outcome(
      client
        .put(`/admin/users/${world.supervisor.id}/scopes`)
        .json({ scopes: 'F1' })
        .withCsrfToken()
        .loginAs(world.admin)
        .accept('json')
    )
    assert.deepEqual(manager, {
      status: 422,
      message:
        'Cakupan franchise/outlet hanya untuk peran agen, sales, renewal dan CS; pengelola selalu melihat semuanya.',
    })

    assert.equal((await put(world.agent, 'F1', world.cs)).status(), 403)
    assert.equal((await put(world.agent, 'F1', world.operator)).status(), 403)
    assert.equal((await put(world.agent, 'F1', world.supervisor)).status(), 403)
    assert.equal((await put(other.agent, 'F1')).status(), 404)
    // An admin does not manage an owner (wider rights).
    assert.equal((await put(world.owner, '')).status(), 403)
    assert.lengthOf(await UserScope.query().whereIn('user_id', [world.agent.id, other.agent.id]), 0)
  })
})
