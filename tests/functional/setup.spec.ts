import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import Service from '#models/service'
import Counter from '#models/counter'
import Device from '#models/device'
import Tenant from '#models/tenant'
import User from '#models/user'
import AuditLog from '#models/audit_log'
import TenantOnboarding from '#services/platform/tenant_onboarding'
import QueueEngine from '#services/queue/queue_engine'
import { createWorld, PASSWORD } from '#tests/helpers/world'
import app from '@adonisjs/core/services/app'

const engine = await app.container.make(QueueEngine)

/** A business as the platform admin opens it: a tenant, its first branch and owner, nothing else. */
async function newBusiness() {
  const key = randomUUID().slice(0, 8)
  const onboarding = await app.container.make(TenantOnboarding)
  return onboarding.open(
    {
      name: `Klinik ${key}`,
      slug: `k-${key}`,
      locale: 'id',
      branchName: 'Cabang Utama',
      branchSlug: `k-${key}-utama`,
      timezone: 'Asia/Jakarta',
      ownerName: 'Bu Ani',
      ownerEmail: `ani-${key}@test.loket`,
      ownerPassword: PASSWORD,
    },
    { user: null }
  )
}

/** Each counter's services, as codes in rank order. */
async function servedCodes(counters: Counter[]) {
  const result: string[][] = []
  for (const counter of counters) {
    const ids = await engine.servedServiceIds(counter)
    const services = await Service.query().whereIn('id', ids.length ? ids : [0])
    result.push(ids.map((id) => services.find((service) => service.id === id)!.code))
  }
  return result
}

