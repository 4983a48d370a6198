import { test } from '@japa/runner'
import { createHmac } from 'node:crypto'
import Customer from '#models/customer'
import MessagingChannel from '#models/messaging_channel'
import Notification from '#models/notification'
import OptOut from '#models/opt_out'
import WebhookReceipt from '#models/webhook_receipt'
import jobs from '#support/jobs'
import { createFieldWorld } from '#tests/helpers/field'
import { FakeWhatsappGraph } from '#tests/fakes/whatsapp_graph'
import { jobsInProcess, whatsappThrough } from '#tests/helpers/outbox'

/*
| WhatsApp self-registration (seed 003, MDM) through the signed inbound webhook, as Meta sends it:
| `DAFTAR#Nama#Alamat` creates or updates the customer with the sender's number and answers
| through the outbox; a malformed one gets the format; a replayed message id changes nothing.
*/

const SECRET = 'registration_app_secret'
const PHONE_NUMBER_ID = '106540352242922'

/** A field-service business with a WhatsApp channel whose app secret is SECRET. */
async function registrationWorld(fieldSettings?: Record<string, unknown>) {
  const world = await createFieldWorld()
  if (fieldSettings) {
    world.tenant.fieldSettings = JSON.stringify(fieldSettings)
    await world.tenant.save()
  }
  await MessagingChannel.create({
    tenantId: world.tenant.id,
    kind: 'whatsapp',
    isActive: true,
    settings: {
      phone_number_id: PHONE_NUMBER_ID,
      access_token: 'EAAG-test-token',
      app_secret: SECRET,
      verify_token: `verify-${world.key}`,
    },
  })
  return world
}

/** A webhook body with one text message, signed as Meta signs it, POSTed to the tenant's URL. */
async function send(slug: string, message: { from: string; id: string; text: string }) {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ profile: { name: 'Profil WA' }, wa_id: message.from }],
              messages: [
                {
                  from: message.from,
                  id: message.id,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: message.text },
                },
              ],
            },
          },
        ],
      },
    ],
  })
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`
  const response = await fetch(
    `http://${process.env.HOST}:${process.env.PORT}/webhooks/whatsapp/${slug}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body,
    }
  )
  return response.status
}

/** A WhatsApp number no other test uses, as Meta writes it (digits, no +). */
function freshNumber() {
  return `62857${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`
}

function messagesTo(tenantId: number) {
  return Notification.query().where('tenant_id', tenantId).orderBy('id')
}

