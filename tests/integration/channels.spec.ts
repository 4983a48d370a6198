import { test } from '@japa/runner'
import type { Group } from '@japa/runner/core'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { DateTime } from 'luxon'
import env from '#start/env'
import Contact from '#models/contact'
import OptOut from '#models/opt_out'
import MessagingChannel from '#models/messaging_channel'
import Tenant from '#models/tenant'
import { DeliveryError } from '#services/messaging/outbox'
import { driverFor } from '#channels/registry'
import WhatsappChannel, { type WhatsappSettings } from '#channels/whatsapp_channel'
import SmsChannel, { type SmsSettings } from '#channels/sms_channel'
import EmailChannel, { type EmailSettings } from '#channels/email_channel'
import type { OutgoingMessage } from '#channels/channel'
import { FakeWhatsappGraph } from '#tests/fakes/whatsapp_graph'
import { FakeSmsGateway } from '#tests/fakes/sms_gateway'
import { FakeSmtpServer } from '#tests/fakes/smtp_server'
import { whatsappThrough } from '#tests/helpers/outbox'
import { randomUUID } from 'node:crypto'
import OptOuts from '#services/messaging/opt_outs'
import app from '@adonisjs/core/services/app'

const optOuts = await app.container.make(OptOuts)

async function tenant() {
  const key = randomUUID().slice(0, 8)
  return Tenant.create({
    name: `Klinik ${key}`,
    slug: `t-${key}`,
    locale: 'id',
    brandColor: '#0f766e',
    isActive: true,
  })
}

/** A tenant of its own whose contact `phone` last wrote `hoursAgo` hours ago (the WhatsApp window). */
async function tenantWrittenBy(phone: string, hoursAgo: number) {
  const { id: tenantId } = await tenant()
  await Contact.create({
    tenantId,
    phone,
    lastInboundAt: DateTime.utc().minus({ hours: hoursAgo }),
  })
  return tenantId
}

/** Runs `fake` while the group's tests run, and gives each test a clean one. */
function serveDuring(group: Group, fake: FakeSmsGateway | FakeSmtpServer) {
  group.setup(async () => {
    await fake.start()
    return () => fake.stop()
  })
  group.each.setup(() => fake.reset())
}

function message(
  tenantId: number,
  recipient: string,
  overrides: Partial<OutgoingMessage> = {}
): OutgoingMessage {
  return {
    id: 41,
    tenantId,
    event: 'ticket_called',
    recipient,
    locale: 'id',
    subject: 'Nomor A012 dipanggil',
    body: 'Nomor A012 dipanggil. Silakan menuju Loket 3, Cabang Utama.',
    whatsappTemplate: {
      name: 'loket_ticket_called',
      language: 'id',
      parameters: ['A012', 'Loket 3', 'Cabang Utama'],
    },
    ...overrides,
  }
}

/** The DeliveryError a send failed with (the test fails if it went through or threw something else). */
async function failureOf(sending: Promise<unknown>) {
  try {
    await sending
  } catch (error) {
    if (error instanceof DeliveryError) return error
    throw error
  }
  throw new Error('The send went through, a DeliveryError was expected')
}

