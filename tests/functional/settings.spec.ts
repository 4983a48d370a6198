import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { fileURLToPath } from 'node:url'
import Area from '#models/area'
import Service from '#models/service'
import Ticket from '#models/ticket'
import Device from '#models/device'
import BranchHour from '#models/branch_hour'
import Holiday from '#models/holiday'
import AuditLog from '#models/audit_log'
import clock from '#support/clock'
import { createWorld } from '#tests/helpers/world'
import { logoServedAsPng } from '#tests/helpers/logo'

const icon = fileURLToPath(new URL('../../public/icons/icon-192.png', import.meta.url))
const days = (open: number[]) =>
  Object.fromEntries(
    [0, 1, 2, 3, 4, 5, 6].flatMap((weekday, index) => [
      [`days[${index}][weekday]`, weekday],
      ...(open.includes(weekday) ? [[`days[${index}][open]`, '1']] : []),
      [`days[${index}][opens_at]`, '08:00'],
      [`days[${index}][closes_at]`, '15:30'],
    ])
  )

test.group('Settings: hours and holidays', (group) => {
  group.each.teardown(() => clock.reset())

  test('weekly hours are saved and the visitor page says when the branch opens', async ({
    client,
    assert,
  }) => {
    const { admin, branch } = await createWorld()
    const response = await client
      .put('/admin/settings/hours')
      .form(days([1, 2, 3, 4, 5]))
      .withCsrfToken()
      .loginAs(admin)
      .redirects(0)
    response.assertStatus(302)
    const hours = await BranchHour.query().where('branch_id', branch.id).orderBy('weekday')
    assert.deepEqual(
      hours.map((row) => [row.weekday, row.opensAt, row.closesAt]),
      [1, 2, 3, 4, 5].map((day) => [day, '08:00', '15:30'])
    )
    assert.isNotNull(
      await AuditLog.query()
        .where('action', 'branch.hours_updated')
        .where('branch_id', branch.id)
        .first()
    )

    clock.travelTo(DateTime.fromISO('2026-11-29T10:00', { zone: branch.timezone }))
    const page = await client.get(`/b/${branch.slug}`)
    page.assertTextIncludes('Kami sedang tutup')
    page.assertTextIncludes('Senin')
    assert.notInclude(page.text(), 'service-button')
  })

  test('closing before opening is refused', async ({ client, assert }) => {
    const { admin, branch } = await createWorld()
    const form = { ...days([1]), 'days[1][opens_at]': '17:00', 'days[1][closes_at]': '08:00' }
    const response = await client
      .put('/admin/settings/hours')
      .form(form)
      .withCsrfToken()
      .loginAs(admin)
      .header('referer', '/admin/settings')
      .redirects(0)
    response.assertFlashMessage(
      'error',
      'Jam buka harus sebelum jam tutup, untuk setiap hari yang buka.'
    )
    assert.lengthOf(await BranchHour.query().where('branch_id', branch.id), 0)
  })

  test('holidays are added, listed and removed; the same date twice is refused', async ({
    client,
    assert,
  }) => {
    const { admin, branch } = await createWorld()
    const date = DateTime.now().plus({ days: 10 }).toISODate()!
    await client
      .post('/admin/holidays')
      .form({ date, name: 'Idul Adha' })
      .withCsrfToken()
      .loginAs(admin)
    const again = await client
      .post('/admin/holidays')
      .json({ date, name: 'Lagi' })
      .withCsrfToken()
      .loginAs(admin)
      .accept('json')
    again.assertStatus(422)
    const page = await client.get('/admin/settings').loginAs(admin)
    page.assertTextIncludes('Idul Adha')
    const holiday = await Holiday.query().where('branch_id', branch.id).firstOrFail()
    await client.delete(`/admin/holidays/${holiday.id}`).withCsrfToken().loginAs(admin)
    assert.isNull(await Holiday.find(holiday.id))
  })

  test('the same holiday sent twice at once is saved once; the other answer is a 422, not a 500', async ({
    client,
    assert,
  }) => {
    const { admin, branch } = await createWorld()
    const date = DateTime.now().plus({ days: 12 }).toISODate()!
    const send = () =>
      client
        .post('/admin/holidays')
        .json({ date, name: 'Nyepi' })
        .withCsrfToken()
        .loginAs(admin)
        .accept('json')
    const statuses = (await Promise.all([send(), send(), send()])).map((answer) => answer.status())
    assert.notInclude(statuses, 500)
    assert.include(statuses, 422)
    assert.lengthOf(await Holiday.query().where('branch_id', branch.id), 1)
  })

  test("another tenant's holiday answers 404", async ({ client }) => {
    const one = await createWorld()
    const other = await createWorld()
    const holiday = await Holiday.create({
      tenantId: other.tenant.id,
      branchId: other.branch.id,
      date: '2030-01-01',
      name: 'X',
    })
    ;(
      await client.delete(`/admin/holidays/${holiday.id}`).withCsrfToken().loginAs(one.admin)
    ).assertStatus(404)
  })
})

