import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import Branch from '#models/branch'
import Resource from '#models/resource'
import ResourceSchedule from '#models/resource_schedule'
import Service from '#models/service'
import AuditLog from '#models/audit_log'
import BookingService from '#services/bookings/booking_service'
import branchDirectory from '#services/platform/branch_directory'
import { createWorld } from '#tests/helpers/world'
import { createBookingWorld, tomorrow } from '#tests/helpers/bookings'
import app from '@adonisjs/core/services/app'

const bookings = await app.container.make(BookingService)
type BookingWorld = Awaited<ReturnType<typeof createBookingWorld>>

/** The weekly schedule form: `open` weekdays ticked, every row with its times. */
function week(open: number[], opensAt = '09:00', closesAt = '17:00') {
  return Object.fromEntries(
    [1, 2, 3, 4, 5, 6, 0].flatMap((weekday, index) => [
      [`days[${index}][weekday]`, weekday],
      ...(open.includes(weekday) ? [[`days[${index}][open]`, '1']] : []),
      [`days[${index}][opens_at]`, opensAt],
      [`days[${index}][closes_at]`, closesAt],
    ])
  )
}

const ALL_WEEK = [0, 1, 2, 3, 4, 5, 6]

/** The world's admin switches `resource` off or on (the list's toggle button); it is reloaded. */
async function toggleResource(
  client: ApiClient,
  world: Pick<BookingWorld, 'admin'>,
  resource: Resource
) {
  await client
    .post(`/admin/resources/${resource.id}/toggle`)
    .withCsrfToken()
    .loginAs(world.admin)
    .redirects(0)
  await resource.refresh()
}

