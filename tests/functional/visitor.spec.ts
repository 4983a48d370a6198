import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import Ticket from '#models/ticket'
import QueueEngine from '#services/queue/queue_engine'
import liveVersion from '#support/live_version'
import { rateLimits, refill } from '#start/limiter'
import { createWorld } from '#tests/helpers/world'
import app from '@adonisjs/core/services/app'

const engine = await app.container.make(QueueEngine)

test.group('Visitor: the branch page', () => {
  test('lists the open services as buttons, in order, with how many wait', async ({
    client,
    assert,
  }) => {
    const { branch, services } = await createWorld({ services: 3 })
    services[2].isActive = false
    await services[2].save()
    await engine.take(branch, services[1], { channel: 'web' })

    const response = await client.get(`/b/${branch.slug}`)
    response.assertStatus(200)
    response.assertTextIncludes('Pilih layanan')
    response.assertTextIncludes(services[0].name)
    response.assertTextIncludes(services[1].name)
    response.assertTextIncludes('1 orang menunggu')
    assert.notInclude(response.text(), 'Layanan 3')
  })

  test('speaks English when the visitor picks it', async ({ client, assert }) => {
    const { branch } = await createWorld()
    const response = await client.get(`/b/${branch.slug}?lang=en`)
    response.assertTextIncludes('Choose a service')
    assert.include(String(response.header('set-cookie')), 'lang=en')
  })

  test('an unknown branch answers 404 with a page in Indonesian', async ({ client }) => {
    const response = await client.get('/b/no-such-branch')
    response.assertStatus(404)
    response.assertTextIncludes('Tidak ditemukan')
  })
})

test.group('Visitor: taking a number', () => {
  test('takes a number and lands on the ticket page', async ({ client, assert }) => {
    const { branch, services } = await createWorld()
    const response = await client
      .post(`/b/${branch.slug}/tickets`)
      .form({ service_id: services[0].id, request_id: randomUUID() })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(303)
    const ticket = await Ticket.query().where('branch_id', branch.id).firstOrFail()
    assert.equal(response.header('location'), `/t/${ticket.id}`)
    assert.equal(ticket.number, 'A001')
    assert.equal(ticket.channel, 'web')
  })

  test('a double tap with the same request id gives the same ticket', async ({
    client,
    assert,
  }) => {
    const { branch, services } = await createWorld()
    const form = { service_id: services[0].id, request_id: randomUUID() }
    const first = await client
      .post(`/b/${branch.slug}/tickets`)
      .form(form)
      .withCsrfToken()
      .redirects(0)
    const second = await client
      .post(`/b/${branch.slug}/tickets`)
      .form(form)
      .withCsrfToken()
      .redirects(0)
    assert.equal(first.header('location'), second.header('location'))
    assert.lengthOf(await Ticket.query().where('branch_id', branch.id), 1)
  })

  test('without a CSRF token nothing is taken', async ({ client, assert }) => {
    const { branch, services } = await createWorld()
    const response = await client
      .post(`/b/${branch.slug}/tickets`)
      .form({ service_id: services[0].id })
      .redirects(0)
    assert.oneOf(response.status(), [302, 403])
    assert.lengthOf(await Ticket.query().where('branch_id', branch.id), 0)
  })

  test('a missing service is a 422 with a message for JSON clients, a redirect back for forms', async ({
    client,
    assert,
  }) => {
    const { branch } = await createWorld()
    const json = await client
      .post(`/b/${branch.slug}/tickets`)
      .json({})
      .withCsrfToken()
      .accept('json')
    json.assertStatus(422)
    assert.equal(json.body().error.fields[0].field, 'service_id')
    assert.include(json.body().error.message, 'wajib diisi')

    const form = await client
      .post(`/b/${branch.slug}/tickets`)
      .form({})
      .withCsrfToken()
      .redirects(0)
    form.assertStatus(302)
    assert.lengthOf(await Ticket.query().where('branch_id', branch.id), 0)
  })

  test('a service of another branch answers 404', async ({ client, assert }) => {
    const one = await createWorld()
    const other = await createWorld()
    const response = await client
      .post(`/b/${one.branch.slug}/tickets`)
      .form({ service_id: other.services[0].id })
      .withCsrfToken()
    response.assertStatus(404)
    assert.lengthOf(await Ticket.query().whereIn('branch_id', [one.branch.id, other.branch.id]), 0)
  })

  test('an inactive service refuses politely with 409', async ({ client }) => {
    const { branch, services } = await createWorld()
    services[0].isActive = false
    await services[0].save()
    const response = await client
      .post(`/b/${branch.slug}/tickets`)
      .json({ service_id: services[0].id })
      .withCsrfToken()
      .accept('json')
    response.assertStatus(409)
    response.assertBodyContains({ error: { code: 'E_SERVICE_UNAVAILABLE' } })
  })

  test('taking numbers is rate limited per client', async ({ client, assert, cleanup }) => {
    const { branch, services } = await createWorld()
    const before = rateLimits.takePerMinute
    rateLimits.takePerMinute = 2
    cleanup(() => {
      rateLimits.takePerMinute = before
    })
    await refill('take', '127.0.0.1')
    const statuses = []
    for (let index = 0; index < 3; index++) {
      const response = await client
        .post(`/b/${branch.slug}/tickets`)
        .form({ service_id: services[0].id })
        .withCsrfToken()
        .redirects(0)
      statuses.push(response.status())
    }
    assert.deepEqual(statuses, [303, 303, 429])
    assert.lengthOf(await Ticket.query().where('branch_id', branch.id), 2)
  })
})

