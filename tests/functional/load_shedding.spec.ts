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
})
