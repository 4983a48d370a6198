import { test } from '@japa/runner'
import { createHmac } from 'node:crypto'
import { DateTime } from 'luxon'
import Contact from '#models/contact'
import OptOut from '#models/opt_out'
import Notification from '#models/notification'
import WebhookReceipt from '#models/webhook_receipt'
import MessagingChannel from '#models/messaging_channel'
import jobs from '#support/jobs'
import { createWorld } from '#tests/helpers/world'
import { FakeWhatsappGraph } from '#tests/fakes/whatsapp_graph'
import { jobsInProcess, whatsappThrough } from '#tests/helpers/outbox'

/** The test vector of shared/PROVIDERS.md: these exact 499 bytes, signed with `test_app_secret`. */
const VECTOR_BODY =
  '{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=","timestamp":"1749416383","type":"text","text":{"body":"Does it come in another color?"}}]},"field":"messages"}]}]}'
const VECTOR_SIGNATURE = 'sha256=ded1d1d9621cffa39832ccf2b330fa476b4dc8ec2a5d102e1e554312b3f21d42'

const PHONE_NUMBER_ID = '106540352242922'

function sign(body: string | Buffer, secret: string) {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/** A tenant with a WhatsApp channel whose app secret is `secret`. */
async function whatsappWorld(secret = 'test_app_secret') {
  const world = await createWorld()
  const channel = await MessagingChannel.create({
    tenantId: world.tenant.id,
    kind: 'whatsapp',
    isActive: true,
    settings: {
      phone_number_id: PHONE_NUMBER_ID,
      access_token: 'EAAG-test-token',
      app_secret: secret,
      verify_token: `verify-${world.key}`,
    },
  })
  return { ...world, channel, secret, verifyToken: `verify-${world.key}` }
}

const baseUrl = () => `http://${process.env.HOST}:${process.env.PORT}`

/** POSTs the raw bytes, as Meta does. */
function post(slug: string, body: string | Buffer, signature?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (signature) headers['x-hub-signature-256'] = signature
  return fetch(`${baseUrl()}/webhooks/whatsapp/${slug}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
  })
}

/** A webhook body as Meta sends it: one `messages` change to `phoneNumberId`, with `fields` in its value. */
function webhookPayload(fields: Record<string, unknown>, phoneNumberId = PHONE_NUMBER_ID) {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
              ...fields,
            },
          },
        ],
      },
    ],
  })
}

function messagesPayload(
  messages: { from: string; id: string; text?: string; timestamp?: number; name?: string }[],
  phoneNumberId = PHONE_NUMBER_ID
) {
  return webhookPayload(
    {
      contacts: messages.map((message) => ({
        profile: { name: message.name ?? 'Siti' },
        wa_id: message.from,
      })),
      messages: messages.map((message) => ({
        from: message.from,
        id: message.id,
        timestamp: String(message.timestamp ?? Math.floor(Date.now() / 1000)),
        type: 'text',
        text: { body: message.text ?? 'Halo' },
      })),
    },
    phoneNumberId
  )
}

function statusesPayload(
  statuses: { id: string; status: string; timestamp: number; errors?: unknown[] }[]
) {
  return webhookPayload({
    statuses: statuses.map((status) => ({
      ...status,
      timestamp: String(status.timestamp),
      recipient_id: '6281234567890',
    })),
  })
}

async function sentNotification(tenantId: number, providerMessageId: string) {
  return Notification.create({
    tenantId,
    event: 'ticket_called',
    channel: 'whatsapp',
    recipient: '+6281234567890',
    locale: 'id',
    variables: {},
    subject: 'Nomor A001 dipanggil',
    body: 'Nomor A001 dipanggil.',
    status: 'sent',
    attempts: 1,
    providerMessageId,
    providerStatus: 'sent',
    sentAt: DateTime.utc(),
  })
}

async function storedFor(tenantId: number) {
  return {
    contacts: (await Contact.query().where('tenant_id', tenantId)).length,
    receipts: (await WebhookReceipt.query().where('tenant_id', tenantId)).length,
    optOuts: (await OptOut.query().where('tenant_id', tenantId)).length,
    notifications: (await Notification.query().where('tenant_id', tenantId)).length,
  }
}

const NOTHING = { contacts: 0, receipts: 0, optOuts: 0, notifications: 0 }

test.group('WhatsApp webhook: handshake', () => {
  test('the handshake answers the challenge as plain text when the verify token matches', async ({
    client,
  }) => {
    const { tenant, verifyToken } = await whatsappWorld()
    const response = await client.get(`/webhooks/whatsapp/${tenant.slug}`).qs({
      'hub.mode': 'subscribe',
      'hub.verify_token': verifyToken,
      'hub.challenge': '1158201444',
    })
    response.assertStatus(200)
    response.assertTextIncludes('1158201444')
    response.assertHeader('content-type', 'text/plain; charset=utf-8')
  })

  test('a wrong verify token, a missing one or another mode answers 403', async ({ client }) => {
    const { tenant, verifyToken } = await whatsappWorld()
    const url = `/webhooks/whatsapp/${tenant.slug}`
    ;(
      await client.get(url).qs({
        'hub.mode': 'subscribe',
        'hub.verify_token': `${verifyToken}x`,
        'hub.challenge': '1',
      })
    ).assertStatus(403)
    ;(await client.get(url).qs({ 'hub.mode': 'subscribe', 'hub.challenge': '1' })).assertStatus(403)
    ;(
      await client
        .get(url)
        .qs({ 'hub.mode': 'unsubscribe', 'hub.verify_token': verifyToken, 'hub.challenge': '1' })
    ).assertStatus(403)
  })

  test('an unknown tenant, or one without WhatsApp, answers 404', async ({ client, assert }) => {
    const plain = await createWorld()
    ;(
      await client
        .get('/webhooks/whatsapp/no-such-tenant')
        .qs({ 'hub.mode': 'subscribe', 'hub.verify_token': 'x', 'hub.challenge': '1' })
    ).assertStatus(404)
    ;(
      await client
        .get(`/webhooks/whatsapp/${plain.tenant.slug}`)
        .qs({ 'hub.mode': 'subscribe', 'hub.verify_token': 'x', 'hub.challenge': '1' })
    ).assertStatus(404)
    assert.equal((await post('no-such-tenant', VECTOR_BODY, VECTOR_SIGNATURE)).status, 404)
    assert.equal((await post(plain.tenant.slug, VECTOR_BODY, VECTOR_SIGNATURE)).status, 404)
  })
})

test.group('WhatsApp webhook: signature', () => {
  test('the PROVIDERS.md vector: its exact 499 bytes verify, and the customer is stored with the window open', async ({
    assert,
  }) => {
    const { tenant } = await whatsappWorld()
    assert.equal(Buffer.byteLength(VECTOR_BODY), 499)
    assert.equal(sign(VECTOR_BODY, 'test_app_secret'), VECTOR_SIGNATURE)

    const response = await post(tenant.slug, VECTOR_BODY, VECTOR_SIGNATURE)
    assert.equal(response.status, 200)
    assert.equal(await response.text(), 'EVENT_RECEIVED')

    const contact = await Contact.query().where('tenant_id', tenant.id).firstOrFail()
    assert.equal(contact.phone, '+16505551234')
    assert.equal(contact.displayName, 'Sheena Nelson')
    assert.equal(contact.lastInboundAt!.toSeconds(), 1749416383)
    const receipt = await WebhookReceipt.query().where('tenant_id', tenant.id).firstOrFail()
    assert.deepInclude(receipt.$attributes, {
      provider: 'whatsapp',
      externalId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
    })
  })

  test('a body with emoji and accents is verified over its exact bytes', async ({ assert }) => {
    const { tenant } = await whatsappWorld()
    const body = messagesPayload([
      {
        from: '6281234567890',
        id: 'wamid.emoji-1',
        text: 'Terima kasih 🙏 café ñ',
        name: 'José 🙂 Ñandú',
      },
    ])
    assert.notEqual(Buffer.byteLength(body), body.length)
    const response = await post(
      tenant.slug,
      Buffer.from(body, 'utf8'),
      sign(Buffer.from(body, 'utf8'), 'test_app_secret')
    )
    assert.equal(response.status, 200)
    const contact = await Contact.query().where('tenant_id', tenant.id).firstOrFail()
    assert.equal(contact.displayName, 'José 🙂 Ñandú')
  })

  test('a bad, foreign or missing signature answers 401 and stores nothing', async ({ assert }) => {
    const { tenant } = await whatsappWorld()
    const tampered = VECTOR_BODY.replace('another color', 'another colour')
    const answers = [
      await post(tenant.slug, tampered, VECTOR_SIGNATURE),
      await post(tenant.slug, VECTOR_BODY, sign(VECTOR_BODY, 'some_other_secret')),
      await post(tenant.slug, VECTOR_BODY, VECTOR_SIGNATURE.replace('sha256=', 'sha1=')),
      await post(tenant.slug, VECTOR_BODY, 'sha256=abc'),
      await post(tenant.slug, VECTOR_BODY),
    ]
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [401, 401, 401, 401, 401]
    )
    assert.deepEqual(await storedFor(tenant.id), NOTHING)
  })

  test('malformed JSON with a valid signature answers 400 and stores nothing', async ({
    assert,
  }) => {
    const { tenant } = await whatsappWorld()
    const body = '{"object":"whatsapp_business_account","entry":[{'
    const response = await post(tenant.slug, body, sign(body, 'test_app_secret'))
    assert.equal(response.status, 400)
    assert.deepEqual(await storedFor(tenant.id), NOTHING)
  })

  test("tenant A's signature does not open tenant B", async ({ assert }) => {
    const a = await whatsappWorld('secret_of_tenant_a')
    const b = await whatsappWorld('secret_of_tenant_b')
    const notification = await sentNotification(b.tenant.id, 'wamid.of-b')
    const body = statusesPayload([{ id: 'wamid.of-b', status: 'read', timestamp: 1749416400 }])

    const response = await post(b.tenant.slug, body, sign(body, a.secret))
    assert.equal(response.status, 401)
    await notification.refresh()
    assert.equal(notification.providerStatus, 'sent')
    assert.deepEqual(await storedFor(a.tenant.id), NOTHING)
    assert.equal((await WebhookReceipt.query().where('tenant_id', b.tenant.id)).length, 0)

    // Signed rightly but sent to A's URL, B's message id finds nothing of A's and changes nothing of B's.
    assert.equal((await post(a.tenant.slug, body, sign(body, a.secret))).status, 200)
    await notification.refresh()
    assert.equal(notification.providerStatus, 'sent')
  })
})

test.group('WhatsApp webhook: messages', (group) => {
  const graph = new FakeWhatsappGraph()

  group.setup(async () => {
    await graph.start()
    const restoreGraph = whatsappThrough(graph)
    const restoreJobs = jobsInProcess()
    return async () => {
      await restoreJobs()
      restoreGraph()
      await graph.stop()
    }
  })
  group.each.setup(() => {
    graph.reset()
    graph.accessToken = 'EAAG-test-token'
  })

  test('a message id Meta sends again is handled once', async ({ assert }) => {
    const { tenant } = await whatsappWorld()
    const body = messagesPayload([{ from: '6281234567890', id: 'wamid.repeat-1', text: 'STOP' }])
    for (let index = 0; index < 3; index++)
      assert.equal((await post(tenant.slug, body, sign(body, 'test_app_secret'))).status, 200)
    await jobs.idle()
    assert.deepEqual(await storedFor(tenant.id), {
      contacts: 1,
      receipts: 1,
      optOuts: 1,
      notifications: 1,
    })
    assert.lengthOf(graph.accepted, 1)
  })

  test('the latest message keeps the window open: an older one arriving late does not move it back', async ({
    assert,
  }) => {
    const { tenant } = await whatsappWorld()
    const newer = messagesPayload([
      { from: '6281234567890', id: 'wamid.newer', timestamp: 1749420000, name: 'Siti Aminah' },
    ])
    const older = messagesPayload([
      { from: '6281234567890', id: 'wamid.older', timestamp: 1749410000, name: 'Siti Aminah' },
    ])
    await post(tenant.slug, newer, sign(newer, 'test_app_secret'))
    await post(tenant.slug, older, sign(older, 'test_app_secret'))
    const contact = await Contact.query().where('tenant_id', tenant.id).firstOrFail()
    assert.equal(contact.lastInboundAt!.toSeconds(), 1749420000)
    assert.equal(contact.displayName, 'Siti Aminah')
    assert.equal((await WebhookReceipt.query().where('tenant_id', tenant.id)).length, 2)
  })

  test('STOP records a WhatsApp opt-out and the confirmation goes out through the outbox, as text in the window', async ({
    assert,
  }) => {
    const { tenant } = await whatsappWorld()
    const body = messagesPayload([{ from: '6281234567890', id: 'wamid.stop-1', text: '  stop ' }])
    assert.equal((await post(tenant.slug, body, sign(body, 'test_app_secret'))).status, 200)

    const optOut = await OptOut.query().where('tenant_id', tenant.id).firstOrFail()
    assert.deepInclude(optOut.$attributes, {
      channel: 'whatsapp',
      recipient: '+6281234567890',
      source: 'stop_reply',
    })
    await jobs.idle()
    const confirmation = await Notification.query().where('tenant_id', tenant.id).firstOrFail()
    assert.equal(confirmation.event, 'opt_out_confirmed')
    assert.equal(confirmation.recipient, '+6281234567890')
    assert.equal(confirmation.status, 'sent')
    assert.include(confirmation.body, tenant.name)
    assert.equal(graph.accepted[0].payload.type, 'text')
    assert.equal(graph.accepted[0].payload.to, '6281234567890')
    assert.equal(graph.accepted[0].payload.text.body, confirmation.body)
    assert.equal(confirmation.providerMessageId, graph.accepted[0].id)
  })

  test('BERHENTI, UNSUBSCRIBE and STOP ALL stop too; other words do not', async ({ assert }) => {
    const { tenant } = await whatsappWorld()
    const body = messagesPayload([
      { from: '6281100000001', id: 'wamid.w1', text: 'Berhenti' },
      { from: '6281100000002', id: 'wamid.w2', text: 'UNSUBSCRIBE' },
      { from: '6281100000003', id: 'wamid.w3', text: 'stop   all' },
      { from: '6281100000004', id: 'wamid.w4', text: 'please stop calling me' },
      { from: '6281100000005', id: 'wamid.w5', text: 'Mau tanya jadwal' },
    ])
    await post(tenant.slug, body, sign(body, 'test_app_secret'))
    const optOuts = await OptOut.query().where('tenant_id', tenant.id).orderBy('recipient')
    assert.deepEqual(
      optOuts.map((row) => row.recipient),
      ['+6281100000001', '+6281100000002', '+6281100000003']
    )
    assert.equal((await Contact.query().where('tenant_id', tenant.id)).length, 5)
  })

  test('START removes the opt-out and confirms; START without an opt-out sends nothing', async ({
    assert,
  }) => {
    const { tenant } = await whatsappWorld()
    const stop = messagesPayload([{ from: '6281234567890', id: 'wamid.s1', text: 'STOP' }])
    const start = messagesPayload([{ from: '6281234567890', id: 'wamid.s2', text: 'Mulai' }])
    const startAgain = messagesPayload([{ from: '6281234567890', id: 'wamid.s3', text: 'START' }])
    await post(tenant.slug, stop, sign(stop, 'test_app_secret'))
    await post(tenant.slug, start, sign(start, 'test_app_secret'))
    await post(tenant.slug, startAgain, sign(startAgain, 'test_app_secret'))
    await jobs.idle()

    assert.equal((await OptOut.query().where('tenant_id', tenant.id)).length, 0)
    const events = (await Notification.query().where('tenant_id', tenant.id).orderBy('id')).map(
      (row) => [row.event, row.status]
    )
    assert.deepEqual(events, [
      ['opt_out_confirmed', 'sent'],
      ['opt_in_confirmed', 'sent'],
    ])
  })

  test('a message to another phone number id of the same app is ignored', async ({ assert }) => {
    const { tenant } = await whatsappWorld()
    const body = messagesPayload(
      [{ from: '6281234567890', id: 'wamid.other-number', text: 'STOP' }],
      '999999999999'
    )
    assert.equal((await post(tenant.slug, body, sign(body, 'test_app_secret'))).status, 200)
    assert.deepEqual(await storedFor(tenant.id), NOTHING)
  })
})

test.group('WhatsApp webhook: statuses', () => {
  test('statuses move a message forward: sent, delivered, read; repeats and late ones change nothing', async ({
    assert,
  }) => {
    const { tenant } = await whatsappWorld()
    const notification = await sentNotification(tenant.id, 'wamid.forward')
    const deliver = (status: string, timestamp: number) => {
      const body = statusesPayload([{ id: 'wamid.forward', status, timestamp }])
      return post(tenant.slug, body, sign(body, 'test_app_secret'))
    }

    await deliver('delivered', 1749416400)
    await notification.refresh()
    assert.equal(notification.providerStatus, 'delivered')
    assert.equal(notification.deliveredAt!.toSeconds(), 1749416400)

    await deliver('read', 1749416500)
    await deliver('delivered', 1749416600)
    await deliver('read', 1749416700)
    await deliver('sent', 1749416800)
    await notification.refresh()
    assert.equal(notification.providerStatus, 'read')
    assert.equal(notification.deliveredAt!.toSeconds(), 1749416400)
    assert.equal(notification.status, 'sent')
  })

  test('read arriving before delivered counts as delivered then, and the late delivered changes nothing', async ({
    assert,
  }) => {
    const { tenant } = await whatsappWorld()
    const notification = await sentNotification(tenant.id, 'wamid.reordered')
    const body = statusesPayload([
      { id: 'wamid.reordered', status: 'read', timestamp: 1749416500 },
      { id: 'wamid.reordered', status: 'delivered', timestamp: 1749416400 },
    ])
    assert.equal((await post(tenant.slug, body, sign(body, 'test_app_secret'))).status, 200)
    await notification.refresh()
    assert.equal(notification.providerStatus, 'read')
    assert.equal(notification.deliveredAt!.toSeconds(), 1749416500)
  })

  test('a failed status records Meta’s reason; it never overrides a delivered message', async ({
    assert,
  }) => {
    const { tenant } = await whatsappWorld()
    const failed = await sentNotification(tenant.id, 'wamid.failed')
    const delivered = await sentNotification(tenant.id, 'wamid.delivered')
    const body = statusesPayload([
      {
        id: 'wamid.failed',
        status: 'failed',
        timestamp: 1749416500,
        errors: [{ code: 131026, title: 'Message undeliverable' }],
      },
      { id: 'wamid.delivered', status: 'delivered', timestamp: 1749416400 },
      {
        id: 'wamid.delivered',
        status: 'failed',
        timestamp: 1749416450,
        errors: [{ code: 131000, title: 'Something went wrong' }],
      },
    ])
    await post(tenant.slug, body, sign(body, 'test_app_secret'))
    await failed.refresh()
    await delivered.refresh()
    assert.equal(failed.providerStatus, 'failed')
    assert.equal(failed.lastError, '[131026] Message undeliverable')
    assert.isNull(failed.deliveredAt)
    assert.equal(delivered.providerStatus, 'delivered')
    assert.isNull(delivered.lastError)
  })

  test("a status never touches another tenant's message with the same provider id", async ({
    assert,
  }) => {
    const a = await whatsappWorld()
    const b = await whatsappWorld()
    const ofB = await sentNotification(b.tenant.id, 'wamid.shared-id')
    const body = statusesPayload([
      { id: 'wamid.shared-id', status: 'delivered', timestamp: 1749416400 },
    ])
    assert.equal((await post(a.tenant.slug, body, sign(body, 'test_app_secret'))).status, 200)
    await ofB.refresh()
    assert.equal(ofB.providerStatus, 'sent')
    assert.isNull(ofB.deliveredAt)
  })
})