test.group('Field: WhatsApp self-registration', (group) => {
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

  test('DAFTAR#Nama#Alamat from a new number creates a WhatsApp customer and the confirmation goes out through the outbox', async ({
    assert,
  }) => {
    const world = await registrationWorld()
    const from = freshNumber()
    const status = await send(world.tenant.slug, {
      from,
      id: 'wamid.reg-new',
      text: 'daftar # Budi Santoso # Jl. Melati 5, Bandung',
    })
    assert.equal(status, 200)

    const customer = await Customer.forTenant(world.tenant).where('phone', `+${from}`).firstOrFail()
    assert.deepInclude(customer.$attributes, {
      name: 'Budi Santoso',
      address: 'Jl. Melati 5, Bandung',
      status: 'active',
      source: 'whatsapp',
    })
    await jobs.idle()
    const [reply] = await messagesTo(world.tenant.id)
    assert.equal(reply.event, 'customer_registered')
    assert.equal(reply.recipient, `+${from}`)
    assert.equal(reply.dedupeKey, 'wa:wamid.reg-new:customer_registered')
    assert.equal(reply.status, 'sent')
    assert.include(reply.body, 'Halo Budi Santoso')
    assert.include(reply.body, 'Alamat: Jl. Melati 5, Bandung')
    assert.include(reply.body, world.tenant.name)
    assert.lengthOf(graph.accepted, 1)
    assert.equal(graph.accepted[0].payload.to, from)
    assert.equal(graph.accepted[0].payload.text.body, reply.body)
  })

  test('a registration from a known number updates that customer: name and address, active again; their notes and source stay', async ({
    assert,
  }) => {
    const world = await registrationWorld()
    await Customer.query()
      .where('id', world.customer.id)
      .update({ status: 'inactive', notes: 'Pelanggan lama' })
    const from = world.customer.phone!.slice(1)
    await send(world.tenant.slug, {
      from,
      id: 'wamid.reg-update',
      text: 'DAFTAR#Budi S. Wibowo#Jl. Kenanga 12, Cimahi',
    })

    const customers = await Customer.forTenant(world.tenant)
    assert.lengthOf(customers, 1)
    assert.deepInclude(customers[0].$attributes, {
      id: world.customer.id,
      name: 'Budi S. Wibowo',
      address: 'Jl. Kenanga 12, Cimahi',
      status: 'active',
      notes: 'Pelanggan lama',
      source: 'manual',
    })
    await jobs.idle()
    const replies = await messagesTo(world.tenant.id)
    assert.deepEqual(
      replies.map((reply) => [reply.event, reply.recipient]),
      [['customer_registered', world.customer.phone]]
    )
    assert.include(replies[0].body, 'Jl. Kenanga 12, Cimahi')
  })

  test("a malformed registration gets the correction hint in the tenant's format and changes no customer", async ({
    assert,
  }) => {
    const world = await registrationWorld()
    const from = freshNumber()
    await send(world.tenant.slug, { from, id: 'wamid.reg-bad-1', text: 'DAFTAR#Budi Santoso' })
    await send(world.tenant.slug, {
      from,
      id: 'wamid.reg-bad-2',
      text: `DAFTAR#${'B'.repeat(121)}#Jl. Melati 5`,
    })
    await send(world.tenant.slug, { from, id: 'wamid.reg-bad-3', text: 'Daftar' })
    assert.lengthOf(await Customer.forTenant(world.tenant).where('phone', `+${from}`), 0)

    await jobs.idle()
    const replies = await messagesTo(world.tenant.id)
    assert.deepEqual(
      replies.map((reply) => [reply.event, reply.status]),
      [
        ['customer_registration_help', 'sent'],
        ['customer_registration_help', 'sent'],
        ['customer_registration_help', 'sent'],
      ]
    )
    assert.include(replies[0].body, 'DAFTAR#Nama#Alamat')
    assert.include(replies[0].body, 'Contoh: DAFTAR#Budi Santoso#Jl. Melati 5, Bandung')

    // A tenant with its own format is told that one.
    const own = await registrationWorld({ registrationKeyword: 'REG', registrationSeparator: '*' })
    await send(own.tenant.slug, { from, id: 'wamid.reg-bad-own', text: 'reg*Ani' })
    await send(own.tenant.slug, { from, id: 'wamid.reg-wrong-format', text: 'DAFTAR#Ani#Jl. A' })
    await jobs.idle()
    const ownReplies = await messagesTo(own.tenant.id)
    assert.lengthOf(ownReplies, 1)
    assert.include(ownReplies[0].body, 'REG*Nama*Alamat')
    assert.lengthOf(await Customer.forTenant(own.tenant).where('phone', `+${from}`), 0)
  })

  test('a message id Meta sends again changes nothing, even with another text', async ({
    assert,
  }) => {
    const world = await registrationWorld()
    const from = freshNumber()
    const message = { from, id: 'wamid.reg-replay', text: 'DAFTAR#Siti Aminah#Jl. Mawar 1' }
    for (let attempt = 0; attempt < 3; attempt++)
      assert.equal(await send(world.tenant.slug, message), 200)
    assert.equal(
      await send(world.tenant.slug, { ...message, text: 'DAFTAR#Orang Lain#Jl. Palsu 9' }),
      200
    )
    await jobs.idle()

    const customers = await Customer.forTenant(world.tenant).where('phone', `+${from}`)
    assert.lengthOf(customers, 1)
    assert.equal(customers[0].name, 'Siti Aminah')
    assert.equal(customers[0].address, 'Jl. Mawar 1')
    assert.lengthOf(await messagesTo(world.tenant.id), 1)
    assert.lengthOf(await WebhookReceipt.query().where('tenant_id', world.tenant.id), 1)
    assert.lengthOf(graph.accepted, 1)
  })

  test('ordinary messages are not registrations; a customer who opted out is registered without a reply', async ({
    assert,
  }) => {
    const world = await registrationWorld()
    const from = freshNumber()
    await send(world.tenant.slug, { from, id: 'wamid.ask', text: 'Daftar harga servis AC berapa?' })
    await send(world.tenant.slug, { from, id: 'wamid.hello', text: 'Halo, DAFTAR#saya#nanti' })
    await send(world.tenant.slug, { from, id: 'wamid.stop', text: 'STOP' })
    await jobs.idle()
    assert.lengthOf(await Customer.forTenant(world.tenant).where('phone', `+${from}`), 0)
    assert.deepEqual(
      (await messagesTo(world.tenant.id)).map((reply) => reply.event),
      ['opt_out_confirmed']
    )
    assert.lengthOf(await OptOut.query().where('tenant_id', world.tenant.id), 1)

    await send(world.tenant.slug, {
      from,
      id: 'wamid.reg-opted',
      text: 'DAFTAR#Dewi#Jl. Anggrek 3',
    })
    await jobs.idle()
    const customer = await Customer.forTenant(world.tenant).where('phone', `+${from}`).firstOrFail()
    assert.equal(customer.name, 'Dewi')
    assert.deepEqual(
      (await messagesTo(world.tenant.id)).map((reply) => reply.event),
      ['opt_out_confirmed']
    )
  })

  test('a registration belongs to the tenant whose number it was sent to', async ({ assert }) => {
    const one = await registrationWorld()
    const other = await registrationWorld()
    const from = freshNumber()
    await send(one.tenant.slug, { from, id: 'wamid.tenant-one', text: 'DAFTAR#Eko#Jl. Satu 1' })
    await send(other.tenant.slug, { from, id: 'wamid.tenant-one', text: 'DAFTAR#Eko P.#Jl. Dua 2' })
    await jobs.idle()
    const mine = await Customer.forTenant(one.tenant).where('phone', `+${from}`).firstOrFail()
    const theirs = await Customer.forTenant(other.tenant).where('phone', `+${from}`).firstOrFail()
    assert.notEqual(mine.id, theirs.id)
    assert.equal(mine.address, 'Jl. Satu 1')
    assert.equal(theirs.address, 'Jl. Dua 2')
    assert.lengthOf(await messagesTo(one.tenant.id), 1)
    assert.lengthOf(await messagesTo(other.tenant.id), 1)
  })
})