test.group('Admin: resources', () => {
  test('an admin creates a booth with its services and weekly schedule, placed last, audited', async ({
    client,
    assert,
  }) => {
    const { admin, branch, services } = await createWorld({ services: 3 })
    const response = await client
      .post('/admin/resources')
      .form({
        'kind': 'booth',
        'name': 'Booth Selfie',
        'service_ids[]': [services[0].id, services[2].id],
        'is_active': '1',
        ...week([1, 2, 3, 4, 5], '10:00', '21:00'),
      })
      .withCsrfToken()
      .loginAs(admin)
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/admin/resources')

    const resource = await Resource.query()
      .where('branch_id', branch.id)
      .where('name', 'Booth Selfie')
      .preload('services')
      .preload('schedules')
      .firstOrFail()
    assert.equal(resource.kind, 'booth')
    assert.isTrue(resource.isActive)
    assert.equal(resource.position, 1)
    assert.sameMembers(
      resource.services.map((service) => service.id),
      [services[0].id, services[2].id]
    )
    assert.deepEqual(
      resource.schedules
        .sort((a, b) => a.weekday - b.weekday)
        .map((day) => [day.weekday, day.opensAt, day.closesAt]),
      [1, 2, 3, 4, 5].map((weekday) => [weekday, '10:00', '21:00'])
    )
    const audit = await AuditLog.query()
      .where('action', 'resource.created')
      .where('subject_id', String(resource.id))
      .firstOrFail()
    assert.equal(audit.userId, admin.id)
    assert.equal(audit.branchId, branch.id)
    assert.deepInclude(audit.changes as object, {
      name: 'Booth Selfie',
      services: [services[0].id, services[2].id],
    })

    const list = await client.get('/admin/resources').loginAs(admin)
    list.assertStatus(200)
    list.assertTextIncludes('Booth Selfie')
    list.assertTextIncludes('Sen 10:00–21:00')
    assert.notInclude(list.text(), 'Min 10:00')
  })

  test('the new-resource form lists the branch services, bookable ones ticked, and every weekday', async ({
    client,
    assert,
  }) => {
    const { admin, services } = await createWorld({ services: 2 })
    services[1].isBookable = true
    await services[1].save()
    const page = await client.get('/admin/resources/create').loginAs(admin)
    page.assertStatus(200)
    const html = page.text()
    assert.match(html, new RegExp(`value="${services[1].id}" checked`))
    assert.notMatch(html, new RegExp(`value="${services[0].id}" checked`))
    for (const day of ['Senin', 'Selasa', 'Minggu']) assert.include(html, day)
    assert.include(html, 'Dokter')
  })

  test('editing changes the name, services and days; the audit keeps only what changed', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({ services: 2, resources: 1 })
    const resource = world.resources[0]
    const edit = await client.get(`/admin/resources/${resource.id}/edit`).loginAs(world.admin)
    edit.assertStatus(200)
    edit.assertTextIncludes('value="Booth 1"')

    const response = await client
      .put(`/admin/resources/${resource.id}`)
      .form({
        'kind': 'room',
        'name': 'Studio A',
        'service_ids[]': [world.services[1].id],
        'is_active': '1',
        ...week([6, 0], '08:00', '17:00'),
      })
      .withCsrfToken()
      .loginAs(world.admin)
      .redirects(0)
    response.assertStatus(302)

    await resource.refresh()
    await resource.load('services')
    assert.equal(resource.name, 'Studio A')
    assert.equal(resource.kind, 'room')
    assert.deepEqual(
      resource.services.map((service) => service.id),
      [world.services[1].id]
    )
    const days = await ResourceSchedule.query().where('resource_id', resource.id).orderBy('weekday')
    assert.deepEqual(
      days.map((day) => day.weekday),
      [0, 6]
    )

    const audit = await AuditLog.query()
      .where('action', 'resource.updated')
      .where('subject_id', String(resource.id))
      .firstOrFail()
    const changes = audit.changes as Record<string, [unknown, unknown]>
    assert.deepEqual(changes.name, ['Booth 1', 'Studio A'])
    assert.deepEqual(changes.services, [[world.service.id], [world.services[1].id]])
    assert.deepEqual(changes.schedule[1], ['0:08:00-17:00', '6:08:00-17:00'])
    assert.notProperty(changes, 'isActive')
  })

  test('deactivating takes a resource out of booking; activating brings it back; both audited', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({ resources: 1 })
    const resource = world.resources[0]
    await toggleResource(client, world, resource)
    assert.isFalse(resource.isActive)
    branchDirectory.forget({ branchId: world.branch.id })
    assert.lengthOf(await bookings.availability(world.entry, world.service, tomorrow()), 0)

    await toggleResource(client, world, resource)
    assert.isTrue(resource.isActive)
    assert.isAbove((await bookings.availability(world.entry, world.service, tomorrow())).length, 0)
    const actions = (
      await AuditLog.query()
        .where('subject_type', 'resource')
        .where('subject_id', String(resource.id))
        .orderBy('id')
    ).map((row) => row.action)
    assert.deepEqual(actions, ['resource.deactivated', 'resource.activated'])
  })

  test('the schedule decides the bookable times: a closed weekday offers none', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({ resources: 1 })
    const day = tomorrow()
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay()
    const open = ALL_WEEK.filter((candidate) => candidate !== weekday)
    await client
      .put(`/admin/resources/${world.resources[0].id}`)
      .form({
        'kind': 'booth',
        'name': 'Booth 1',
        'service_ids[]': [world.service.id],
        'is_active': '1',
        ...week(open, '13:00', '15:00'),
      })
      .withCsrfToken()
      .loginAs(world.admin)
    assert.lengthOf(await bookings.availability(world.entry, world.service, day), 0)
    const next = new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
    assert.deepEqual(
      (await bookings.availability(world.entry, world.service, next)).map((time) => time.time),
      ['13:00', '13:30', '14:00', '14:30']
    )
  })

  test('a name already used in the branch, closing before opening, or a service of another branch is refused', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({ resources: 1 })
    const other = await createWorld()
    const duplicate = await client
      .post('/admin/resources')
      .form({ kind: 'booth', name: 'Booth 1', ...week([1]) })
      .withCsrfToken()
      .loginAs(world.admin)
      .header('referer', '/admin/resources/create')
      .redirects(0)
    duplicate.assertStatus(302)
    duplicate.assertFlashMessage('inputErrorsBag', { name: ['Nama sudah dipakai'] })

    const backwards = await client
      .post('/admin/resources')
      .form({ kind: 'booth', name: 'Booth 2', ...week([1], '17:00', '09:00') })
      .withCsrfToken()
      .loginAs(world.admin)
      .header('referer', '/admin/resources/create')
      .redirects(0)
    backwards.assertFlashMessage(
      'error',
      'Jam buka harus sebelum jam tutup, untuk setiap hari yang buka.'
    )

    const foreign = await client
      .post('/admin/resources')
      .json({ kind: 'booth', name: 'Booth 3', service_ids: [other.services[0].id] })
      .withCsrfToken()
      .loginAs(world.admin)
      .accept('json')
    foreign.assertStatus(422)
    foreign.assertBodyContains({ error: { code: 'E_UNKNOWN_SERVICE' } })

    const twice = await client
      .post('/admin/resources')
      .json({
        kind: 'booth',
        name: 'Booth 4',
        days: [
          { weekday: 1, open: true, opens_at: '09:00', closes_at: '12:00' },
          { weekday: 1, open: true, opens_at: '13:00', closes_at: '17:00' },
        ],
      })
      .withCsrfToken()
      .loginAs(world.admin)
      .accept('json')
    twice.assertStatus(422)
    assert.lengthOf(await Resource.query().where('branch_id', world.branch.id), 1)
  })

  test('a branch-limited admin manages only their branch; another tenant answers 404; an operator gets 403', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({ resources: 1 })
    const elsewhere = await Branch.create({
      tenantId: world.tenant.id,
      name: 'Cabang Dua',
      slug: `dua-${world.key}`,
      timezone: 'Asia/Jakarta',
    })
    const limited = world.admin
    limited.branchId = elsewhere.id
    await limited.save()

    ;(
      await client.get(`/admin/resources/${world.resources[0].id}/edit`).loginAs(limited)
    ).assertStatus(403)
    const toggle = await client
      .post(`/admin/resources/${world.resources[0].id}/toggle`)
      .withCsrfToken()
      .loginAs(limited)
    toggle.assertStatus(403)
    await world.resources[0].refresh()
    assert.isTrue(world.resources[0].isActive)
    const own = await client.get('/admin/resources').loginAs(limited)
    assert.notInclude(own.text(), 'Booth 1')

    const stranger = await createWorld()
    ;(
      await client.get(`/admin/resources/${world.resources[0].id}/edit`).loginAs(stranger.admin)
    ).assertStatus(404)
    ;(await client.get('/admin/resources').loginAs(world.operator)).assertStatus(403)
  })
})

