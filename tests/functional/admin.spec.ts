import { test } from '@japa/runner'
import Service from '#models/service'
import Counter from '#models/counter'
import User from '#models/user'
import Device from '#models/device'
import Ticket from '#models/ticket'
import Branch from '#models/branch'
import Tenant from '#models/tenant'
import AuditLog from '#models/audit_log'
import QueueEngine from '#services/queue/queue_engine'
import { createWorld, PASSWORD } from '#tests/helpers/world'
import app from '@adonisjs/core/services/app'

const engine = await app.container.make(QueueEngine)

test.group('Admin: overview', () => {
  test("shows today's numbers, the counters with who works there, the links and the reset button", async ({
    client,
  }) => {
    const { admin, branch, services, counters, operator, display } = await createWorld()
    await engine.take(branch, services[0], { channel: 'web' })
    await engine.take(branch, services[0], { channel: 'web' })
    counters[0].operatorId = operator.id
    await counters[0].save()
    await engine.callNext(branch, { counter: counters[0], by: operator })

    const response = await client.get('/admin').loginAs(admin)
    response.assertStatus(200)
    response.assertTextIncludes('data-testid="stat-taken">2<')
    response.assertTextIncludes(operator.fullName)
    response.assertTextIncludes(`/b/${branch.slug}`)
    response.assertTextIncludes(`/display/${display.token}`)
    response.assertTextIncludes('Reset hari ini')
  })
})

test.group('Admin: every page renders', () => {
  test('an owner opens every admin page without an error', async ({ client }) => {
    const { owner, services, counters, operator } = await createWorld()
    const pages = [
      '/admin',
      '/admin/services',
      '/admin/services/create',
      `/admin/services/${services[0].id}/edit`,
      '/admin/counters',
      '/admin/counters/create',
      `/admin/counters/${counters[0].id}/edit`,
      '/admin/users',
      '/admin/users/create',
      `/admin/users/${operator.id}/edit`,
      '/admin/devices',
      '/admin/settings',
      '/admin/branches/create',
      '/admin/qr',
      '/app/reports/daily',
      '/app/reports/daily?date=2026-01-01',
      '/admin/audit',
      '/admin/audit?kind=tickets&from=2026-01-01&to=2026-12-31',
      '/app/counter',
    ]
    for (const url of pages) {
      const response = await client.get(url).loginAs(owner)
      if (response.status() !== 200) throw new Error(`${url} answered ${response.status()}`)
      response.assertTextIncludes('</html>')
    }
  })

  test('an admin may not open the new-branch page (owners only)', async ({ client }) => {
    const { admin } = await createWorld()
    ;(await client.get('/admin/branches/create').loginAs(admin)).assertStatus(403)
  })
})

test.group('Admin: services', () => {
  test('lists, creates (code in upper case, placed last) and audits a service', async ({
    client,
    assert,
  }) => {
    const { admin, branch } = await createWorld({ services: 2 })
    ;(await client.get('/admin/services').loginAs(admin)).assertTextIncludes('Layanan 2')
    const response = await client
      .post('/admin/services')
      .form({ code: 'k', name: 'Kasir', description: 'Pembayaran', is_active: '1' })
      .withCsrfToken()
      .loginAs(admin)
      .redirects(0)
    response.assertStatus(302)
    const service = await Service.query()
      .where('branch_id', branch.id)
      .where('code', 'K')
      .firstOrFail()
    assert.equal(service.position, 3)
    assert.isTrue(service.isActive)
    const audit = await AuditLog.query()
      .where('action', 'service.created')
      .where('subject_id', String(service.id))
      .firstOrFail()
    assert.equal(audit.userId, admin.id)
    assert.equal((audit.changes as any).name, 'Kasir')
  })

  test('refuses a code already used in the branch, with the message on the form', async ({
    client,
    assert,
  }) => {
    const { admin, branch } = await createWorld()
    const response = await client
      .post('/admin/services')
      .form({ code: 'A', name: 'Dobel' })
      .withCsrfToken()
      .header('referer', '/admin/services/create')
      .loginAs(admin)
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('inputErrorsBag', { code: ['Kode sudah dipakai'] })
    assert.lengthOf(await Service.query().where('branch_id', branch.id), 2)
  })

  test('edits, reorders and deactivates services', async ({ client, assert }) => {
    const { admin, services } = await createWorld({ services: 2 })
    await client
      .put(`/admin/services/${services[0].id}`)
      .form({ code: 'A', name: 'Umum', is_active: '1' })
      .withCsrfToken()
      .loginAs(admin)
    await services[0].refresh()
    assert.equal(services[0].name, 'Umum')

    await client
      .post(`/admin/services/${services[1].id}/move`)
      .form({ direction: 'up' })
      .withCsrfToken()
      .loginAs(admin)
    await services[0].refresh()
    await services[1].refresh()
    assert.isBelow(services[1].position, services[0].position)

    await client.post(`/admin/services/${services[0].id}/toggle`).withCsrfToken().loginAs(admin)
    await services[0].refresh()
    assert.isFalse(services[0].isActive)
    const actions = (
      await AuditLog.query().where('subject_id', String(services[0].id)).orderBy('id')
    ).map((row) => row.action)
    assert.includeMembers(actions, ['service.updated', 'service.deactivated'])
  })

  test("another tenant's service answers 404", async ({ client }) => {
    const one = await createWorld()
    const other = await createWorld()
    ;(
      await client.get(`/admin/services/${other.services[0].id}/edit`).loginAs(one.admin)
    ).assertStatus(404)
    ;(
      await client
        .put(`/admin/services/${other.services[0].id}`)
        .form({ code: 'Z', name: 'X' })
        .withCsrfToken()
        .loginAs(one.admin)
    ).assertStatus(404)
  })

  test('an admin limited to another branch may not edit this branch', async ({ client }) => {
    const { admin, services, tenant } = await createWorld()
    const elsewhere = await Branch.create({
      tenantId: tenant.id,
      name: 'Cabang Lain',
      slug: `lain-${tenant.id}`,
      timezone: 'Asia/Jakarta',
    })
    admin.branchId = elsewhere.id
    await admin.save()
    ;(await client.get(`/admin/services/${services[0].id}/edit`).loginAs(admin)).assertStatus(403)
  })
})

