import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import Ticket from '#models/ticket'
import ApiKeys from '#services/platform/api_keys'
import { loadShedding } from '#support/load_shedding'
import metrics from '#support/metrics'
import { createWorld, PASSWORD } from '#tests/helpers/world'
import { HttpSession } from '#tests/helpers/http_session'

const apiKeys = await app.container.make(ApiKeys)

/** Runs `work` with the process's in-flight limit set to `limit`. */
async function withLimit<T>(limit: number, work: () => Promise<T>) {
  const before = loadShedding.limit
  loadShedding.limit = limit
  try {
    return await work()
  } finally {
    loadShedding.limit = before
  }
}

test.group('Load shedding', () => {
  test('past the limit, visitors and the API get 503 with Retry-After at once; staff, screens and health checks go on', async ({
    client,
    assert,
  }) => {
    const world = await createWorld({ services: 1 })
    const { plainKey } = await apiKeys.create(world.tenant, 'Shedding', { user: null })
    const visitor = new HttpSession()
    await visitor.get(`/b/${world.branch.slug}`)
    const staff = new HttpSession()
    await staff.login(world.operator.email, PASSWORD)

    const shedBefore = (await metrics.shed.get()).values[0]?.value ?? 0
    await withLimit(0, async () => {
      const take = await visitor.post(`/b/${world.branch.slug}/tickets`, {
        service_id: world.services[0].id,
      })
      assert.equal(take.status, 503)
      assert.equal(take.headers.get('retry-after'), '1')
      assert.include(await take.text(), 'Sedang sangat ramai')

      const api = await client
        .post('/api/v1/tickets')
        .bearerToken(plainKey)
        .json({ branch_id: world.branch.id, service_id: world.services[0].id })
      api.assertStatus(503)
      api.assertHeader('retry-after', '1')
      api.assertBodyContains({ error: { code: 'E_OVERLOADED' } })

      assert.equal((await staff.get('/app/counter')).status, 200)
      assert.equal((await visitor.get('/livez')).status, 200)
      const poll = await visitor.get(`/display/${world.display.token}/live?v=0`)
      assert.oneOf(poll.status, [200, 204])
    })
    assert.lengthOf(await Ticket.query().where('branch_id', world.branch.id), 0)
    assert.equal((await metrics.shed.get()).values[0].value, shedBefore + 2)
  })

  test('a burst against a low limit: the admitted requests take consecutive numbers, a refused one writes nothing', async ({
    assert,
  }) => {
    const world = await createWorld({ services: 1 })
    const visitor = new HttpSession()
    await visitor.get(`/b/${world.branch.slug}`)
    const statuses = await withLimit(4, () =>
      Promise.all(
        Array.from({ length: 40 }, () =>
          visitor
            .post(`/b/${world.branch.slug}/tickets`, { service_id: world.services[0].id })
            .then((response) => response.status)
        )
      )
    )
    assert.includeMembers([303, 503], [...new Set(statuses)])
    const taken = statuses.filter((status) => status === 303).length
    assert.isAbove(taken, 0)
    const tickets = await Ticket.query().where('branch_id', world.branch.id).orderBy('sequence')
    assert.lengthOf(tickets, taken)
    assert.deepEqual(
      tickets.map((ticket) => ticket.sequence),
      Array.from({ length: taken }, (_, index) => index + 1)
    )
    assert.equal(loadShedding.inFlight, 0, 'every request of the burst has left')
  })

  test("a crowd is refused before AdonisJS reads the request, with the same answer in the visitor's language", async ({
    assert,
  }) => {
    const world = await createWorld({ services: 1 })
    const { plainKey } = await apiKeys.create(world.tenant, 'Shedding', { user: null })
    const visitor = new HttpSession()
    await visitor.get(`/b/${world.branch.slug}?lang=en`)
    const staff = new HttpSession()
    await staff.login(world.operator.email, PASSWORD)
    const take = () =>
      visitor.post(`/b/${world.branch.slug}/tickets`, { service_id: world.services[0].id })
    loadShedding.overloadPages.clear()

    // A limit below zero: every request counts as one too many, even alone.
    await withLimit(-1, async () => {
      const shedBefore = (await metrics.shed.get()).values[0]?.value ?? 0
      // The first refusal in a language goes through AdonisJS (its middleware sets x-request-id),
      // whose exception handler draws the page; the next ones are answered before it, alike.
      const first = await take()
      assert.equal(first.status, 503)
      assert.isNotNull(first.headers.get('x-request-id'))
      const again = await take()
      assert.equal(again.status, 503)
      assert.isNull(again.headers.get('x-request-id'))
      assert.equal(again.headers.get('retry-after'), '1')
      assert.equal(again.headers.get('content-language'), 'en')
      assert.equal(
        again.headers.get('content-security-policy'),
        first.headers.get('content-security-policy')
      )
      const page = await again.text()
      assert.equal(page, await first.text())
      assert.include(page, 'Loket is very busy right now')

      // The API answers JSON in the language of Accept-Language (English unless asked), as it would.
      const api = await visitor.request('/api/v1/tickets', {
        method: 'POST',
        headers: {
          'authorization': `Bearer ${plainKey}`,
          'content-type': 'application/json',
          'accept-language': 'ms;q=0.5, id',
        },
        body: JSON.stringify({ branch_id: world.branch.id, service_id: world.services[0].id }),
      })
      assert.equal(api.status, 503)
      assert.isNull(api.headers.get('x-request-id'))
      assert.deepEqual(await api.json(), {
        error: { code: 'E_OVERLOADED', message: 'Sedang sangat ramai. Coba lagi sebentar lagi.' },
      })

      // An htmx request gets its toast from AdonisJS; staff, screens and health checks go on.
      const toast = await visitor.post(
        `/b/${world.branch.slug}/tickets`,
        { service_id: world.services[0].id },
        { 'hx-request': 'true' }
      )
      assert.equal(toast.status, 503)
      assert.isNotNull(toast.headers.get('x-request-id'))
      assert.equal((await metrics.shed.get()).values[0].value, shedBefore + 4)
      assert.equal((await staff.get('/app/counter')).status, 200)
      assert.equal((await visitor.get('/livez')).status, 200)
      const poll = await visitor.get(`/display/${world.display.token}/live?v=0`)
      assert.oneOf(poll.status, [200, 204])

      // Odd addresses are answered, and the server lives on.
      for (const path of [
        '/b/%E0%A4%A',
        '/t/%',
        '/api/v1/tickets/%ZZ',
        '//b//tickets',
        '/b/x?lang=%',
      ])
        assert.oneOf((await visitor.get(path)).status, [400, 404, 503], path)
      assert.equal((await visitor.get('/livez')).status, 200)
    })
    assert.lengthOf(await Ticket.query().where('branch_id', world.branch.id), 0)
  })
})
