import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { spawn } from 'node:child_process'
import { networkInterfaces } from 'node:os'
import app from '@adonisjs/core/services/app'
import { appUrl } from '#config/app'
import Notification from '#models/notification'
import Ticket from '#models/ticket'
import { lanAddress } from '#support/app_url'
import { qrSvg } from '#support/urls'
import { createWorld } from '#tests/helpers/world'
import { messageVisitors, outboxSettled } from '#tests/helpers/outbox'
import { eventually } from '#tests/helpers/wait'
import { freePort } from '#tests/helpers/ports'

/** The address a phone on the shop's Wi-Fi used to reach Loket. */
const WIFI_HOST = '192.168.1.20:3333'

test.group('Links: pages use the address their browser used', () => {
  test("the TV's take-a-number QR code holds the address the TV reached Loket at", async ({
    client,
    assert,
  }) => {
    const { branch, display } = await createWorld()
    const response = await client.get(`/display/${display.token}`).header('host', WIFI_HOST)
    response.assertStatus(200)
    assert.include(response.text(), await qrSvg(`http://${WIFI_HOST}/b/${branch.slug}`))
    assert.notInclude(response.text(), await qrSvg(`${appUrl}/b/${branch.slug}`))
  })

  test('the dashboard share link follows the browser; X-Forwarded-* only from a trusted proxy', async ({
    client,
    assert,
  }) => {
    const { branch, owner } = await createWorld()
    const page = await client.get('/admin').header('host', WIFI_HOST).loginAs(owner)
    page.assertStatus(200)
    assert.include(page.text(), `http://${WIFI_HOST}/b/${branch.slug}`)

    // No proxy is trusted in the tests: a forwarded host and protocol are not believed.
    const forwarded = await client
      .get('/admin')
      .header('host', WIFI_HOST)
      .header('x-forwarded-host', 'evil.example')
      .header('x-forwarded-proto', 'https')
      .loginAs(owner)
    assert.include(forwarded.text(), `http://${WIFI_HOST}/b/${branch.slug}`)
    assert.notInclude(forwarded.text(), 'evil.example')
  })

  test('the printed QR poster keeps the public address whatever the Host says', async ({
    client,
    assert,
  }) => {
    const { branch, owner } = await createWorld()
    const poster = await client.get('/admin/qr').header('host', 'evil.example').loginAs(owner)
    poster.assertStatus(200)
    assert.include(poster.text(), `${appUrl}/b/${branch.slug}`)
    assert.notInclude(poster.text(), 'evil.example')
  })

  test('the dashboard warns when links that leave Loket point at localhost', async ({
    client,
    assert,
  }) => {
    const { owner } = await createWorld()
    // The tests' APP_URL is http://127.0.0.1:<port>: only this machine can open it.
    const page = await client.get('/admin').loginAs(owner)
    page.assertStatus(200)
    const html = page.text()
    assert.include(html, 'data-testid="links-local-warning"')
    assert.include(html, 'Tautan hanya mengarah ke komputer ini')
    assert.include(html, `mengarah ke ${appUrl}, yang tidak bisa dibuka di ponsel atau TV`)
    assert.include(html, 'APP_URL')

    owner.locale = 'en'
    await owner.save()
    const inEnglish = await client.get('/admin').loginAs(owner)
    assert.include(inEnglish.text(), 'Links point at this computer only')
  })
})

test.group('Links: messages leave the request', () => {
  test('a message queued while taking a number links to APP_URL, not to the Host sent', async ({
    client,
    assert,
  }) => {
    const world = await createWorld()
    await messageVisitors(world)
    const response = await client
      .post(`/b/${world.branch.slug}/tickets`)
      .header('host', 'evil.example')
      .form({ service_id: world.services[0].id, request_id: randomUUID(), phone: '081234567890' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(303)
    const ticket = await Ticket.query().where('branch_id', world.branch.id).firstOrFail()
    await outboxSettled(world.tenant.id)
    const message = await Notification.query()
      .where('tenant_id', world.tenant.id)
      .where('event', 'ticket_created')
      .firstOrFail()
    assert.include(message.body, `${appUrl}/t/${ticket.id}`)
    assert.notInclude(message.body, 'evil.example')
  })
})

test.group('Links: npm start', () => {
  test('the server started by npm start prints its addresses, the demo accounts and how to stop', async ({
    assert,
  }) => {
    const port = await freePort('0.0.0.0')
    // As `npm start` runs it on the first run (bin/start.js), listening on every interface.
    const server = spawn(
      process.execPath,
      ['--import=ts-node-maintained/register/esm', 'bin/server.ts', '--banner=demo'],
      {
        cwd: app.makePath(),
        env: {
          ...process.env,
          NODE_ENV: 'test',
          PORT: String(port),
          HOST: '0.0.0.0',
          SCHEDULER_ENABLED: 'false',
          WORKERS_ENABLED: 'false',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      }
    )
    let output = ''
    server.stdout!.on('data', (chunk) => (output += chunk))
    server.stderr!.on('data', (chunk) => (output += chunk))
    const exited = new Promise((resolve) => server.once('exit', resolve))
    try {
      const printed = await eventually(
        () => output.includes('Ctrl+C to stop.') || server.exitCode !== null,
        25_000
      )
      assert.isTrue(printed, output)
      const lan = lanAddress(networkInterfaces())
      assert.match(output, new RegExp(`on this computer\\s+http://localhost:${port}\\n`))
      if (lan) assert.match(output, new RegExp(`on the network\\s+http://${lan}:${port}\\n`))
      // The tests' .env.test sets APP_URL: the demo's links use it, as messages do.
      assert.include(output, `Links in messages and QR codes use APP_URL: ${appUrl}`)
      const links = appUrl
      assert.include(output, `${links}/b/sehat-sentosa`)
      assert.include(output, `${links}/display/demo-tv`)
      assert.include(output, `${links}/kiosk/demo-kiosk`)
      assert.include(output, `${links}/app/counter`)
      assert.include(output, `${links}/admin`)
      assert.include(output, `${links}/platform/tenants`)
      assert.include(output, 'password loket-demo')
      for (const email of [
        'owner@sehat.test',
        'supervisor@sehat.test',
        'operator1@sehat.test',
        'operator2@sehat.test',
        'owner@fotobox.test',
        'operator@fotobox.test',
        'platform@loket.test',
      ]) {
        assert.include(output, email)
      }
    } finally {
      server.kill('SIGTERM')
      await exited
    }
  }).timeout(40_000)
})