test.group('Admin: counters', () => {
  test('creates a counter with the services it serves, in order', async ({ client, assert }) => {
    const { admin, branch, services } = await createWorld({ services: 3 })
    await client
      .post('/admin/counters')
      .form({
        'name': 'Loket 9',
        'service_ids[]': [services[2].id, services[1].id],
        'is_active': '1',
      })
      .withCsrfToken()
      .loginAs(admin)
    const counter = await Counter.query()
      .where('branch_id', branch.id)
      .where('name', 'Loket 9')
      .firstOrFail()
    assert.deepEqual(await engine.servedServiceIds(counter), [services[2].id, services[1].id])
  })

  test('a duplicate counter name is refused', async ({ client, assert }) => {
    const { admin, branch } = await createWorld()
    const response = await client
      .post('/admin/counters')
      .json({ name: 'Loket 1' })
      .withCsrfToken()
      .loginAs(admin)
      .accept('json')
    response.assertStatus(422)
    assert.lengthOf(await Counter.query().where('branch_id', branch.id), 2)
  })

  test('updates name and services in one change', async ({ client, assert }) => {
    const { admin, counters, services } = await createWorld({ services: 2 })
    await client
      .put(`/admin/counters/${counters[0].id}`)
      .form({ 'name': 'Ruang Periksa 1', 'service_ids[]': [services[1].id], 'is_active': '1' })
      .withCsrfToken()
      .loginAs(admin)
    await counters[0].refresh()
    assert.equal(counters[0].name, 'Ruang Periksa 1')
    assert.deepEqual(await engine.servedServiceIds(counters[0]), [services[1].id])
  })

  test('a service of another tenant cannot be attached', async ({ client, assert }) => {
    const one = await createWorld()
    const other = await createWorld()
    const response = await client
      .put(`/admin/counters/${one.counters[0].id}`)
      .json({ name: 'Loket 1', service_ids: [other.services[0].id] })
      .withCsrfToken()
      .loginAs(one.admin)
      .accept('json')
    response.assertStatus(422)
    assert.lengthOf(await engine.servedServiceIds(one.counters[0]), 2)
  })
})

