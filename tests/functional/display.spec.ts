import { test } from '@japa/runner'
import Device from '#models/device'
import QueueEngine from '#services/queue/queue_engine'
import liveVersion from '#support/live_version'
import { createWorld } from '#tests/helpers/world'
import { rateLimits } from '#start/limiter'
import app from '@adonisjs/core/services/app'

const engine = await app.container.make(QueueEngine)

test.group('TV display', () => {
  test('shows the numbers being called per counter and the last ones called', async ({
    client,
    assert,
  }) => {
    const { branch, services, counters, operator, operator2, display } = await createWorld()
    for (let index = 0; index < 3; index++)
      await engine.take(branch, services[0], { channel: 'web' })
    const first = (await engine.callNext(branch, { counter: counters[0], by: operator }))!
    await engine.complete(first, { counter: counters[0], by: operator })
    await engine.callNext(branch, { counter: counters[0], by: operator })
    await engine.callNext(branch, { counter: counters[1], by: operator2 })

    const response = await client.get(`/display/${display.token}`)
    response.assertStatus(200)
    const html = response.text()
    const nowCalling = html.slice(html.indexOf('Sedang dipanggil'), html.indexOf('Baru dipanggil'))
    assert.include(nowCalling, 'A002')
    assert.include(nowCalling, 'A003')
    assert.include(nowCalling, 'Loket 1')
    assert.include(nowCalling, 'Loket 2')
    assert.include(html.slice(html.indexOf('Baru dipanggil')), 'A001')
    response.assertTextIncludes('Klik untuk menyalakan suara')
  })

  test('announces each call in the tenant language, with the number read out', async ({
    client,
    assert,
  }) => {
    const { branch, services, counters, operator, display } = await createWorld()
    await engine.take(branch, services[0], { channel: 'web' })
    await engine.callNext(branch, { counter: counters[0], by: operator })
    const response = await client.get(`/display/${display.token}`)
    assert.include(response.text(), 'Nomor antrean, A 1, silakan ke Loket 1')
  })

  test('a recall is announced again as a new call event', async ({ client, assert }) => {
    const { branch, services, counters, operator, display } = await createWorld()
    await engine.take(branch, services[0], { channel: 'web' })
    const ticket = (await engine.callNext(branch, { counter: counters[0], by: operator }))!
    await engine.recall(ticket, { counter: counters[0], by: operator })
    const html = (await client.get(`/display/${display.token}`)).text()
    assert.equal(html.split('silakan ke Loket 1').length - 1, 2)
  })

  test('polls answer 204 while unchanged, the board once a number is called', async ({
    client,
    assert,
  }) => {
    const { branch, services, counters, operator, display } = await createWorld()
    await engine.take(branch, services[0], { channel: 'web' })
    const version = await liveVersion.get(branch.id)
    const unchanged = await client.get(`/display/${display.token}/live?v=${version}`)
    unchanged.assertStatus(204)

    await engine.callNext(branch, { counter: counters[0], by: operator })
    const changed = await client.get(`/display/${display.token}/live?v=${version}`)
    changed.assertStatus(200)
    changed.assertTextIncludes('id="board"')
    changed.assertTextIncludes('A001')
    assert.notInclude(changed.text(), '<html')
    assert.include(changed.text(), `v=${await liveVersion.get(branch.id)}`)
  })

  test('polling is rate limited per client', async ({ client, assert, cleanup }) => {
    const { display } = await createWorld()
    const before = rateLimits.pollPerMinute
    rateLimits.pollPerMinute = 2
    cleanup(() => {
      rateLimits.pollPerMinute = before
    })
    const statuses = []
    for (let index = 0; index < 3; index++) {
      statuses.push((await client.get(`/display/${display.token}/live?v=1`)).status())
    }
    assert.deepEqual(statuses, [200, 200, 429])
  })

  test('an unknown device token answers 404', async ({ client }) => {
    ;(await client.get('/display/not-a-device')).assertStatus(404)
    ;(await client.get('/display/not-a-device/live?v=1')).assertStatus(404)
  })

  test('opening the display records when the device was last seen', async ({ client, assert }) => {
    const { display } = await createWorld()
    await client.get(`/display/${display.token}`)
    const device = await Device.findOrFail(display.id)
    assert.isNotNull(device.lastSeenAt)
  })

  test('the board speaks the tenant language (English tenant)', async ({ client, assert }) => {
    const { branch, services, counters, operator, display } = await createWorld({ locale: 'en' })
    await engine.take(branch, services[0], { channel: 'web' })
    await engine.callNext(branch, { counter: counters[0], by: operator })
    const html = (await client.get(`/display/${display.token}`)).text()
    assert.include(html, 'Number A 1, please go to Loket 1')
    assert.include(html, 'data-speech-lang="en-US"')
  })
})