test.group('Settings: queue rules and logo', () => {
  test('an owner sets weights, the ratio rule, the starvation limit and the options', async ({
    client,
    assert,
  }) => {
    const { owner, tenant } = await createWorld()
    await client
      .put('/admin/settings/queue')
      .form({
        'weights[regular]': 0,
        'weights[appointment]': 40,
        'weights[priority]': 20,
        'weights[vip]': 30,
        'weights[emergency]': 1000,
        'ratio_enabled': '1',
        'ratio_regular': 3,
        'ratio_priority': 1,
        'max_wait_minutes': 25,
        'show_wait_estimate': '1',
      })
      .withCsrfToken()
      .loginAs(owner)
    await tenant.refresh()
    assert.deepEqual(tenant.queue, {
      priorityWeights: { regular: 0, appointment: 40, priority: 20, vip: 30, emergency: 1000 },
      ratio: { regular: 3, priority: 1 },
      maxWaitMinutes: 25,
      transferKeepsPlace: false,
      showWaitEstimate: true,
    })
  })

  test('admins may not change the queue rules', async ({ client }) => {
    const { admin } = await createWorld()
    ;(
      await client
        .put('/admin/settings/queue')
        .form({ max_wait_minutes: 5 })
        .withCsrfToken()
        .loginAs(admin)
    ).assertStatus(403)
  })

  test('a logo is uploaded, served with its type and shown on the visitor page; a text file is refused', async ({
    client,
    assert,
  }) => {
    const { owner, tenant, branch } = await createWorld()
    const upload = await client
      .post('/admin/settings/logo')
      .file('logo', icon)
      .withCsrfToken()
      .loginAs(owner)
      .redirects(0)
    upload.assertStatus(302)
    await logoServedAsPng({ client, assert }, tenant)
    ;(await client.get(`/b/${branch.slug}`)).assertTextIncludes(`/brand/${tenant.slug}/logo?v=`)
    const audit = await AuditLog.query().where('action', 'tenant.logo_updated').firstOrFail()
    assert.notProperty(audit.changes, 'logoData')

    const text = await client
      .post('/admin/settings/logo')
      .file('logo', Buffer.from('hello'), { filename: 'x.txt' })
      .withCsrfToken()
      .loginAs(owner)
      .accept('json')
    text.assertStatus(422)
  })

  test('a tenant without a logo answers 404 for it', async ({ client }) => {
    const { tenant } = await createWorld()
    ;(await client.get(`/brand/${tenant.slug}/logo`)).assertStatus(404)
  })
})