test.group('Admin: users', () => {
  test('an admin adds an operator who can then log in', async ({ client, assert }) => {
    const { admin, tenant } = await createWorld()
    const email = `new-${tenant.id}@test.loket`
    await client
      .post('/admin/users')
      .form({ full_name: 'Ani Operator', email, role: 'operator', password: 'panjang-sekali' })
      .withCsrfToken()
      .loginAs(admin)
    const user = await User.findByOrFail('email', email)
    assert.equal(user.tenantId, tenant.id)
    assert.equal(user.role, 'operator')
    const audit = await AuditLog.query()
      .where('action', 'user.created')
      .where('subject_id', String(user.id))
      .firstOrFail()
    assert.notProperty(audit.changes, 'password')
    const login = await client
      .post('/login')
      .form({ email, password: 'panjang-sekali' })
      .withCsrfToken()
      .redirects(0)
    assert.equal(login.header('location'), '/app')
  })

  test('an admin may not create an owner; an owner may', async ({ client, assert }) => {
    const { admin, owner, tenant } = await createWorld()
    const form = (email: string) => ({
      full_name: 'Pemilik Dua',
      email,
      role: 'owner',
      password: 'panjang-sekali',
    })
    ;(
      await client
        .post('/admin/users')
        .form(form(`o1-${tenant.id}@t.loket`))
        .withCsrfToken()
        .loginAs(admin)
    ).assertStatus(403)
    assert.isNull(await User.findBy('email', `o1-${tenant.id}@t.loket`))
    await client
      .post('/admin/users')
      .form(form(`o2-${tenant.id}@t.loket`))
      .withCsrfToken()
      .loginAs(owner)
    assert.isNotNull(await User.findBy('email', `o2-${tenant.id}@t.loket`))
  })

  test('an admin cannot edit an owner', async ({ client }) => {
    const { admin, owner } = await createWorld()
    ;(await client.get(`/admin/users/${owner.id}/edit`).loginAs(admin)).assertStatus(403)
  })

  test('deactivating an operator; nobody can demote or disable themselves', async ({
    client,
    assert,
  }) => {
    const { admin, operator } = await createWorld()
    await client
      .put(`/admin/users/${operator.id}`)
      .form({ full_name: operator.fullName, email: operator.email, role: 'operator' })
      .withCsrfToken()
      .loginAs(admin)
    await operator.refresh()
    assert.isFalse(operator.isActive)

    const self = await client
      .put(`/admin/users/${admin.id}`)
      .json({ full_name: admin.fullName, email: admin.email, role: 'operator', is_active: true })
      .withCsrfToken()
      .loginAs(admin)
      .accept('json')
    self.assertStatus(422)
    await admin.refresh()
    assert.equal(admin.role, 'admin')
  })

  test('a short password and a taken email are refused', async ({ client }) => {
    const { admin, operator } = await createWorld()
    const response = await client
      .post('/admin/users')
      .json({ full_name: 'X Y', email: operator.email, role: 'operator', password: 'short' })
      .withCsrfToken()
      .loginAs(admin)
      .accept('json')
    response.assertStatus(422)
    response.assertBodyContains({ error: { fields: [{ field: 'email' }, { field: 'password' }] } })
  })

  test("another tenant's user answers 404", async ({ client }) => {
    const one = await createWorld()
    const other = await createWorld()
    ;(await client.get(`/admin/users/${other.operator.id}/edit`).loginAs(one.admin)).assertStatus(
      404
    )
  })
})