test.group('Admin: the booking section of a service', () => {
  test('a service becomes bookable with a length, a price typed in rupiah and prepayment; the list shows Rp 25.000', async ({
    client,
    assert,
  }) => {
    const { admin, services } = await createWorld()
    const service = services[0]
    const response = await client
      .put(`/admin/services/${service.id}`)
      .form({
        code: 'A',
        name: 'Foto Wisuda',
        is_active: '1',
        is_bookable: '1',
        duration_minutes: '60',
        price: '25.000',
        requires_prepayment: '1',
      })
      .withCsrfToken()
      .loginAs(admin)
      .redirects(0)
    response.assertStatus(302)
    await service.refresh()
    assert.isTrue(service.isBookable)
    assert.equal(service.durationMinutes, 60)
    assert.equal(service.price, 2_500_000)
    assert.isTrue(service.requiresPrepayment)
    const audit = await AuditLog.query()
      .where('action', 'service.updated')
      .where('subject_id', String(service.id))
      .firstOrFail()
    assert.deepEqual((audit.changes as any).price, [0, 2_500_000])

    const list = await client.get('/admin/services').loginAs(admin)
    assert.include(list.text().replace(/\u00a0/g, ' '), 'Rp 25.000')
    const form = await client.get(`/admin/services/${service.id}/edit`).loginAs(admin)
    assert.include(form.text(), 'value="25000"')
    assert.include(form.text().replace(/\u00a0/g, ' '), 'Sekarang Rp 25.000.')
  })

  test('a ringgit price keeps its sen, an unchecked box turns booking off, and nonsense is refused', async ({
    client,
    assert,
  }) => {
    const { admin, tenant, services } = await createWorld({ locale: 'ms' })
    tenant.currency = 'MYR'
    await tenant.save()
    const service = services[0]
    await client
      .put(`/admin/services/${service.id}`)
      .form({ code: 'A', name: 'Potong rambut', is_bookable: '1', price: '25.50' })
      .withCsrfToken()
      .loginAs(admin)
    await service.refresh()
    assert.equal(service.price, 2550)
    const form = await client.get(`/admin/services/${service.id}/edit`).loginAs(admin)
    assert.include(form.text(), 'value="25.50"')
    assert.include(form.text().replace(/\u00a0/g, ' '), 'RM 25.50')

    await client
      .put(`/admin/services/${service.id}`)
      .form({ code: 'A', name: 'Potong rambut', price: '25.50' })
      .withCsrfToken()
      .loginAs(admin)
    await service.refresh()
    assert.isFalse(service.isBookable)

    const wrong = await client
      .put(`/admin/services/${service.id}`)
      .json({ code: 'A', name: 'Potong rambut', price: '25,5,0' })
      .withCsrfToken()
      .loginAs(admin)
      .accept('json')
    wrong.assertStatus(422)
    assert.equal(wrong.body().error.fields[0].field, 'price')
    assert.equal((await Service.findOrFail(service.id)).price, 2550)
  })
})
