import { test } from '@japa/runner'
import { createHmac } from 'node:crypto'
import Branch from '#models/branch'
import Holiday from '#models/holiday'
import MessagingChannel from '#models/messaging_channel'
import Notification from '#models/notification'
import Service from '#models/service'
import Ticket from '#models/ticket'
import WebhookReceipt from '#models/webhook_receipt'
import WhatsappQueueMenu from '#models/whatsapp_queue_menu'
import QueueEngine from '#services/queue/queue_engine'
import app from '@adonisjs/core/services/app'
import { createWorld, seat, type WorldOptions } from '#tests/helpers/world'
import { FakeWhatsappGraph } from '#tests/fakes/whatsapp_graph'
import { jobsInProcess, outboxSettled, whatsappThrough } from '#tests/helpers/outbox'

const engine = await app.container.make(QueueEngine)

const SECRET = 'queue_app_secret'
const PHONE_NUMBER_ID = '106540352242922'
/** The visitor: WhatsApp's `from` (digits) and the E.164 number Loket stores. */
const FROM = '6281234567890'
const PHONE = '+6281234567890'

/** A tenant whose active WhatsApp channel is `PHONE_NUMBER_ID`, signed with `SECRET`. */
async function whatsappWorld(options: WorldOptions = {}, displayPhone?: string) {
  const world = await createWorld(options)
  await MessagingChannel.create({
    tenantId: world.tenant.id,
    kind: 'whatsapp',
    isActive: true,
    settings: {
      phone_number_id: PHONE_NUMBER_ID,
      access_token: 'EAAG-test-token',
      app_secret: SECRET,
      verify_token: `verify-${world.key}`,
      ...(displayPhone ? { display_phone: displayPhone } : {}),
    },
  })
  return world
}

let sequence = 0
const nextId = () => `wamid.queue-${Date.now()}-${++sequence}`

/** A text message from `from`, as Meta's webhook carries it. */
function textMessage(body: string, from = FROM, id = nextId()) {
  return {
    from,
    id,
    timestamp: String(Math.floor(Date.now() / 1000)),
    type: 'text',
    text: { body },
  }
}

/** A tap on a reply button (`button_reply`) or a list row (`list_reply`) of the menu. */
function tapMessage(
  reply: { id: string; title: string },
  kind: 'button_reply' | 'list_reply' = 'button_reply',
  id = nextId()
) {
  return {
    context: { from: '15550783881', id: 'wamid.the-menu' },
    from: FROM,
    id,
    timestamp: String(Math.floor(Date.now() / 1000)),
    type: 'interactive',
    interactive: { type: kind, [kind]: reply },
  }
}

/** Meta's webhook body with `messages` to the tenant's number. */
function payload(messages: Record<string, unknown>[]) {
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
              metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
              contacts: messages.map((message) => ({
                profile: { name: 'Siti' },
                wa_id: message.from,
              })),
              messages,
            },
          },
        ],
      },
    ],
  })
}

/** POSTs the body signed as Meta signs it (X-Hub-Signature-256 over the raw bytes). */
function post(slug: string, body: string) {
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`
  return fetch(`http://${process.env.HOST}:${process.env.PORT}/webhooks/whatsapp/${slug}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    body,
  })
}

