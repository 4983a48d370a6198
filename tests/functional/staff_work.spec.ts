import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import Counter from '#models/counter'
import Device from '#models/device'
import Service from '#models/service'
import User from '#models/user'
import AuditLog from '#models/audit_log'
import { createWorld, seat } from '#tests/helpers/world'
import { createBookingWorld } from '#tests/helpers/bookings'

/** The services `counter` serves, by rank. */
async function servedBy(counter: Counter) {
  const rows = await db
    .from('counter_services')
    .where('counter_id', counter.id)
    .orderBy('rank')
    .select('service_id')
  return rows.map((row) => Number(row.service_id))
}

/** The hrefs of the staff menu's links (the header's nav) in an HTML page. */
function navLinks(html: string) {
  const nav = html.match(/<nav class="nav"[\s\S]*?<\/nav>/)?.[0] ?? ''
  return [...nav.matchAll(/href="([^"]+)"/g)].map((match) => match[1])
}

test.group('Devices: the secret link on the edit page', () => {
  test('creating a TV display opens its page with the link, a copy button and its QR code', async ({
    client,
    assert,
  }) => {
    const { admin, branch } = await createWorld()
    const created = await client
      .post('/admin/devices')
      .form({ name: 'TV lobi', kind: 'display' })
      .withCsrfToken()
      .loginAs(admin)
      .redirects(0)
    const device = await Device.query()
      .where('branch_id', branch.id)
      .where('name', 'TV lobi')
      .firstOrFail()
    assert.equal(created.header('location'), `/admin/devices/${device.id}/edit`)

    const page = await client.get(`/admin/devices/${device.id}/edit`).loginAs(admin)
    page.assertStatus(200)
    const html = page.text()
    assert.match(html, new RegExp(`value="https?://[^"]+/display/${device.token}"`))
    assert.include(html, 'data-copy="#device-link-url"')
    assert.include(html, 'Salin tautan')
    assert.include(html, '/js/copy.js')
    assert.match(html, /data-testid="device-link"[\s\S]*<svg[^>]*>[\s\S]*<\/svg>/)
  })

  test("a kiosk's page shows its /kiosk link and QR code; a booth's shows none", async ({
    client,
    assert,
  }) => {
    const { admin, tenant, branch } = await createWorld()
    const kiosk = await Device.create({
      tenantId: tenant.id,
      branchId: branch.id,
      kind: 'kiosk',
      name: 'Kios',
      token: `kiosk-${branch.id}`,
    })
    const html = (await client.get(`/admin/devices/${kiosk.id}/edit`).loginAs(admin)).text()
    assert.match(html, new RegExp(`value="https?://[^"]+/kiosk/${kiosk.token}"`))
    assert.match(html, /data-testid="device-link"[\s\S]*<svg/)

    const booth = await Device.create({
      tenantId: tenant.id,
      branchId: branch.id,
      kind: 'booth',
      name: 'Booth',
      token: `booth-${branch.id}`,
    })
    const boothPage = await client.get(`/admin/devices/${booth.id}/edit`).loginAs(admin)
    boothPage.assertStatus(200)
    assert.notInclude(boothPage.text(), 'data-testid="device-link"')
  })

  test("another tenant's device answers 404", async ({ client }) => {
    const one = await createWorld()
    const other = await createWorld()
    const response = await client.get(`/admin/devices/${other.display.id}/edit`).loginAs(one.admin)
    response.assertStatus(404)
  })
})