test.group('Admin: displays, settings, QR', () => {
  test('creates a display with a secret link, regenerates and deletes it', async ({
    client,
    assert,
  }) => {
    const { admin, branch } = await createWorld()
    await client.post('/admin/devices').form({ name: 'TV Lobi' }).withCsrfToken().loginAs(admin)
    const device = await Device.query()
      .where('branch_id', branch.id)
      .where('name', 'TV Lobi')
      .firstOrFail()
    assert.isAtLeast(device.token.length, 20)
    ;(await client.get(`/display/${device.token}`)).assertStatus(200)

    const oldToken = device.token
    await client.post(`/admin/devices/${device.id}/regenerate`).withCsrfToken().loginAs(admin)
    await device.refresh()
    assert.notEqual(device.token, oldToken)
    ;(await client.get(`/display/${oldToken}/live?v=1`)).assertStatus(404)
    const audit = await AuditLog.query().where('action', 'device.token_regenerated').firstOrFail()
    assert.notProperty(audit.changes, 'token')

    await client.delete(`/admin/devices/${device.id}`).withCsrfToken().loginAs(admin)
    assert.isNull(await Device.find(device.id))
    ;(await client.get(`/display/${device.token}`)).assertStatus(404)
  })

  test('updates the branch link and time zone; an owner updates the tenant', async ({
    client,
    assert,
  }) => {
    const { owner, branch, tenant } = await createWorld()
    await client
      .put('/admin/settings/branch')
      .form({ name: 'Cabang Baru', slug: `baru-${branch.id}`, timezone: 'Asia/Makassar' })
      .withCsrfToken()
      .loginAs(owner)
    await branch.refresh()
    assert.equal(branch.slug, `baru-${branch.id}`)
    assert.equal(branch.timezone, 'Asia/Makassar')

    await client
      .put('/admin/settings/tenant')
      .form({ tenant_name: 'Klinik Ganti', brand_color: '#1D4ED8', locale: 'en' })
      .withCsrfToken()
      .loginAs(owner)
    await tenant.refresh()
    assert.equal(tenant.brandColor, '#1d4ed8')
    assert.equal(tenant.locale, 'en')
  })

  test('a bad colour or time zone is refused; admins cannot change tenant settings', async ({
    client,
    assert,
  }) => {
    const { owner, admin, tenant } = await createWorld()
    ;(
      await client
        .put('/admin/settings/tenant')
        .json({ tenant_name: 'X Y', brand_color: 'red;}', locale: 'id' })
        .withCsrfToken()
        .loginAs(owner)
        .accept('json')
    ).assertStatus(422)
    ;(
      await client
        .put('/admin/settings/branch')
        .json({ name: 'X Y', slug: 'ok-slug-1', timezone: 'Mars/Base' })
        .withCsrfToken()
        .loginAs(owner)
        .accept('json')
    ).assertStatus(422)
    ;(
      await client
        .put('/admin/settings/tenant')
        .form({ tenant_name: 'Dibajak', brand_color: '#000000', locale: 'id' })
        .withCsrfToken()
        .loginAs(admin)
    ).assertStatus(403)
    await tenant.refresh()
    assert.notEqual(tenant.name, 'Dibajak')
  })

  test('an owner opens a second branch and works in it', async ({ client, assert }) => {
    const { owner, tenant } = await createWorld()
    await client
      .post('/admin/branches')
      .form({ name: 'Cabang Dua', slug: `dua-${tenant.id}`, timezone: 'Asia/Jakarta' })
      .withCsrfToken()
      .loginAs(owner)
    const branch = await Branch.findByOrFail('slug', `dua-${tenant.id}`)
    assert.equal(branch.tenantId, tenant.id)
  })

  test('the QR poster encodes the branch link', async ({ client }) => {
    const { admin, branch } = await createWorld()
    const response = await client.get('/admin/qr').loginAs(admin)
    response.assertStatus(200)
    response.assertTextIncludes('<svg')
    response.assertTextIncludes(`/b/${branch.slug}`)
  })
})