/** A local port nothing listens on. */
async function closedPort() {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

const WHATSAPP: WhatsappSettings = {
  phone_number_id: '106540352242922',
  access_token: 'EAAG-test-token',
  app_secret: 'test_app_secret',
  verify_token: 'verify-me-123',
}

test.group('WhatsApp channel', (group) => {
  const graph = new FakeWhatsappGraph()

  group.setup(async () => {
    await graph.start()
    const restoreGraph = whatsappThrough(graph)
    return async () => {
      restoreGraph()
      await graph.stop()
    }
  })
  group.each.setup(() => {
    graph.reset()
    graph.accessToken = WHATSAPP.access_token
    graph.phoneNumberId = WHATSAPP.phone_number_id
  })

  test('inside the 24-hour window the message goes as free text, to the number without +', async ({
    assert,
  }) => {
    const tenantId = await tenantWrittenBy('+6281234567890', 3)
    const result = await new WhatsappChannel(WHATSAPP).send(message(tenantId, '+6281234567890'))

    assert.lengthOf(graph.accepted, 1)
    assert.equal(result.providerMessageId, graph.accepted[0].id)
    assert.match(result.providerMessageId!, /^wamid\./)
    assert.equal(graph.requests[0].path, `/v21.0/${WHATSAPP.phone_number_id}/messages`)
    assert.equal(graph.requests[0].headers.authorization, `Bearer ${WHATSAPP.access_token}`)
    assert.deepEqual(graph.accepted[0].payload, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '6281234567890',
      type: 'text',
      text: {
        preview_url: false,
        body: 'Nomor A012 dipanggil. Silakan menuju Loket 3, Cabang Utama.',
      },
    })
  })

  test('outside the window the approved template goes, with its body parameters in order', async ({
    assert,
  }) => {
    const tenantId = await tenantWrittenBy('+6281234567890', 25)
    graph.templates = new Map([['loket_ticket_called', 3]])
    await new WhatsappChannel(WHATSAPP).send(message(tenantId, '+6281234567890'))

    assert.deepEqual(graph.accepted[0].payload, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '6281234567890',
      type: 'template',
      template: {
        name: 'loket_ticket_called',
        language: { code: 'id' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'A012' },
              { type: 'text', text: 'Loket 3' },
              { type: 'text', text: 'Cabang Utama' },
            ],
          },
        ],
      },
    })
  })

  test("another tenant's contact does not open the window", async ({ assert }) => {
    const one = await tenant()
    const other = await tenant()
    await Contact.create({
      tenantId: other.id,
      phone: '+6281234567890',
      lastInboundAt: DateTime.utc(),
    })
    await new WhatsappChannel(WHATSAPP).send(message(one.id, '+6281234567890'))
    assert.equal(graph.accepted[0].payload.type, 'template')
  })

  test('a text refused with 131047 goes again at once as the template, in the same attempt', async ({
    assert,
  }) => {
    const tenantId = await tenantWrittenBy('+6281234567890', 23)
    graph.openWindows = new Set()
    const result = await new WhatsappChannel(WHATSAPP).send(message(tenantId, '+6281234567890'))

    assert.lengthOf(graph.requests, 2)
    assert.equal(JSON.parse(graph.requests[0].raw).type, 'text')
    assert.lengthOf(graph.accepted, 1)
    assert.equal(graph.accepted[0].payload.type, 'template')
    assert.equal(result.providerMessageId, graph.accepted[0].id)
  })

  test('rate limits and Meta trouble are retryable, with the provider code', async ({ assert }) => {
    const { id: tenantId } = await tenant()
    const driver = new WhatsappChannel(WHATSAPP)
    const cases = [
      { status: 429, code: 130429 },
      { status: 400, code: 130429 },
      { status: 400, code: 131056 },
      { status: 400, code: 4 },
      { status: 400, code: 80007 },
      { status: 500, code: 2 },
      { status: 503, code: 131016 },
      { status: 401, code: 190 },
    ]
    for (const failure of cases) {
      graph.failNext(1, failure)
      const error = await failureOf(driver.send(message(tenantId, '+6281234567890')))
      assert.isTrue(error.retryable, `code ${failure.code}`)
      assert.equal(error.code, String(failure.code))
    }
    assert.lengthOf(graph.accepted, 0)
  })

  test('undeliverable, unsupported, invalid and template errors are final', async ({ assert }) => {
    const { id: tenantId } = await tenant()
    const driver = new WhatsappChannel(WHATSAPP)
    for (const code of [131026, 131051, 100, 132000, 132001]) {
      graph.failNext(1, { status: 400, code })
      const error = await failureOf(driver.send(message(tenantId, '+6281234567890')))
      assert.isFalse(error.retryable, `code ${code}`)
      assert.equal(error.code, String(code))
    }
  })

  test("a template the fake does not know is refused by Meta's own check as final", async ({
    assert,
  }) => {
    const { id: tenantId } = await tenant()
    graph.templates = new Map([['loket_ticket_called', 2]])
    const error = await failureOf(
      new WhatsappChannel(WHATSAPP).send(message(tenantId, '+6281234567890'))
    )
    assert.equal(error.code, '132000')
    assert.isFalse(error.retryable)
  })

  test('a wrong token is answered 190 and stays retryable, so an admin can paste a new one', async ({
    assert,
  }) => {
    const { id: tenantId } = await tenant()
    const error = await failureOf(
      new WhatsappChannel({ ...WHATSAPP, access_token: 'expired' }).send(
        message(tenantId, '+6281234567890')
      )
    )
    assert.equal(error.code, '190')
    assert.isTrue(error.retryable)
  })

  test('an unreachable Graph API is a retryable network failure', async ({ assert }) => {
    const { id: tenantId } = await tenant()
    env.set('WHATSAPP_GRAPH_URL', `http://127.0.0.1:${await closedPort()}/v21.0`)
    try {
      const error = await failureOf(
        new WhatsappChannel(WHATSAPP).send(message(tenantId, '+6281234567890'))
      )
      assert.isTrue(error.retryable)
      assert.equal(error.code, 'network')
    } finally {
      env.set('WHATSAPP_GRAPH_URL', `${graph.url}/v21.0`)
    }
  })

  test('an email address is not a WhatsApp recipient: final, and nothing is sent', async ({
    assert,
  }) => {
    const { id: tenantId } = await tenant()
    const error = await failureOf(
      new WhatsappChannel(WHATSAPP).send(message(tenantId, 'siti@example.com'))
    )
    assert.isFalse(error.retryable)
    assert.lengthOf(graph.requests, 0)
  })

  test('the registry builds the driver from the tenant channel, and refuses a channel switched off', async ({
    assert,
  }) => {
    const { id: tenantId } = await tenant()
    const channel = await MessagingChannel.create({
      tenantId,
      kind: 'whatsapp',
      isActive: true,
      settings: WHATSAPP,
    })
    const driver = await driverFor(tenantId, 'whatsapp', { optOuts })
    assert.instanceOf(driver, WhatsappChannel)
    await driver.send(message(tenantId, '+6281234567890'))
    assert.lengthOf(graph.accepted, 1)

    channel.isActive = false
    await channel.save()
    const error = await failureOf(driverFor(tenantId, 'whatsapp', { optOuts }))
    assert.equal(error.code, 'channel_off')
    assert.isFalse(error.retryable)
  })
})

