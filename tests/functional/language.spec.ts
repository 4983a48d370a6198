import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import ApiKey from '#models/api_key'
import BranchHour from '#models/branch_hour'
import Device from '#models/device'
import Tenant from '#models/tenant'
import User from '#models/user'
import QueueEngine from '#services/queue/queue_engine'
import { createWorld, PASSWORD } from '#tests/helpers/world'
import app from '@adonisjs/core/services/app'

const engine = await app.container.make(QueueEngine)

/** 4 December 2026, 10:00 in Jakarta: "04 Des" in Indonesian, "04 Dec" in English, "04 Dis" in Malay. */
const DECEMBER = DateTime.fromISO('2026-12-04T03:00:00Z', { zone: 'utc' })

test.group('Language: the audit log in sentences', () => {
  test('a called ticket and a service change read as sentences in Indonesian and English', async ({
    client,
    assert,
  }) => {
    const { admin, operator, branch, services, counters } = await createWorld()
    await client
      .post('/admin/services')
      .form({ code: 'Z', name: 'Zeta' })
      .withCsrfToken()
      .loginAs(admin)
    const ticket = await engine.take(branch, services[0], { channel: 'web' })
    await engine.callNext(branch, { counter: counters[0], by: operator })

    const id = await client.get('/admin/audit').loginAs(admin)
    id.assertStatus(200)
    const idText = id.text()
    assert.include(idText, `${operator.fullName} memanggil ${ticket.number} ke ${counters[0].name}`)
    assert.include(idText, `${admin.fullName} menambahkan layanan Zeta`)
    assert.include(idText, 'Menunggu → Dipanggil')
    for (const raw of ['ticket.called', 'ticket.created', 'service.created', 'waiting', 'tenantId'])
      assert.notInclude(idText, raw)

    admin.locale = 'en'
    await admin.save()
    const en = await client.get('/admin/audit').loginAs(admin)
    const enText = en.text()
    assert.include(enText, `${operator.fullName} called ${ticket.number} to ${counters[0].name}`)
    assert.include(enText, `${admin.fullName} added service Zeta`)
    assert.include(enText, 'Waiting → Called')
    assert.notInclude(enText, 'memanggil')
    assert.notInclude(enText, 'ticket.called')
  })

  test('a change names its fields, and the ids it carries are names', async ({
    client,
    assert,
  }) => {
    const { admin, branch, counters, services } = await createWorld()
    await client
      .put(`/admin/counters/${counters[0].id}`)
      .form({ 'name': 'Loket Depan', 'service_ids[]': [services[0].id], 'is_active': '1' })
      .withCsrfToken()
      .loginAs(admin)
    await client
      .post('/admin/services')
      .form({ code: 'Z', name: 'Zeta' })
      .withCsrfToken()
      .loginAs(admin)
    const response = await client.get('/admin/audit?kind=config').loginAs(admin)
    response.assertStatus(200)
    const text = response.text()
    assert.match(text, new RegExp(`${admin.fullName} mengubah loket Loket Depan: [^<]*nama`))
    assert.include(text, `nama: ${counters[0].name} → Loket Depan`)
    assert.include(text, `cabang: ${branch.name}`)
    for (const raw of ['branchId', 'tenantId', 'counter.updated', 'service #'])
      assert.notInclude(text, raw)
  })
})