test.group('Areas, services, counters and devices settings', () => {
  test('areas are created, renamed and removed; what was in them stays', async ({
    client,
    assert,
  }) => {
    const { admin, branch, services } = await createWorld()
    await client.post('/admin/areas').form({ name: 'Lantai 2' }).withCsrfToken().loginAs(admin)
    const area = await Area.query().where('branch_id', branch.id).firstOrFail()
    services[0].areaId = area.id
    await services[0].save()
    await client
      .put(`/admin/areas/${area.id}`)
      .form({ name: 'Lantai Dua' })
      .withCsrfToken()
      .loginAs(admin)
    await area.refresh()
    assert.equal(area.name, 'Lantai Dua')
    await client.delete(`/admin/areas/${area.id}`).withCsrfToken().loginAs(admin)
    assert.isNull(await Area.find(area.id))
    await services[0].refresh()
    assert.isNull(services[0].areaId)
  })

  test('a service keeps its queue settings: names per language, SLA, hours, capacity, priority, format, no-show', async ({
    client,
    assert,
  }) => {
    const { admin, services } = await createWorld()
    await client
      .put(`/admin/services/${services[0].id}`)
      .form({
        code: 'A',
        name: 'Poli Umum',
        name_en: 'General clinic',
        name_ms: 'Klinik am',
        sla_minutes: 20,
        opens_at: '08:00',
        closes_at: '12:00',
        daily_capacity: 50,
        default_priority: 'appointment',
        number_format: '{code}-{n:2}',
        no_show_after_minutes: 3,
        no_show_action: 'requeue',
        max_wait_minutes: 30,
        is_active: '1',
      })
      .withCsrfToken()
      .loginAs(admin)
    const service = await Service.findOrFail(services[0].id)
    assert.equal(service.nameIn('en'), 'General clinic')
    assert.equal(service.formatNumber(7), 'A-07')
    assert.equal(service.defaultPriority, 'appointment')
    assert.equal(service.noShowAction, 'requeue')
    assert.equal(service.dailyCapacity, 50)
  })

  test('a broken number format or an unknown area is refused', async ({ client }) => {
    const one = await createWorld()
    const other = await createWorld()
    const area = await Area.create({
      tenantId: other.tenant.id,
      branchId: other.branch.id,
      name: 'Asing',
      position: 1,
    })
    const base = { code: 'A', name: 'Umum' }
    ;(
      await client
        .put(`/admin/services/${one.services[0].id}`)
        .json({ ...base, number_format: '<script>' })
        .withCsrfToken()
        .loginAs(one.admin)
        .accept('json')
    ).assertStatus(422)
    ;(
      await client
        .put(`/admin/services/${one.services[0].id}`)
        .json({ ...base, area_id: area.id })
        .withCsrfToken()
        .loginAs(one.admin)
        .accept('json')
    ).assertStatus(422)
    ;(
      await client
        .put(`/admin/counters/${one.counters[0].id}`)
        .json({ name: 'Loket 1', area_id: area.id })
        .withCsrfToken()
        .loginAs(one.admin)
        .accept('json')
    ).assertStatus(422)
  })

  test('a display is set to an area with next-up; a kiosk to 58 mm paper', async ({
    client,
    assert,
  }) => {
    const { admin, branch, display, tenant } = await createWorld()
    const area = await Area.create({
      tenantId: tenant.id,
      branchId: branch.id,
      name: 'Lobi',
      position: 1,
    })
    await client
      .put(`/admin/devices/${display.id}`)
      .form({ name: 'TV Lobi', mode: 'area', area_id: area.id, recent_count: 4, show_next_up: '1' })
      .withCsrfToken()
      .loginAs(admin)
    await display.refresh()
    assert.equal(display.mode, 'area')
    assert.equal(display.areaId, area.id)
    assert.isTrue(display.showNextUp)
    ;(await client.get(`/display/${display.token}`)).assertTextIncludes('Berikutnya')

    await client
      .post('/admin/devices')
      .form({ name: 'Kios Depan', kind: 'kiosk' })
      .withCsrfToken()
      .loginAs(admin)
    const kiosk = await Device.query()
      .where('branch_id', branch.id)
      .where('kind', 'kiosk')
      .firstOrFail()
    await client
      .put(`/admin/devices/${kiosk.id}`)
      .form({ name: 'Kios Depan', paper_width: 58 })
      .withCsrfToken()
      .loginAs(admin)
    await kiosk.refresh()
    assert.equal(kiosk.paperWidth, 58)
  })
})

test.group('Visitor app (PWA)', () => {
  test('the branch has a web app manifest and the site a service worker', async ({
    client,
    assert,
  }) => {
    const { branch, tenant } = await createWorld()
    const page = await client.get(`/b/${branch.slug}`)
    page.assertTextIncludes(`/b/${branch.slug}/manifest.webmanifest`)
    const manifest = await client.get(`/b/${branch.slug}/manifest.webmanifest`)
    manifest.assertStatus(200)
    const body = JSON.parse(manifest.text())
    assert.equal(body.start_url, `/b/${branch.slug}`)
    assert.equal(body.display, 'standalone')
    assert.equal(body.theme_color, tenant.brandColor)
    assert.lengthOf(body.icons, 3)
    ;(await client.get('/sw.js')).assertStatus(200)
    ;(await client.get('/icons/icon-512.png')).assertStatus(200)
  })

  test('a visitor may leave a phone number; it is stored in E.164, a bad one is refused', async ({
    client,
    assert,
  }) => {
    const { branch, services } = await createWorld()
    await client
      .post(`/b/${branch.slug}/tickets`)
      .form({ service_id: services[0].id, phone: '0812 3456 7890' })
      .withCsrfToken()
      .redirects(0)
    const ticket = await Ticket.query().where('branch_id', branch.id).firstOrFail()
    assert.equal(ticket.customerPhone, '+6281234567890')
    const bad = await client
      .post(`/b/${branch.slug}/tickets`)
      .json({ service_id: services[0].id, phone: '12' })
      .withCsrfToken()
      .accept('json')
    bad.assertStatus(422)
  })
})