test.group('First-run setup', () => {
  test('the owner of a business without services starts on the setup page', async ({ client }) => {
    const { owner } = await newBusiness()
    const home = await client.get('/app').loginAs(owner).redirects(0)
    home.assertStatus(302)
    home.assertHeader('location', '/admin/setup')

    const page = await client.get('/admin/setup').loginAs(owner)
    page.assertStatus(200)
    page.assertTextIncludes('Siapkan antrean Anda')
    page.assertTextIncludes('value="Klinik ')
  })

  test('an owner whose business has services lands on the dashboard, with a link back to the setup', async ({
    client,
  }) => {
    const { owner } = await createWorld()
    const home = await client.get('/app').loginAs(owner).redirects(0)
    home.assertHeader('location', '/admin')
    ;(await client.get('/admin').loginAs(owner)).assertTextIncludes('href="/admin/setup"')
  })

  test('makes the services with codes and the usual defaults, counters serving every service, a TV and a kiosk', async ({
    client,
    assert,
  }) => {
    const { tenant, branch, owner } = await newBusiness()
    const response = await client
      .post('/admin/setup')
      .form({
        name: 'Klinik Sehat Baru',
        services: 'Poli Umum\r\nPoli Gigi\r\n\r\n  Farmasi  \r\npoli umum',
        counters: '2',
      })
      .withCsrfToken()
      .loginAs(owner)
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/admin/setup/done')

    await tenant.refresh()
    assert.equal(tenant.name, 'Klinik Sehat Baru')
    const services = await Service.ofBranch(branch.id)
    assert.deepEqual(
      services.map((service) => [service.code, service.name]),
      [
        ['P', 'Poli Umum'],
        ['G', 'Poli Gigi'],
        ['F', 'Farmasi'],
      ]
    )
    for (const service of services) {
      assert.equal(service.numberFormat, '{code}{n:3}')
      assert.equal(service.slaMinutes, 15)
      assert.isTrue(service.isActive)
    }
    const counters = await Counter.ofBranch(branch.id)
    assert.deepEqual(
      counters.map((counter) => counter.name),
      ['Loket 1', 'Loket 2']
    )
    assert.deepEqual(await servedCodes(counters), [
      ['P', 'G', 'F'],
      ['P', 'G', 'F'],
    ])
    const devices = await Device.query().where('branch_id', branch.id).orderBy('id')
    assert.deepEqual(
      devices.map((device) => [device.kind, device.name]),
      [
        ['display', 'TV ruang tunggu'],
        ['kiosk', 'Kios'],
      ]
    )
    assert.isAbove(devices[0].token.length, 20)
    const audit = await AuditLog.query()
      .where('tenant_id', tenant.id)
      .where('action', 'setup.completed')
    assert.lengthOf(audit, 1)

    // The handover page: the TV's link with its QR code and copy button, the poster, the console.
    const done = await client.get('/admin/setup/done').loginAs(owner)
    done.assertStatus(200)
    done.assertTextIncludes(`/display/${devices[0].token}`)
    done.assertTextIncludes(`data-copy="http`)
    done.assertTextIncludes(`/b/${branch.slug}`)
    done.assertTextIncludes('Buka konsol Loket 1')
    done.assertTextIncludes('/js/setup.js')
    assert.isAtLeast(done.text().split('<svg').length - 1, 2)

    // The first number is A... no: P001, and a visitor can take it at once.
    const ticket = await engine.take(branch, services[0], { channel: 'web' })
    assert.equal(ticket.number, 'P001')
  })

  test('submitting again adds only what is missing, and existing counters serve the new service', async ({
    client,
    assert,
  }) => {
    const { branch, owner } = await newBusiness()
    const submit = (services: string, counters: number) =>
      client
        .post('/admin/setup')
        .form({ name: 'Bengkel Maju', services, counters: String(counters) })
        .withCsrfToken()
        .loginAs(owner)
    await submit('Servis Ringan\nGanti Oli', 1)
    await submit('Servis Ringan\nGanti Oli', 1)
    assert.lengthOf(await Service.query().where('branch_id', branch.id), 2)
    assert.lengthOf(await Counter.query().where('branch_id', branch.id), 1)
    assert.lengthOf(await Device.query().where('branch_id', branch.id), 2)

    await submit('Servis Ringan\nGanti Oli\nSpooring', 2)
    const services = await Service.ofBranch(branch.id)
    assert.deepEqual(
      services.map((service) => service.code),
      ['S', 'G', 'P']
    )
    const counters = await Counter.ofBranch(branch.id)
    assert.deepEqual(await servedCodes(counters), [
      ['S', 'G', 'P'],
      ['S', 'G', 'P'],
    ])
    assert.lengthOf(await Device.query().where('branch_id', branch.id), 2)
  })

  test('bad input answers 422 in Indonesian and makes nothing', async ({ client, assert }) => {
    const { branch, owner } = await newBusiness()
    const post = (body: Record<string, unknown>) =>
      client.post('/admin/setup').json(body).withCsrfToken().loginAs(owner).accept('json')

    const noServices = await post({ name: 'Klinik', services: ' \n ', counters: 1 })
    noServices.assertStatus(422)
    assert.include(noServices.body().error.message, 'Tulis 1 sampai 20 layanan, satu per baris')
    const tooManyCounters = await post({ name: 'Klinik', services: 'Poli Umum', counters: 50 })
    tooManyCounters.assertStatus(422)
    assert.equal(tooManyCounters.body().error.message, 'Jumlah loket harus antara 1 dan 20')
    const longName = await post({
      name: 'Klinik',
      services: `Poli\n${'x'.repeat(81)}`,
      counters: 1,
    })
    longName.assertStatus(422)
    assert.lengthOf(await Service.query().where('branch_id', branch.id), 0)
    assert.lengthOf(await Counter.query().where('branch_id', branch.id), 0)

    // The browser form goes back with the message next to the field.
    const form = await client
      .post('/admin/setup')
      .form({ name: 'Klinik', services: '', counters: '1' })
      .header('referer', '/admin/setup')
      .withCsrfToken()
      .loginAs(owner)
    form.assertTextIncludes('Siapkan antrean Anda')
    form.assertTextIncludes('Layanan wajib diisi')
  })

  test("acts only on the user's own business: another tenant's branch is out of reach", async ({
    client,
    assert,
  }) => {
    const one = await newBusiness()
    const other = await newBusiness()

    // Switching to another tenant's branch answers 404; the setup then still acts on one's own.
    const switched = await client
      .post('/app/branch')
      .form({ branch_id: String(other.branch.id) })
      .withCsrfToken()
      .loginAs(one.owner)
    switched.assertStatus(404)
    await client
      .post('/admin/setup')
      .form({ name: 'Klinik Satu', services: 'Umum', counters: '1' })
      .withCsrfToken()
      .loginAs(one.owner)
    assert.lengthOf(await Service.query().where('tenant_id', one.tenant.id), 1)
    assert.lengthOf(await Service.query().where('tenant_id', other.tenant.id), 0)
    assert.lengthOf(await Device.query().where('tenant_id', other.tenant.id), 0)
    assert.equal((await Tenant.findOrFail(other.tenant.id)).name, other.tenant.name)

    // Its handover page never shows the other business's TV.
    await client
      .post('/admin/setup')
      .form({ name: 'Klinik Dua', services: 'Umum', counters: '1' })
      .withCsrfToken()
      .loginAs(other.owner)
    const otherTv = await Device.query()
      .where('tenant_id', other.tenant.id)
      .where('kind', 'display')
      .firstOrFail()
    const done = await client.get('/admin/setup/done').loginAs(one.owner)
    assert.notInclude(done.text(), otherTv.token)

    // Operators cannot open or submit it.
    const operator = await User.create({
      tenantId: one.tenant.id,
      branchId: null,
      fullName: 'Petugas',
      email: `op-${one.tenant.slug}@test.loket`,
      password: PASSWORD,
      role: 'operator',
      isActive: true,
    })
    ;(await client.get('/admin/setup').loginAs(operator)).assertStatus(403)
    ;(
      await client
        .post('/admin/setup')
        .form({ name: 'X', services: 'Y', counters: '1' })
        .withCsrfToken()
        .loginAs(operator)
    ).assertStatus(403)
  })
})