test.group('SMS channel (Twilio Messages API)', (group) => {
  const gateway = new FakeSmsGateway()
  const settings = (): SmsSettings => ({
    base_url: gateway.url,
    account_sid: gateway.accountSid,
    auth_token: gateway.authToken,
    from: '+15005550006',
  })

  serveDuring(group, gateway)

  test('a message goes form-encoded with Basic auth and its sid is returned', async ({
    assert,
  }) => {
    const { id: tenantId } = await tenant()
    const result = await new SmsChannel(settings(), optOuts).send(
      message(tenantId, '+6281234567890')
    )

    assert.lengthOf(gateway.accepted, 1)
    assert.match(result.providerMessageId!, /^SM[0-9a-f]{32}$/)
    assert.equal(result.providerMessageId, gateway.accepted[0].sid)
    const request = gateway.requests[0]
    assert.equal(request.path, `/2010-04-01/Accounts/${gateway.accountSid}/Messages.json`)
    assert.equal(
      request.headers.authorization,
      `Basic ${Buffer.from(`${gateway.accountSid}:${gateway.authToken}`).toString('base64')}`
    )
    assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded')
    assert.deepEqual(Object.fromEntries(new URLSearchParams(request.raw)), {
      To: '+6281234567890',
      From: '+15005550006',
      Body: 'Nomor A012 dipanggil. Silakan menuju Loket 3, Cabang Utama.',
    })
  })

  test('rate limits, gateway trouble and a wrong token are retryable', async ({ assert }) => {
    const { id: tenantId } = await tenant()
    const driver = new SmsChannel(settings(), optOuts)
    for (const failure of [
      { status: 429, code: 20429, message: 'Too Many Requests' },
      { status: 500, code: 20500, message: 'Internal Server Error' },
      { status: 503, code: 20503, message: 'Service Unavailable' },
    ]) {
      gateway.failNext(1, failure)
      const error = await failureOf(driver.send(message(tenantId, '+6281234567890')))
      assert.isTrue(error.retryable, `code ${failure.code}`)
      assert.equal(error.code, String(failure.code))
    }
    const wrongToken = await failureOf(
      new SmsChannel({ ...settings(), auth_token: 'wrong' }, optOuts).send(
        message(tenantId, '+6281234567890')
      )
    )
    assert.equal(wrongToken.code, '20003')
    assert.isTrue(wrongToken.retryable)
  })

  test('an invalid number, a landline and a region not enabled are final', async ({ assert }) => {
    const { id: tenantId } = await tenant()
    const driver = new SmsChannel(settings(), optOuts)
    for (const code of [21211, 21614, 21408]) {
      gateway.failNext(1, { status: 400, code })
      const error = await failureOf(driver.send(message(tenantId, '+6281234567890')))
      assert.isFalse(error.retryable, `code ${code}`)
      assert.equal(error.code, String(code))
    }
    assert.equal((await OptOut.query().where('tenant_id', tenantId)).length, 0)
  })

  test('a recipient who replied STOP (21610) is final and recorded as opted out by the provider', async ({
    assert,
  }) => {
    const { id: tenantId } = await tenant()
    gateway.unsubscribed.add('+6281234567890')
    const error = await failureOf(
      new SmsChannel(settings(), optOuts).send(message(tenantId, '+6281234567890'))
    )
    assert.equal(error.code, '21610')
    assert.isFalse(error.retryable)

    const optOut = await OptOut.query().where('tenant_id', tenantId).firstOrFail()
    assert.deepInclude(optOut.$attributes, {
      channel: 'sms',
      recipient: '+6281234567890',
      source: 'provider',
    })

    await failureOf(new SmsChannel(settings(), optOuts).send(message(tenantId, '+6281234567890')))
    assert.equal((await OptOut.query().where('tenant_id', tenantId)).length, 1)
  })

  test('an unreachable gateway is a retryable network failure', async ({ assert }) => {
    const { id: tenantId } = await tenant()
    const error = await failureOf(
      new SmsChannel(
        { ...settings(), base_url: `http://127.0.0.1:${await closedPort()}` },
        optOuts
      ).send(message(tenantId, '+6281234567890'))
    )
    assert.isTrue(error.retryable)
    assert.equal(error.code, 'network')
  })
})