test.group('Services: on counters from the start', () => {
  test('the new-service form offers every active counter of the branch, all ticked', async ({
    client,
    assert,
  }) => {
    const { admin, counters } = await createWorld()
    const html = (await client.get('/admin/services/create').loginAs(admin)).text()
    const block = html.match(/data-testid="service-counters"[\s\S]*?<\/fieldset>/)?.[0] ?? ''
    for (const counter of counters) {
      assert.match(
        block,
        new RegExp(`name="counter_ids\\[\\]" value="${counter.id}" checked`),
        counter.name
      )
    }
  })

  test('a branch without counters is told that nobody could call the new service', async ({
    client,
  }) => {
    const { admin } = await createWorld({ counters: 0 })
    const response = await client.get('/admin/services/create').loginAs(admin)
    response.assertTextIncludes('belum punya loket')
    response.assertTextIncludes('/admin/counters/create')
  })

  test('the service is added last to the ticked counters only, in the same change', async ({
    client,
    assert,
  }) => {
    const { admin, branch, counters, services } = await createWorld({ counters: 3 })
    const response = await client
      .post('/admin/services')
      .form({
        'code': 'D',
        'name': 'Laboratorium',
        'number_format': '{code}{n:3}',
        'sla_minutes': '15',
        'is_active': '1',
        'counter_ids[]': [counters[0].id, counters[2].id],
      })
      .withCsrfToken()
      .loginAs(admin)
      .redirects(0)
    response.assertStatus(302)
    const lab = await Service.query().where('branch_id', branch.id).where('code', 'D').firstOrFail()
    const before = services.map((service) => service.id)
    assert.deepEqual(await servedBy(counters[0]), [...before, lab.id])
    assert.deepEqual(await servedBy(counters[1]), before)
    assert.deepEqual(await servedBy(counters[2]), [...before, lab.id])
    const audits = await AuditLog.query()
      .where('action', 'counter.services_updated')
      .whereIn('subject_id', [String(counters[0].id), String(counters[2].id)])
    assert.lengthOf(audits, 2)
  })

  test("another tenant's counter refuses the whole service (422, nothing written)", async ({
    client,
    assert,
  }) => {
    const one = await createWorld()
    const other = await createWorld()
    const response = await client
      .post('/admin/services')
      .json({
        code: 'D',
        name: 'Laboratorium',
        counter_ids: [one.counters[0].id, other.counters[0].id],
      })
      .withCsrfToken()
      .loginAs(one.admin)
      .accept('json')
    response.assertStatus(422)
    assert.equal(response.body().error.message, 'Loket tidak dikenal di cabang ini.')
    assert.isNull(
      await Service.query().where('branch_id', one.branch.id).where('code', 'D').first()
    )
  })
})

test.group('Admin dashboard: services nobody can call', () => {
  test('names each active service that no active counter serves, with a link to fix it', async ({
    client,
    assert,
  }) => {
    const { admin, tenant, branch, counters, services } = await createWorld({ services: 3 })
    // C on no counter; B only on a counter that is switched off.
    await db.from('counter_services').where('service_id', services[2].id).delete()
    await db.from('counter_services').where('service_id', services[1].id).delete()
    await db.table('counter_services').insert({
      tenant_id: tenant.id,
      counter_id: counters[1].id,
      service_id: services[1].id,
      rank: 9,
    })
    counters[1].isActive = false
    await counters[1].save()
    await Service.create({
      tenantId: tenant.id,
      branchId: branch.id,
      code: 'Z',
      name: 'Layanan nonaktif',
      position: 9,
      isActive: false,
    })

    const html = (await client.get('/admin').loginAs(admin)).text()
    const warning = html.match(/data-testid="unserved-services-warning"[\s\S]*?<\/div>/)?.[0] ?? ''
    assert.include(warning, 'Layanan tanpa loket')
    assert.include(warning, 'Layanan 2')
    assert.include(warning, 'Layanan 3')
    assert.notInclude(warning, 'Layanan 1')
    assert.notInclude(warning, 'Layanan nonaktif')
    assert.include(warning, 'href="/admin/counters"')
  })

  test('no warning when every active service has a counter', async ({ client, assert }) => {
    const { admin } = await createWorld()
    const response = await client.get('/admin').loginAs(admin)
    response.assertStatus(200)
    assert.notInclude(response.text(), 'unserved-services-warning')
  })

  test("a booth business's booked services need no counter: no warning", async ({
    client,
    assert,
  }) => {
    const { owner } = await createBookingWorld({ services: 1, counters: 0 })
    const response = await client.get('/admin').loginAs(owner)
    response.assertStatus(200)
    assert.notInclude(response.text(), 'unserved-services-warning')
  })
})

test.group('Counters: at least one service', () => {
  test('a counter with no service is refused with 422 and a clear Indonesian message', async ({
    client,
    assert,
  }) => {
    const { admin, branch } = await createWorld()
    const response = await client
      .post('/admin/counters')
      .json({ name: 'Loket 9' })
      .withCsrfToken()
      .loginAs(admin)
      .accept('json')
    response.assertStatus(422)
    assert.include(response.body().error.message, 'Pilih minimal satu layanan')
    assert.isNull(
      await Counter.query().where('branch_id', branch.id).where('name', 'Loket 9').first()
    )
  })

  test('unticking every service of a counter is refused and the form says why', async ({
    client,
    assert,
  }) => {
    const { admin, counters, services } = await createWorld()
    const response = await client
      .put(`/admin/counters/${counters[0].id}`)
      .form({ name: 'Loket 1', is_active: '1' })
      .withCsrfToken()
      .header('referer', `/admin/counters/${counters[0].id}/edit`)
      .loginAs(admin)
      .redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), `/admin/counters/${counters[0].id}/edit`)
    assert.deepEqual(
      await servedBy(counters[0]),
      services.map((service) => service.id)
    )
    const form = await client
      .get(`/admin/counters/${counters[0].id}/edit`)
      .withSession({})
      .withFlashMessages({
        inputErrorsBag: { service_ids: ['Pilih minimal satu layanan yang dilayani loket ini'] },
        input: { name: 'Loket 1' },
      })
      .loginAs(admin)
    form.assertTextIncludes('id="service-ids-error"')
    form.assertTextIncludes('Pilih minimal satu layanan yang dilayani loket ini')
  })

  test('an empty service list on an empty form body is refused too (no counter created)', async ({
    client,
    assert,
  }) => {
    const { admin, branch } = await createWorld()
    await client
      .post('/admin/counters')
      .form({ 'name': 'Loket 7', 'service_ids[]': [] })
      .withCsrfToken()
      .loginAs(admin)
      .redirects(0)
    assert.isNull(
      await Counter.query().where('branch_id', branch.id).where('name', 'Loket 7').first()
    )
  })
})