/** The visitor sends `message` to the tenant; returns once Loket's answers reached the Graph fake. */
async function send(world: { tenant: { id: number; slug: string } }, message: object) {
  const response = await post(world.tenant.slug, payload([message as Record<string, unknown>]))
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`)
  await outboxSettled(world.tenant.id)
}

async function answersOf(tenantId: number) {
  return Notification.query().where('tenant_id', tenantId).orderBy('id')
}

async function ticketsOf(tenantId: number) {
  return Ticket.query().where('tenant_id', tenantId).orderBy('sequence')
}

test.group('Queue by WhatsApp: taking a number', (group) => {
  const graph = new FakeWhatsappGraph()
  /** What reached the Graph fake for the visitor, in order. */
  const sent = () => graph.accepted.map((message) => message.payload)
  const lastSent = () => sent().at(-1)

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
    graph.phoneNumberId = PHONE_NUMBER_ID
  })

  test('ANTRI <branch> offers the open services as reply buttons; a tap takes a WhatsApp ticket and answers its number and link', async ({
    assert,
  }) => {
    const world = await whatsappWorld()
    world.services[1].name = 'Pemeriksaan Kesehatan Umum Lengkap'
    await world.services[1].save()

    await send(world, textMessage(`  antri   ${world.branch.slug.toUpperCase()} `))
    const menu = lastSent()
    assert.equal(menu.to, FROM)
    assert.equal(menu.type, 'interactive')
    assert.equal(menu.interactive.type, 'button')
    assert.include(menu.interactive.body.text, world.branch.name)
    assert.deepEqual(
      menu.interactive.action.buttons.map((button: any) => button.reply),
      [
        { id: `q:${world.services[0].id}`, title: '1. Layanan 1' },
        { id: `q:${world.services[1].id}`, title: '2. Pemeriksaan Kese…' },
      ]
    )
    const [offer] = await answersOf(world.tenant.id)
    assert.equal(offer.event, 'queue_menu')
    assert.equal(offer.status, 'sent')
    assert.include(offer.body, '1. Layanan 1 (0 menunggu)')
    assert.include(offer.body, '2. Pemeriksaan Kesehatan Umum Lengkap (0 menunggu)')

    await send(
      world,
      tapMessage({ id: `q:${world.services[1].id}`, title: '2. Pemeriksaan Kese…' })
    )
    const [ticket] = await ticketsOf(world.tenant.id)
    assert.deepInclude(ticket.$attributes, {
      channel: 'whatsapp',
      customerPhone: PHONE,
      serviceId: world.services[1].id,
      status: 'waiting',
      locale: 'id',
      number: 'B001',
    })
    const answer = lastSent()
    assert.equal(answer.type, 'text')
    assert.equal(answer.to, FROM)
    assert.include(answer.text.body, 'Nomor antrean Anda B001 (Pemeriksaan Kesehatan Umum Lengkap)')
    assert.include(answer.text.body, 'Ada 0 antrean sebelum Anda')
    assert.include(answer.text.body, `/t/${ticket.id}`)
    const created = (await answersOf(world.tenant.id)).at(-1)!
    assert.deepInclude(created.$attributes, {
      event: 'ticket_created',
      channel: 'whatsapp',
      recipient: PHONE,
      subjectId: ticket.id,
    })
    // The menu is used up: a tap on it now answers with the number held.
    const menuRow = await WhatsappQueueMenu.query()
      .where('tenant_id', world.tenant.id)
      .firstOrFail()
    assert.isAtMost(menuRow.expiresAt.toMillis(), Date.now())
  })

  test('4 to 10 services go as a list message; more as a numbered text, where typing a number takes it', async ({
    assert,
  }) => {
    const five = await whatsappWorld({ services: 5 })
    await send(five, textMessage(`ANTRI ${five.branch.slug}`))
    const list = lastSent()
    assert.equal(list.interactive.type, 'list')
    assert.equal(list.interactive.action.button, 'Pilih layanan')
    const rows = list.interactive.action.sections[0].rows
    assert.lengthOf(rows, 5)
    assert.deepEqual(rows[4], {
      id: `q:${five.services[4].id}`,
      title: '5. Layanan 5',
      description: '0 menunggu',
    })
    await send(five, tapMessage({ id: rows[2].id, title: rows[2].title }, 'list_reply'))
    assert.equal((await ticketsOf(five.tenant.id))[0].serviceId, five.services[2].id)

    graph.reset()
    graph.accessToken = 'EAAG-test-token'
    const twelve = await whatsappWorld({ services: 12 })
    await engine.take(twelve.branch, twelve.services[11], { channel: 'web' })
    await send(twelve, textMessage(`ANTRI ${twelve.branch.slug}`))
    const numbered = lastSent()
    assert.equal(numbered.type, 'text')
    assert.include(numbered.text.body, '1. Layanan 1 (0 menunggu)\n2. Layanan 2 (0 menunggu)')
    assert.include(numbered.text.body, '12. Layanan 12 (1 menunggu)')

    await send(twelve, textMessage('12'))
    const taken = await Ticket.query()
      .where('tenant_id', twelve.tenant.id)
      .where('channel', 'whatsapp')
      .firstOrFail()
    assert.equal(taken.serviceId, twelve.services[11].id)
    assert.equal(taken.number, 'L002')
    assert.include(lastSent().text.body, 'Nomor antrean Anda L002')
  })

  test('a message Meta delivers twice takes one number, and two taps at once take one', async ({
    assert,
  }) => {
    const world = await whatsappWorld()
    await send(world, textMessage(`ANTRI ${world.branch.slug}`))
    const tap = payload([tapMessage({ id: `q:${world.services[0].id}`, title: '1. Layanan 1' })])
    const statuses = await Promise.all([post(world.tenant.slug, tap), post(world.tenant.slug, tap)])
    assert.deepEqual(
      statuses.map((response) => response.status),
      [200, 200]
    )
    assert.equal((await post(world.tenant.slug, tap)).status, 200)
    await outboxSettled(world.tenant.id)
    assert.lengthOf(await ticketsOf(world.tenant.id), 1)
    const created = (await answersOf(world.tenant.id)).filter(
      (row) => row.event === 'ticket_created'
    )
    assert.lengthOf(created, 1)

    // Two first menus of a phone at once: one menu row, both answered.
    const other = await whatsappWorld()
    const menus = await Promise.all([
      post(other.tenant.slug, payload([textMessage(`ANTRI ${other.branch.slug}`)])),
      post(other.tenant.slug, payload([textMessage(`antri ${other.branch.slug}`)])),
    ])
    assert.deepEqual(
      menus.map((response) => response.status),
      [200, 200]
    )
    await outboxSettled(other.tenant.id)
    assert.lengthOf(await WhatsappQueueMenu.query().where('tenant_id', other.tenant.id), 1)
    assert.lengthOf(
      (await answersOf(other.tenant.id)).filter((row) => row.event === 'queue_menu'),
      2
    )

    // A double tap: two messages of one phone at once line up on its menu; only the first takes a number.
    const taps = await Promise.all([
      post(other.tenant.slug, payload([textMessage('1')])),
      post(other.tenant.slug, payload([textMessage('2')])),
    ])
    assert.deepEqual(
      taps.map((response) => response.status),
      [200, 200]
    )
    await outboxSettled(other.tenant.id)
    assert.lengthOf(await ticketsOf(other.tenant.id), 1)
  })

  test('a second ANTRI answers with the number held; BATAL cancels it, and says when there is nothing to cancel', async ({
    assert,
  }) => {
    const world = await whatsappWorld()
    await send(world, textMessage(`ANTRI ${world.branch.slug}`))
    await send(world, textMessage('1'))
    const [ticket] = await ticketsOf(world.tenant.id)

    await send(world, textMessage(`antri ${world.branch.slug}`))
    assert.lengthOf(await ticketsOf(world.tenant.id), 1)
    const held = (await answersOf(world.tenant.id)).at(-1)!
    assert.equal(held.event, 'queue_ticket_held')
    assert.include(held.body, 'Anda sudah memegang nomor A001 (Layanan 1)')
    assert.include(held.body, `/t/${ticket.id}`)
    assert.equal(lastSent().text.body, held.body)

    await send(world, textMessage('BATAL'))
    await ticket.refresh()
    assert.equal(ticket.status, 'cancelled')
    assert.equal(ticket.cancelReason, 'whatsapp_cancel')
    assert.isTrue(ticket.isSystemCancel)
    const cancelled = (await answersOf(world.tenant.id)).at(-1)!
    assert.deepInclude(cancelled.$attributes, {
      event: 'ticket_cancelled',
      channel: 'whatsapp',
      recipient: PHONE,
    })
    assert.include(lastSent().text.body, 'Nomor antrean A001')
    assert.include(lastSent().text.body, 'telah dibatalkan')

    await send(world, textMessage('Batalkan'))
    assert.equal((await answersOf(world.tenant.id)).at(-1)!.event, 'queue_nothing_to_cancel')
    assert.include(lastSent().text.body, 'Anda tidak memegang nomor antrean')

    // Someone who never queued here writing "batal" is talking to the staff: no queue answer.
    const before = (await answersOf(world.tenant.id)).length
    await send(world, textMessage('batal', '6281299990000'))
    assert.lengthOf(await answersOf(world.tenant.id), before)
  })

  test('"N numbers to go" and the call reach the chat, even with no visitor channel chosen', async ({
    assert,
  }) => {
    const world = await whatsappWorld({ services: 1, counters: 1 })
    world.services[0].notifyAhead = 1
    await world.services[0].save()
    await engine.take(world.branch, world.services[0], { channel: 'web' })
    await engine.take(world.branch, world.services[0], { channel: 'web', phone: '+6281200000001' })
    await send(world, textMessage(`ANTRI ${world.branch.slug}`))
    await send(world, textMessage('1'))
    const [, , ticket] = await ticketsOf(world.tenant.id)
    assert.equal(ticket.number, 'A003')

    const counter = await seat(world.counters[0], world.operator)
    const callAndServe = async () => {
      const called = await engine.callNext(world.branch, { counter, by: world.operator })
      await engine.complete(called!, { counter, by: world.operator })
    }
    await callAndServe()
    await outboxSettled(world.tenant.id)
    const near = (await answersOf(world.tenant.id)).at(-1)!
    assert.deepInclude(near.$attributes, {
      event: 'ticket_near',
      channel: 'whatsapp',
      recipient: PHONE,
      subjectId: ticket.id,
    })
    assert.include(lastSent().text.body, 'Nomor A003: tinggal 1 antrean lagi')

    await callAndServe()
    await engine.callNext(world.branch, { counter, by: world.operator })
    await outboxSettled(world.tenant.id)
    const called = (await answersOf(world.tenant.id)).at(-1)!
    assert.deepInclude(called.$attributes, {
      event: 'ticket_called',
      channel: 'whatsapp',
      recipient: PHONE,
      status: 'sent',
    })
    assert.equal(lastSent().to, FROM)
    assert.include(lastSent().text.body, 'Nomor A003 dipanggil. Silakan menuju Loket 1')
    // The web visitor with a phone hears nothing: this tenant chose no visitor channel.
    assert.notInclude(
      (await answersOf(world.tenant.id)).map((row) => row.recipient),
      '+6281200000001'
    )
  })

  test("an unknown branch, or another tenant's, is answered with this tenant's branches; ANTRI alone needs one branch", async ({
    assert,
  }) => {
    const world = await whatsappWorld()
    const stranger = await createWorld()

    await send(world, textMessage(`ANTRI ${stranger.branch.slug}`))
    const which = (await answersOf(world.tenant.id)).at(-1)!
    assert.equal(which.event, 'queue_which_branch')
    assert.include(which.body, `ANTRI ${world.branch.slug} (${world.branch.name})`)
    assert.notInclude(which.body, stranger.branch.slug)
    assert.equal(await WhatsappQueueMenu.query().where('tenant_id', world.tenant.id).first(), null)

    await send(world, textMessage('ANTRI tidak-ada'))
    assert.equal((await answersOf(world.tenant.id)).at(-1)!.event, 'queue_which_branch')

    await send(world, textMessage('antri'))
    assert.equal((await answersOf(world.tenant.id)).at(-1)!.event, 'queue_menu')

    const second = await Branch.create({
      tenantId: world.tenant.id,
      name: `Cabang Dua ${world.key}`,
      slug: `b2-${world.key}`,
      timezone: 'Asia/Jakarta',
    })
    await send(world, textMessage('ANTRI'))
    const list = (await answersOf(world.tenant.id)).at(-1)!
    assert.equal(list.event, 'queue_which_branch')
    assert.include(list.body, `ANTRI ${second.slug} (${second.name})`)
    assert.include(list.body, `ANTRI ${world.branch.slug}`)
    assert.lengthOf(await ticketsOf(stranger.tenant.id), 0)
  })

  test('a closed branch says when it opens; a full service says so politely and takes nothing', async ({
    assert,
  }) => {
    const closed = await whatsappWorld()
    await Holiday.create({
      tenantId: closed.tenant.id,
      branchId: closed.branch.id,
      date: closed.branch.today(),
      name: 'Libur',
    })
    await send(closed, textMessage(`ANTRI ${closed.branch.slug}`))
    const answer = (await answersOf(closed.tenant.id)).at(-1)!
    assert.equal(answer.event, 'queue_unavailable')
    assert.include(answer.body, `${closed.branch.name}: Maaf, kami sedang tutup. Buka lagi`)

    const full = await whatsappWorld()
    await send(full, textMessage(`ANTRI ${full.branch.slug}`))
    const service = await Service.findOrFail(full.services[0].id)
    service.dailyCapacity = 1
    await service.save()
    await engine.take(full.branch, service, { channel: 'web' })
    await send(full, tapMessage({ id: `q:${service.id}`, title: '1. Layanan 1' }))
    assert.lengthOf(
      (await ticketsOf(full.tenant.id)).filter((ticket) => ticket.channel === 'whatsapp'),
      0
    )
    const refused = (await answersOf(full.tenant.id)).at(-1)!
    assert.equal(refused.event, 'queue_unavailable')
    assert.include(refused.body, 'Kuota Layanan 1 hari ini sudah penuh.')
  })

  test('QUEUE and CANCEL are answered in English, and the ticket keeps that language', async ({
    assert,
  }) => {
    const world = await whatsappWorld()
    await send(world, textMessage(`Queue ${world.branch.slug}`))
    assert.include(lastSent().interactive.body.text, 'Take a queue number at')
    await send(world, textMessage('2'))
    const [ticket] = await ticketsOf(world.tenant.id)
    assert.equal(ticket.locale, 'en')
    assert.include(lastSent().text.body, 'Your queue number is B001')
    await send(world, textMessage('cancel'))
    assert.include(lastSent().text.body, 'Queue number B001')
    await send(world, textMessage('CANCEL'))
    assert.include(lastSent().text.body, 'You hold no queue number')
  })

  test('anything else is left to the inbox: a question, a number with no menu open', async ({
    assert,
  }) => {
    const world = await whatsappWorld()
    await send(world, textMessage('Antri berapa lama ya?'))
    await send(world, textMessage('2'))
    await send(world, tapMessage({ id: 'q:999999', title: 'Lama' }))
    assert.lengthOf(await answersOf(world.tenant.id), 0)
    assert.lengthOf(await ticketsOf(world.tenant.id), 0)
    assert.lengthOf(graph.accepted, 0)
    assert.lengthOf(await WebhookReceipt.query().where('tenant_id', world.tenant.id), 3)
  })
})

test.group('Queue by WhatsApp: the QR poster', () => {
  test('the WhatsApp number saved on the channel gives the poster a wa.me link and its QR code', async ({
    client,
    assert,
  }) => {
    const world = await whatsappWorld()
    const page = await client.get('/admin/qr').loginAs(world.admin)
    page.assertStatus(200)
    page.assertTextIncludes('Isi nomor WhatsApp bisnis')
    assert.notInclude(page.text(), 'wa.me')

    const saved = await client
      .put('/admin/messaging/channels/whatsapp')
      .form({ phone_number_id: PHONE_NUMBER_ID, display_phone: '0811 0000 1111', is_active: '1' })
      .withCsrfToken()
      .loginAs(world.admin)
      .redirects(0)
    saved.assertStatus(302)
    const channel = await MessagingChannel.query()
      .where('tenant_id', world.tenant.id)
      .where('kind', 'whatsapp')
      .firstOrFail()
    assert.equal(channel.settings.display_phone, '+6281100001111')
    assert.equal(channel.settings.app_secret, SECRET)

    const poster = await client.get('/admin/qr').loginAs(world.admin)
    const link = `https://wa.me/6281100001111?text=ANTRI%20${world.branch.slug}`
    poster.assertTextIncludes(link)
    poster.assertTextIncludes('Atau antre lewat WhatsApp')
    assert.equal(poster.text().match(/<svg/g)?.length, 2)

    // Without WhatsApp the poster is the web page's only.
    const plain = await createWorld()
    const alone = await client.get('/admin/qr').loginAs(plain.admin)
    assert.notInclude(alone.text(), 'wa.me')
    assert.notInclude(alone.text(), 'WhatsApp')
  })
})