test.group('Visitor: the ticket page', () => {
  test('shows the number, the service and how many are ahead', async ({ client }) => {
    const { branch, services } = await createWorld()
    await engine.take(branch, services[0], { channel: 'web' })
    await engine.take(branch, services[0], { channel: 'web' })
    const mine = await engine.take(branch, services[0], { channel: 'web' })
    const response = await client.get(`/t/${mine.id}`)
    response.assertStatus(200)
    response.assertTextIncludes('A003')
    response.assertTextIncludes(services[0].name)
    response.assertTextIncludes('<span class="ahead">2</span>')
    response.assertTextIncludes('antrean lagi sebelum Anda')
  })

  test('says which counter to go to once called', async ({ client }) => {
    const { branch, services, counters, operator } = await createWorld()
    const ticket = await engine.take(branch, services[0], { channel: 'web' })
    await engine.callNext(branch, { counter: counters[0], by: operator })
    const response = await client.get(`/t/${ticket.id}`)
    response.assertTextIncludes('Nomor Anda dipanggil!')
    response.assertTextIncludes('Loket 1')
  })

  test('an unknown or malformed ticket id answers 404', async ({ client }) => {
    ;(await client.get(`/t/${randomUUID()}`)).assertStatus(404)
    ;(await client.get('/t/not-a-uuid')).assertStatus(404)
  })

  test('the poll answers 204 while nothing changed and the fragment once something did', async ({
    client,
    assert,
  }) => {
    const { branch, services, counters, operator } = await createWorld()
    const ticket = await engine.take(branch, services[0], { channel: 'web' })
    const version = await liveVersion.get(branch.id)

    const unchanged = await client.get(`/t/${ticket.id}/live?b=${branch.id}&v=${version}`)
    unchanged.assertStatus(204)
    assert.equal(unchanged.text(), '')

    await engine.callNext(branch, { counter: counters[0], by: operator })
    const changed = await client.get(`/t/${ticket.id}/live?b=${branch.id}&v=${version}`)
    changed.assertStatus(200)
    changed.assertTextIncludes('id="ticket-live"')
    changed.assertTextIncludes('Loket 1')
    assert.notInclude(changed.text(), '<html')
  })

  test('a finished ticket stops polling', async ({ client, assert }) => {
    const { branch, services, counters, operator } = await createWorld()
    const ticket = await engine.take(branch, services[0], { channel: 'web' })
    await engine.callNext(branch, { counter: counters[0], by: operator })
    await engine.complete(ticket, { counter: counters[0], by: operator })
    const response = await client.get(`/t/${ticket.id}`)
    response.assertTextIncludes('Selesai. Terima kasih!')
    assert.notInclude(response.text(), 'hx-trigger="every 3s"')
  })
})