test.group('Counter console: the last counter', () => {
  test('picking a counter remembers it as the operator’s last counter', async ({
    client,
    assert,
  }) => {
    const { operator, counters, services } = await createWorld()
    await client
      .post('/app/counter/select')
      .form({ 'counter_id': counters[1].id, 'service_ids[]': [services[0].id] })
      .withCsrfToken()
      .loginAs(operator)
    await operator.refresh()
    assert.equal(operator.lastCounterId, counters[1].id)
  })

  test('the console opens directly on the last counter when it is free and active', async ({
    client,
    assert,
  }) => {
    const { operator, counters, services } = await createWorld()
    await client
      .post('/app/counter/select')
      .form({ 'counter_id': counters[1].id, 'service_ids[]': [services[1].id, services[0].id] })
      .withCsrfToken()
      .loginAs(operator)
    // The operator is gone (another shift sat there and left): nobody at the counter.
    await db.from('counters').where('id', counters[1].id).update({ operator_id: null })
    await operator.refresh()

    const response = await client.get('/app/counter').loginAs(operator)
    response.assertStatus(200)
    response.assertTextIncludes(`<h1>${counters[1].name}</h1>`)
    assert.notInclude(response.text(), 'Mulai bertugas')
    await counters[1].refresh()
    assert.equal(counters[1].operatorId, operator.id)
    assert.equal(counters[1].presence, 'available')
    assert.deepEqual(await servedBy(counters[1]), [services[1].id, services[0].id])
  })

  test('an inactive, occupied or out-of-scope last counter shows the picker, on it first', async ({
    client,
    assert,
  }) => {
    const { operator, operator2, counters } = await createWorld()

    // Occupied by a colleague: never taken from them, but ticked first on the picker.
    operator.lastCounterId = counters[1].id
    await operator.save()
    await seat(counters[1], operator2)
    let html = (await client.get('/app/counter').loginAs(operator)).text()
    assert.include(html, 'Mulai bertugas')
    assert.match(html, new RegExp(`value="${counters[1].id}" required[\\s\\S]*?checked`))
    await counters[1].refresh()
    assert.equal(counters[1].operatorId, operator2.id)

    // Switched off.
    counters[1].merge({ operatorId: null, isActive: false })
    await counters[1].save()
    html = (await client.get('/app/counter').loginAs(operator)).text()
    assert.include(html, 'Mulai bertugas')

    // Another tenant's counter id is never a way in.
    const other = await createWorld()
    operator.lastCounterId = other.counters[0].id
    await operator.save()
    html = (await client.get('/app/counter').loginAs(operator)).text()
    assert.include(html, 'Mulai bertugas')
    await other.counters[0].refresh()
    assert.isNull(other.counters[0].operatorId)
  })

  test('an operator limited to one branch is not seated at a counter of another', async ({
    client,
    assert,
  }) => {
    const { operator, counters, tenant } = await createWorld()
    const { default: Branch } = await import('#models/branch')
    const second = await Branch.create({
      tenantId: tenant.id,
      name: 'Cabang dua',
      slug: `two-${tenant.id}`,
      timezone: 'Asia/Jakarta',
    })
    operator.merge({ branchId: second.id, lastCounterId: counters[0].id })
    await operator.save()
    const response = await client.get('/app/counter').loginAs(operator)
    response.assertStatus(200)
    await counters[0].refresh()
    assert.isNull(counters[0].operatorId)
  })

  test('leaving the counter shows the picker for the rest of this login, not the next', async ({
    client,
    assert,
  }) => {
    const { operator, counters } = await createWorld()
    await seat(counters[0], operator)
    operator.lastCounterId = counters[0].id
    await operator.save()
    const left = await client
      .post('/app/counter/leave')
      .withCsrfToken()
      .loginAs(operator)
      .redirects(0)
    left.assertStatus(302)
    const browserSession = left.session()
    assert.exists(browserSession.counterLeft)

    // The same browser, the same login: the picker.
    const sameLogin = await client.get('/app/counter').withSession(browserSession)
    sameLogin.assertTextIncludes('Mulai bertugas')
    await counters[0].refresh()
    assert.isNull(counters[0].operatorId)

    // The next login (a new staff session) opens the console on that counter again.
    const nextLogin = await client
      .get('/app/counter')
      .withSession({ counterLeft: browserSession.counterLeft })
      .loginAs(operator)
    nextLogin.assertTextIncludes(`<h1>${counters[0].name}</h1>`)
    await counters[0].refresh()
    assert.equal(counters[0].operatorId, operator.id)
  })
})