test.group('Admin: reset, reports, audit', () => {
  test('reset today closes the waiting tickets and numbering starts again at 1', async ({
    client,
    assert,
  }) => {
    const { admin, branch, services } = await createWorld()
    await engine.take(branch, services[0], { channel: 'web' })
    await engine.take(branch, services[0], { channel: 'web' })
    const response = await client
      .post('/admin/queue/reset')
      .withCsrfToken()
      .loginAs(admin)
      .redirects(0)
    response.assertFlashMessage(
      'success',
      'Antrean direset: 2 nomor ditutup, penomoran mulai dari 1.'
    )
    assert.lengthOf(
      await Ticket.query().where('branch_id', branch.id).where('status', 'waiting'),
      0
    )
    assert.equal((await engine.take(branch, services[0], { channel: 'web' })).number, 'A001')
  })

  test('the daily report counts taken, served and cancelled per service with average times', async ({
    client,
  }) => {
    const { admin, operator, branch, services, counters } = await createWorld()
    for (let index = 0; index < 3; index++)
      await engine.take(branch, services[0], { channel: 'web' })
    const served = (await engine.callNext(branch, { counter: counters[0], by: operator }))!
    await engine.complete(served, { counter: counters[0], by: operator })
    const waiting = await Ticket.query()
      .where('branch_id', branch.id)
      .where('status', 'waiting')
      .firstOrFail()
    await engine.cancel(waiting, 'Pulang', { by: operator })

    const response = await client.get('/app/reports/daily').loginAs(admin)
    response.assertStatus(200)
    const html = response.text()
    const row = html.slice(
      html.indexOf('data-testid="report-row-A"'),
      html.indexOf('</tr>', html.indexOf('data-testid="report-row-A"'))
    )
    const cells = [...row.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((match) =>
      match[1].trim()
    )
    response.assertTextIncludes('Laporan harian')
    if (cells.slice(0, 3).join(',') !== '3,1,1')
      throw new Error(`unexpected report cells ${cells.join(',')}`)
  })

  test("a malformed report date shows today's report and says so, not a crash", async ({
    client,
    assert,
  }) => {
    const { admin } = await createWorld()
    const response = await client
      .get('/app/reports/daily?date=yesterday')
      .loginAs(admin)
      .redirects(0)
    response.assertStatus(200)
    assert.include(response.text(), 'data-testid="date-not-understood"')
  })

  test('the audit log lists configuration changes and ticket actions with who and when, filterable', async ({
    client,
    assert,
  }) => {
    const { admin, operator, branch, services, counters } = await createWorld()
    await client
      .post('/admin/services')
      .form({ code: 'Z', name: 'Zeta' })
      .withCsrfToken()
      .loginAs(admin)
    await engine.take(branch, services[0], { channel: 'web' })
    await engine.callNext(branch, { counter: counters[0], by: operator })

    const all = await client.get('/admin/audit').loginAs(admin)
    all.assertTextIncludes('menambahkan layanan Zeta')
    all.assertTextIncludes('memanggil')
    all.assertTextIncludes(operator.fullName)

    const config = await client.get('/admin/audit?kind=config').loginAs(admin)
    config.assertTextIncludes('menambahkan layanan Zeta')
    assert.notInclude(config.text(), 'memanggil')

    const byOperator = await client.get(`/admin/audit?user_id=${operator.id}`).loginAs(admin)
    byOperator.assertTextIncludes('memanggil')
    assert.notInclude(byOperator.text(), 'menambahkan layanan Zeta')
  })

  test("the audit log never shows another tenant's entries", async ({ client, assert }) => {
    const one = await createWorld()
    const other = await createWorld()
    await client
      .post('/admin/services')
      .form({ code: 'Q', name: 'Rahasia Lain' })
      .withCsrfToken()
      .loginAs(other.admin)
    const response = await client.get('/admin/audit').loginAs(one.admin)
    assert.notInclude(response.text(), 'Rahasia Lain')
  })
})

test.group('Platform: tenants', () => {
  test('platform staff open a tenant with its first branch and owner', async ({
    client,
    assert,
  }) => {
    const { key } = await createWorld()
    const platform = await User.create({
      tenantId: null,
      fullName: 'Platform',
      email: `platform-${key}@loket.test`,
      password: PASSWORD,
      role: 'super_admin',
      isActive: true,
    })
    const response = await client
      .post('/platform/tenants')
      .form({
        name: 'Salon Cantik',
        slug: `salon-${key}`,
        locale: 'id',
        branch_name: 'Salon Cantik Depok',
        branch_slug: `salon-depok-${key}`,
        timezone: 'Asia/Jakarta',
        owner_name: 'Rina',
        owner_email: `rina-${key}@salon.test`,
        owner_password: 'rahasia-salon',
      })
      .withCsrfToken()
      .loginAs(platform)
      .redirects(0)
    response.assertStatus(302)
    const tenant = await Tenant.findByOrFail('slug', `salon-${key}`)
    const owner = await User.findByOrFail('email', `rina-${key}@salon.test`)
    assert.equal(owner.tenantId, tenant.id)
    assert.equal(owner.role, 'owner')
    assert.equal((await Branch.findByOrFail('slug', `salon-depok-${key}`)).tenantId, tenant.id)
    ;(await client.get(`/b/salon-depok-${key}`)).assertStatus(200)
    const list = await client.get('/platform/tenants').loginAs(platform)
    list.assertStatus(200)
    list.assertTextIncludes('Salon Cantik')
    list.assertTextIncludes(`/b/salon-depok-${key}`)
  })

  test('a taken branch link refuses the whole tenant (nothing half-written)', async ({
    client,
    assert,
  }) => {
    const { key, branch } = await createWorld()
    const platform = await User.create({
      tenantId: null,
      fullName: 'Platform',
      email: `platform2-${key}@loket.test`,
      password: PASSWORD,
      role: 'super_admin',
      isActive: true,
    })
    const response = await client
      .post('/platform/tenants')
      .json({
        name: 'Bengkel',
        slug: `bengkel-${key}`,
        locale: 'id',
        branch_name: 'Bengkel',
        branch_slug: branch.slug,
        timezone: 'Asia/Jakarta',
        owner_name: 'Joko',
        owner_email: `joko-${key}@b.test`,
        owner_password: 'rahasia-joko',
      })
      .withCsrfToken()
      .loginAs(platform)
      .accept('json')
    response.assertStatus(422)
    assert.isNull(await Tenant.findBy('slug', `bengkel-${key}`))
  })

  test('tenant owners cannot open the platform pages', async ({ client }) => {
    const { owner } = await createWorld()
    ;(await client.get('/platform/tenants').loginAs(owner)).assertStatus(403)
  })
})