test.group('Email channel (SMTP)', (group) => {
  const smtp = new FakeSmtpServer()
  const settings = (): EmailSettings => ({
    host: smtp.host,
    port: smtp.port,
    secure: false,
    username: null,
    password: null,
    from_address: 'antrean@klinik.test',
    from_name: 'Klinik Sehat',
  })

  serveDuring(group, smtp)

  test('a plain-text mail goes with subject, sender name and body; its Message-ID is returned', async ({
    assert,
  }) => {
    const { id: tenantId } = await tenant()
    const result = await new EmailChannel(settings()).send(
      message(tenantId, 'siti@example.com', {
        subject: 'Nomor A012 dipanggil — Loket 3',
        body: 'Silakan menuju Loket 3.\nTerima kasih.',
      })
    )

    assert.lengthOf(smtp.mails, 1)
    const mail = smtp.mails[0]
    assert.deepEqual(mail.envelopeTo, ['siti@example.com'])
    assert.equal(mail.envelopeFrom, 'antrean@klinik.test')
    assert.equal(mail.subject, 'Nomor A012 dipanggil — Loket 3')
    assert.equal(mail.text, 'Silakan menuju Loket 3.\nTerima kasih.')
    assert.match(mail.headers.from, /Klinik Sehat.*<antrean@klinik\.test>/)
    assert.match(mail.headers['content-type'], /^text\/plain/)
    assert.equal(result.providerMessageId, mail.headers['message-id'])
  })

  test('a 4xx reply (try again later) is retryable, a 5xx reply is final', async ({ assert }) => {
    const { id: tenantId } = await tenant()
    smtp.failNext(1, { code: 451, message: '4.7.1 Greylisted, try again later' })
    const later = await failureOf(
      new EmailChannel(settings()).send(message(tenantId, 'siti@example.com'))
    )
    assert.isTrue(later.retryable)
    assert.equal(later.code, '451')

    smtp.failNext(1, { code: 550, message: '5.1.1 No such user', stage: 'rcpt' })
    const refused = await failureOf(
      new EmailChannel(settings()).send(message(tenantId, 'nobody@example.com'))
    )
    assert.isFalse(refused.retryable)
    assert.equal(refused.code, '550')

    smtp.failNext(1, { code: 452, message: '4.3.1 Insufficient system storage', stage: 'data' })
    assert.isTrue(
      (await failureOf(new EmailChannel(settings()).send(message(tenantId, 'siti@example.com'))))
        .retryable
    )
    assert.lengthOf(smtp.mails, 0)
  })

  test('the server login is used, and wrong credentials are refused as final', async ({
    assert,
  }) => {
    const { id: tenantId } = await tenant()
    smtp.credentials = { username: 'loket', password: 'rahasia' }
    await new EmailChannel({ ...settings(), username: 'loket', password: 'rahasia' }).send(
      message(tenantId, 'siti@example.com')
    )
    assert.equal(smtp.mails[0].user, 'loket')

    const error = await failureOf(
      new EmailChannel({ ...settings(), username: 'loket', password: 'salah' }).send(
        message(tenantId, 'siti@example.com')
      )
    )
    assert.equal(error.code, '535')
    assert.isFalse(error.retryable)
    assert.lengthOf(smtp.mails, 1)
  })

  test('a server that cannot be reached is a retryable connection failure', async ({ assert }) => {
    const { id: tenantId } = await tenant()
    const error = await failureOf(
      new EmailChannel({ ...settings(), port: await closedPort() }).send(
        message(tenantId, 'siti@example.com')
      )
    )
    assert.isTrue(error.retryable)
    assert.oneOf(error.code, ['ESOCKET', 'ECONNECTION', 'connection'])
  })
})