test.group('Staff home: each role lands on its work', () => {
  test('in a queue business: operators on the console, supervisors on the board, admins on the dashboard', async ({
    client,
    assert,
  }) => {
    const { operator, owner, admin, tenant } = await createWorld()
    const supervisor = await User.create({
      tenantId: tenant.id,
      branchId: null,
      fullName: 'Supervisor',
      email: `sup-${tenant.id}@test.loket`,
      password: 'secret-pass-123',
      role: 'supervisor',
      isActive: true,
    })
    const landing = async (user: User) =>
      (await client.get('/app').loginAs(user).redirects(0)).header('location')
    assert.equal(await landing(operator), '/app/counter')
    assert.equal(await landing(supervisor), '/app/board')
    assert.equal(await landing(owner), '/admin')
    assert.equal(await landing(admin), '/admin')
  })

  test('in a photo-booth business: staff land on the booth board, owners on the dashboard', async ({
    client,
    assert,
  }) => {
    const { operator, owner } = await createBookingWorld({ services: 1, counters: 0 })
    const landing = async (user: User) =>
      (await client.get('/app').loginAs(user).redirects(0)).header('location')
    assert.equal(await landing(operator), '/app/bookings/board')
    assert.equal(await landing(owner), '/admin')
  })

  test('logging in sends the operator of a booth business to the booth board', async ({
    client,
    assert,
  }) => {
    const { operator } = await createBookingWorld({ services: 1, counters: 0 })
    const login = await client
      .post('/login')
      .form({ email: operator.email, password: 'secret-pass-123' })
      .withCsrfToken()
      .redirects(0)
    assert.equal(login.header('location'), '/app')
    const home = await client.get('/app').loginAs(operator).redirects(0)
    assert.equal(home.header('location'), '/app/bookings/board')
  })
})

test.group('Staff menu: only the modules the business uses', () => {
  test('a queue-only business: console and desk, no bookings and no booth board', async ({
    client,
    assert,
  }) => {
    const { operator, counters } = await createWorld()
    await seat(counters[0], operator)
    const links = navLinks((await client.get('/app/counter').loginAs(operator)).text())
    assert.includeMembers(links, ['/app/counter', '/app/desk'])
    assert.notInclude(links, '/app/bookings')
    assert.notInclude(links, '/app/bookings/board')
    assert.notInclude(links, '/app/board')
  })

  test('a photo-booth business: bookings and the booth board, no counter console', async ({
    client,
    assert,
  }) => {
    const { operator } = await createBookingWorld({ services: 1, counters: 0 })
    const response = await client.get('/app/bookings/board').loginAs(operator)
    response.assertStatus(200)
    const links = navLinks(response.text())
    assert.includeMembers(links, ['/app/bookings', '/app/bookings/board'])
    assert.notInclude(links, '/app/counter')
    assert.notInclude(links, '/app/desk')
  })

  test('a clinic with a bookable doctor: queue and bookings, but no booth board', async ({
    client,
    assert,
  }) => {
    const { owner } = await createBookingWorld({ kind: 'doctor' })
    const links = navLinks((await client.get('/admin').loginAs(owner)).text())
    assert.includeMembers(links, [
      '/app/counter',
      '/app/desk',
      '/app/bookings',
      '/app/board',
      '/app/reports/daily',
      '/admin/messaging',
      '/admin/payments',
    ])
    assert.notInclude(links, '/app/bookings/board')
  })

  test('operators never see the admin entries (messaging, payments)', async ({
    client,
    assert,
  }) => {
    const { operator, counters } = await createWorld()
    await seat(counters[0], operator)
    const links = navLinks((await client.get('/app/counter').loginAs(operator)).text())
    assert.notInclude(links, '/admin/messaging')
    assert.notInclude(links, '/admin/payments')
    assert.notInclude(links, '/app/board')
  })
})