test.group('Language: one date formatter', () => {
  for (const [locale, month] of [
    ['id', 'Des'],
    ['en', 'Dec'],
    ['ms', 'Dis'],
  ]) {
    test(`devices and API keys pages write months in ${locale}`, async ({ client, assert }) => {
      const { admin, tenant, display } = await createWorld()
      admin.locale = locale
      await admin.save()
      display.lastSeenAt = DECEMBER
      await display.save()
      await ApiKey.create({
        tenantId: tenant.id,
        name: 'Kasir',
        prefix: `lk_${Math.random().toString(36).slice(2, 8)}`,
        tokenHash: randomBytes(32).toString('hex'),
        createdBy: admin.id,
        lastUsedAt: DECEMBER,
      })

      const devices = await client.get('/admin/devices').loginAs(admin)
      devices.assertStatus(200)
      assert.include(devices.text(), `04 ${month} 10:00`)
      const keys = await client.get('/admin/api-keys').loginAs(admin)
      keys.assertStatus(200)
      assert.include(keys.text(), `04 ${month} 2026 10:00`)
      for (const other of ['Des ', 'Dec ', 'Dis '].filter((name) => name !== `${month} `))
        assert.notInclude(keys.text(), `04 ${other}2026`)
    })
  }

  test('the platform tenants page names languages', async ({ client, assert }) => {
    const { key, tenant } = await createWorld()
    await Tenant.query().where('id', tenant.id).update({ locale: 'ms' })
    const platform = await User.create({
      tenantId: null,
      fullName: 'Platform',
      email: `platform-lang-${key}@loket.test`,
      password: PASSWORD,
      role: 'super_admin',
      isActive: true,
    })
    const response = await client.get('/platform/tenants').loginAs(platform)
    response.assertStatus(200)
    assert.include(response.text(), 'Bahasa Melayu')
    assert.notInclude(response.text(), '<td>ms</td>')
    assert.notInclude(response.text(), '<td>id</td>')
  })
})

test.group('Language: the daily report', () => {
  test('a date that is not one shows the report of today and says so', async ({
    client,
    assert,
  }) => {
    const { admin, branch } = await createWorld()
    const response = await client.get('/app/reports/daily?date=garbage').loginAs(admin).redirects(0)
    response.assertStatus(200)
    assert.include(response.text(), `value="${branch.today()}"`)
    assert.include(response.text(), 'Tanggal itu tidak dikenali')

    const valid = await client.get(`/app/reports/daily?date=${branch.today()}`).loginAs(admin)
    assert.notInclude(valid.text(), 'data-testid="date-not-understood"')
  })

  test('the hourly chart spans the opening hours, each hour its own slot, empty ones zero', async ({
    client,
    assert,
  }) => {
    const { admin, branch, services } = await createWorld()
    // Taken first: the branch may be closed at the hour the test runs.
    const first = await engine.take(branch, services[0], { channel: 'web' })
    const second = await engine.take(branch, services[0], { channel: 'web' })
    const third = await engine.take(branch, services[0], { channel: 'web' })
    await BranchHour.createMany(
      [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
        tenantId: branch.tenantId,
        branchId: branch.id,
        weekday,
        opensAt: '08:00',
        closesAt: '17:00',
      }))
    )
    await db.from('tickets').whereIn('id', [first.id, second.id]).update({ local_hour: 9 })
    await db.from('tickets').where('id', third.id).update({ local_hour: 14 })

    const response = await client.get('/app/reports/daily').loginAs(admin)
    response.assertStatus(200)
    const slots = [...response.text().matchAll(/data-hour="(\d\d)" data-taken="(\d+)"/g)].map(
      (match) => [match[1], Number(match[2])]
    )
    assert.deepEqual(
      slots.map(([hour]) => hour),
      ['08', '09', '10', '11', '12', '13', '14', '15', '16']
    )
    assert.deepEqual(
      slots.map(([, taken]) => taken),
      [0, 2, 0, 0, 0, 0, 1, 0, 0]
    )
    assert.notInclude(response.text(), 'style=')
  })
})

test.group('Language: the admin dashboard', () => {
  test('"TV displays" counts the displays, not the kiosks', async ({ client, assert }) => {
    const { admin, branch, display, key } = await createWorld()
    await Device.create({
      tenantId: branch.tenantId,
      branchId: branch.id,
      kind: 'kiosk',
      name: 'Kios Lobi',
      token: `kiosk-${key}`,
    })
    const response = await client.get('/admin').loginAs(admin)
    response.assertStatus(200)
    assert.include(response.text(), 'data-count="1"')
    assert.include(response.text(), `/display/${display.token}`)
    assert.notInclude(response.text(), 'Kios Lobi')
  })
})
