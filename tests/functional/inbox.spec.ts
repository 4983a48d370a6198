import { test } from '@japa/runner'
import { createHash, randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import Conversation from '#models/conversation'
import User from '#models/user'
import ConversationMessage from '#models/conversation_message'
import Notification from '#models/notification'
import Rating from '#models/rating'
import RatingCredit from '#models/rating_credit'
import Outlet from '#models/outlet'
import ContactOutlet from '#models/contact_outlet'
import AuditLog from '#models/audit_log'
import UserScope from '#models/user_scope'
import CannedReply from '#models/canned_reply'
import Booking from '#models/booking'
import Customer from '#models/customer'
import Resource from '#models/resource'
import JobService from '#services/field/job_service'
import clock from '#support/clock'
import jobs from '#support/jobs'
import inboxPresence from '#services/inbox/inbox_presence'
import SlaWatch from '#services/inbox/sla_watch'
import app from '@adonisjs/core/services/app'
import drive from '@adonisjs/drive/services/main'
import { FakeWhatsappCloud } from '#tests/fakes/whatsapp_media'
import { PASSWORD } from '#tests/helpers/world'
import { jobsInProcess, outboxSettled, whatsappThrough } from '#tests/helpers/outbox'
import {
  createInboxWorld,
  deliver,
  waMessage,
  webhookBody,
  type InboxWorld,
} from '#tests/helpers/inbox'

const graph = new FakeWhatsappCloud()
const slaWatch = await app.container.make(SlaWatch)
const photo = await readFile(
  fileURLToPath(new URL('../../public/icons/icon-192.png', import.meta.url))
)

/** A customer writes `text`; returns their conversation once stored. */
async function customerWrites(world: InboxWorld, from: string, text = 'Mesin kasir mati') {
  const response = await deliver(
    world,
    webhookBody({
      messages: [
        waMessage(
          from,
          { type: 'text', text: { body: text } },
          { timestamp: Math.floor(clock.now().toSeconds()) }
        ),
      ],
    })
  )
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`)
  return Conversation.query()
    .where('tenant_id', world.tenant.id)
    .orderBy('id', 'desc')
    .firstOrFail()
}

function messagesOf(conversation: Conversation) {
  return ConversationMessage.query().where('conversation_id', conversation.id).orderBy('id')
}

test.group('Inbox: inbound WhatsApp messages', (group) => {
  let restoreJobs: () => Promise<void>
  let restoreGraph: () => void
  group.setup(async () => {
    await graph.start()
    return () => graph.stop()
  })
  group.each.setup(() => {
    graph.reset()
    restoreJobs = jobsInProcess()
    restoreGraph = whatsappThrough(graph)
    return async () => {
      clock.reset()
      restoreGraph()
      await restoreJobs()
    }
  })

  test('a message opens a support conversation with its SLA clocks; a repeat is stored once; the next joins it', async ({
    assert,
  }) => {
    const world = await createInboxWorld()
    const message = waMessage('6281234567890', { type: 'text', text: { body: 'Printer error' } })
    const body = webhookBody({ messages: [message], names: ['Pak Joko'] })
    assert.equal((await deliver(world, body)).status, 200)
    assert.equal((await deliver(world, body)).status, 200)

    const conversation = await Conversation.query()
      .where('tenant_id', world.tenant.id)
      .preload('contact')
      .firstOrFail()
    assert.equal(conversation.kind, 'support')
    assert.equal(conversation.status, 'open')
    assert.equal(conversation.unreadCount, 1)
    assert.equal(conversation.contact.phone, '+6281234567890')
    assert.equal(conversation.contact.displayName, 'Pak Joko')
    assert.isNotNull(conversation.waitingSince)
    // A tenant with no opening hours counts around the clock: 5 minutes after the message.
    assert.equal(
      conversation.firstResponseDueAt!.toMillis() - conversation.waitingSince!.toMillis(),
      5 * 60_000
    )
    assert.isNotNull(conversation.resolutionDueAt)
    const stored = await messagesOf(conversation)
    assert.lengthOf(stored, 1)
    assert.deepInclude(stored[0].$attributes, {
      direction: 'in',
      kind: 'text',
      body: 'Printer error',
      waMessageId: message.id,
    })

    await customerWrites(world, '6281234567890', 'Masih error')
    assert.lengthOf(await Conversation.query().where('tenant_id', world.tenant.id), 1)
    assert.lengthOf(await messagesOf(conversation), 2)
    assert.equal((await Conversation.findOrFail(conversation.id)).unreadCount, 2)
  })

  test('a photo is fetched from the Graph API, checked against its sha256 and kept; a lying checksum is refused', async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    graph.accessToken = `token-${world.key}`
    const good = graph.add(photo, 'image/png')
    const lying = graph.add(photo, 'image/png', { sha256: 'ab'.repeat(32) })
    await deliver(
      world,
      webhookBody({
        messages: [
          waMessage('6281111111111', {
            type: 'image',
            image: { id: good, mime_type: 'image/png', caption: 'Layar kasir' },
          }),
          waMessage('6281111111111', {
            type: 'document',
            document: { id: lying, mime_type: 'application/pdf', filename: 'nota.pdf' },
          }),
        ],
      })
    )
    await jobs.idle()
    const conversation = await Conversation.query()
      .where('tenant_id', world.tenant.id)
      .firstOrFail()
    const [image, document] = await messagesOf(conversation)
    assert.deepInclude(image.$attributes, {
      kind: 'image',
      body: 'Layar kasir',
      mediaStatus: 'stored',
      mediaType: 'image/png',
      mediaSize: photo.length,
      mediaSha256: createHash('sha256').update(photo).digest('hex'),
    })
    assert.equal(document.mediaStatus, 'failed')

    const served = await client
      .get(`/app/inbox/${conversation.id}/media/${image.id}`)
      .loginAs(world.rina)
    served.assertStatus(200)
    assert.equal(served.header('content-type'), 'image/png')
    assert.equal(served.header('x-content-type-options'), 'nosniff')
    ;(
      await client.get(`/app/inbox/${conversation.id}/media/${document.id}`).loginAs(world.rina)
    ).assertStatus(404)
    const other = await createInboxWorld()
    ;(
      await client.get(`/app/inbox/${conversation.id}/media/${image.id}`).loginAs(other.rina)
    ).assertStatus(404)
  })

  test('a location, a button reply and an unknown type are kept readable', async ({ assert }) => {
    const world = await createInboxWorld()
    await deliver(
      world,
      webhookBody({
        messages: [
          waMessage('6282222222222', {
            type: 'location',
            location: { latitude: -6.2, longitude: 106.8, name: 'Toko Maju' },
          }),
          waMessage('6282222222222', {
            type: 'interactive',
            interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Ya' } },
          }),
          waMessage('6282222222222', { type: 'reaction', reaction: { emoji: '👍' } }),
        ],
      })
    )
    const conversation = await Conversation.query()
      .where('tenant_id', world.tenant.id)
      .firstOrFail()
    const stored = await messagesOf(conversation)
    assert.deepEqual(
      stored.map((message) => [message.kind, message.body]),
      [
        ['location', 'Toko Maju\n-6.2,106.8'],
        ['interactive', 'Ya'],
        ['unsupported', 'reaction'],
      ]
    )
  })
})

test.group('Inbox: agents at work', (group) => {
  let restoreJobs: () => Promise<void>
  let restoreGraph: () => void
  group.setup(async () => {
    await graph.start()
    return () => graph.stop()
  })
  group.each.setup(() => {
    graph.reset()
    restoreJobs = jobsInProcess()
    restoreGraph = whatsappThrough(graph)
    return async () => {
      clock.reset()
      restoreGraph()
      await restoreJobs()
    }
  })

  test('the list shows the conversation; the agent replies inside the window; WhatsApp statuses show on the reply', async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    const conversation = await customerWrites(world, '6281234567890', 'Kasir tidak bisa login')

    const list = await client.get('/app/inbox').loginAs(world.rina)
    list.assertStatus(200)
    list.assertTextIncludes(`data-conversation="${conversation.id}"`)
    list.assertTextIncludes('Pak Joko')
    const page = await client.get(`/app/inbox/${conversation.id}`).loginAs(world.rina)
    page.assertStatus(200)
    page.assertTextIncludes('Kasir tidak bisa login')
    const [incoming] = await messagesOf(conversation)
    assert.equal((await Conversation.findOrFail(conversation.id)).unreadCount, 0)

    const reply = await client
      .post(`/app/inbox/${conversation.id}/reply`)
      .form({ text: 'Baik Pak, kami cek sekarang.', seen_message_id: incoming.id })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.rina)
    reply.assertStatus(302)
    await outboxSettled(world.tenant.id)
    const [sent] = graph.accepted
    assert.equal(sent.payload.to, '6281234567890')
    assert.equal(sent.payload.type, 'text')
    assert.equal(sent.payload.text.body, 'Baik Pak, kami cek sekarang.')

    const answered = await Conversation.findOrFail(conversation.id)
    assert.isNotNull(answered.firstRespondedAt)
    assert.isNull(answered.waitingSince)
    assert.equal(answered.assigneeId, world.rina.id)
    const out = (await messagesOf(conversation))[1]
    assert.deepInclude(out.$attributes, { direction: 'out', authorId: world.rina.id })

    await deliver(
      world,
      webhookBody({
        statuses: [
          {
            id: sent.id,
            status: 'read',
            timestamp: String(Math.floor(Date.now() / 1000)),
            recipient_id: '6281234567890',
          },
        ],
      })
    )
    const thread = await client.get(`/app/inbox/${conversation.id}`).loginAs(world.budi)
    thread.assertTextIncludes('dibaca')
  })

  test('an agent sends a photo and a PDF inside the window (uploaded to the Graph API, sent by media id); outside it, of a refused type or too large, nothing is sent or kept', async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    graph.accessToken = `token-${world.key}`
    const conversation = await customerWrites(world, '6281255550005', 'Kirim notanya ya')
    const storedFiles = async () => {
      const listing = await drive
        .use()
        .listAll(`inbox/${world.tenant.id}/${conversation.id}`, { recursive: true })
      return [...listing.objects].length
    }
    // Another run of the suite may have left files under the same ids in tmp/uploads.
    const before = await storedFiles()
    const send = async (attach: (request: any) => any, text = '') => {
      const seen = (await messagesOf(conversation)).at(-1)!.id
      return attach(
        client
          .post(`/app/inbox/${conversation.id}/reply`)
          .field('text', text)
          .field('seen_message_id', String(seen))
          .redirects(0)
          .withCsrfToken()
          .loginAs(world.rina)
      )
    }
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')

    ;(
      await send(
        (request) => request.file('attachment', photo, { filename: 'layar.png' }),
        'Ini tangkapan layarnya'
      )
    ).assertStatus(302)
    ;(
      await send((request) =>
        request.file('attachment', pdf, { filename: 'C:\\nota\\nota-123.pdf' })
      )
    ).assertStatus(302)
    await outboxSettled(world.tenant.id)

    assert.lengthOf(graph.accepted, 2)
    const [image, document] = graph.accepted.map((accepted) => accepted.payload)
    assert.equal(image.type, 'image')
    assert.equal(image.image.caption, 'Ini tangkapan layarnya')
    assert.deepEqual(graph.uploads.get(image.image.id)!.bytes, photo)
    assert.equal(graph.uploads.get(image.image.id)!.mimeType, 'image/png')
    assert.equal(document.type, 'document')
    assert.equal(document.document.filename, 'nota-123.pdf')
    assert.notProperty(document.document, 'caption')
    assert.deepEqual(graph.uploads.get(document.document.id)!.bytes, pdf)

    const sent = (await messagesOf(conversation)).filter((message) => message.direction === 'out')
    assert.deepEqual(
      sent.map((message) => [message.kind, message.mediaType, message.mediaStatus, message.body]),
      [
        ['image', 'image/png', 'stored', 'Ini tangkapan layarnya'],
        ['document', 'application/pdf', 'stored', null],
      ]
    )
    const served = await client
      .get(`/app/inbox/${conversation.id}/media/${sent[0].id}`)
      .loginAs(world.budi)
    served.assertStatus(200)
    assert.equal(served.header('content-type'), 'image/png')
    const thread = await client.get(`/app/inbox/${conversation.id}`).loginAs(world.rina)
    thread.assertTextIncludes(`/app/inbox/${conversation.id}/media/${sent[0].id}`)
    thread.assertTextIncludes('nota-123.pdf')
    assert.equal(await storedFiles(), before + 2)

    const disguised = await send((request) =>
      request
        .file('attachment', Buffer.from('<html><script>alert(1)</script></html>'), {
          filename: 'x.png',
        })
        .accept('json')
    )
    disguised.assertStatus(422)
    assert.equal(disguised.body().error.code, 'E_UPLOAD_TYPE_REFUSED')

    const big = Buffer.concat([photo, Buffer.alloc(5 * 1024 * 1024)])
    const tooLarge = await send((request) =>
      request.file('attachment', big, { filename: 'besar.png' }).accept('json')
    )
    tooLarge.assertStatus(422)

    clock.travelTo(clock.now().plus({ hours: 25 }))
    const late = await send((request) =>
      request.file('attachment', photo, { filename: 'layar.png' }).accept('json')
    )
    late.assertStatus(409)
    assert.equal(late.body().error.code, 'E_INBOX_WINDOW_CLOSED')

    assert.equal(await storedFiles(), before + 2)
    assert.lengthOf(
      (await messagesOf(conversation)).filter((message) => message.direction === 'out'),
      2
    )
  })

  test('a reply on a thread that got a newer message is refused with it shown, and goes once confirmed', async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    const conversation = await customerWrites(world, '6281234567891', 'Halo')
    const [first] = await messagesOf(conversation)
    await customerWrites(world, '6281234567891', 'Tolong cepat, toko mau buka')

    const stale = await client
      .post(`/app/inbox/${conversation.id}/reply`)
      .form({ text: 'Halo Pak', seen_message_id: first.id })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.rina)
    stale.assertStatus(409)
    assert.equal(stale.body().error.code, 'E_INBOX_REPLY_STALE')
    assert.lengthOf(
      (await messagesOf(conversation)).filter((message) => message.direction === 'out'),
      0
    )

    const page = await client
      .post(`/app/inbox/${conversation.id}/reply`)
      .form({ text: 'Halo Pak', seen_message_id: first.id })
      .header('referer', `/app/inbox/${conversation.id}`)
      .withCsrfToken()
      .loginAs(world.rina)
    page.assertTextIncludes('Tolong cepat, toko mau buka')
    page.assertTextIncludes('data-testid="stale-warning"')
    page.assertTextIncludes('Halo Pak</textarea>')

    const confirmed = await client
      .post(`/app/inbox/${conversation.id}/reply`)
      .form({ text: 'Halo Pak', seen_message_id: first.id, confirmed: 'true' })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.rina)
    confirmed.assertStatus(302)

    // Budi wrote his answer before Rina's went out: his is stale too.
    const late = await client
      .post(`/app/inbox/${conversation.id}/reply`)
      .form({ text: 'Selamat pagi', seen_message_id: first.id + 1 })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.budi)
    late.assertStatus(409)
  })

  test('another agent on the thread is shown: viewing, then replying while they type', async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    const conversation = await customerWrites(world, '6281234567892')
    await client.get(`/app/inbox/${conversation.id}`).loginAs(world.rina)
    const viewing = await client
      .post(`/app/inbox/${conversation.id}/presence`)
      .json({ typing: false })
      .withCsrfToken()
      .loginAs(world.budi)
    viewing.assertStatus(200)
    assert.include(viewing.text(), `${world.rina.fullName} sedang melihat`)

    await client
      .post(`/app/inbox/${conversation.id}/presence`)
      .json({ typing: true })
      .withCsrfToken()
      .loginAs(world.rina)
    const typing = await client
      .post(`/app/inbox/${conversation.id}/presence`)
      .json({})
      .withCsrfToken()
      .loginAs(world.budi)
    assert.include(typing.text(), `${world.rina.fullName} sedang membalas`)
    assert.notInclude(typing.text(), world.budi.fullName)
  })

  test('outside the 24-hour window only an approved template goes, with its parameters', async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    const conversation = await customerWrites(world, '6281234567893')
    const [incoming] = await messagesOf(conversation)
    clock.travelTo(clock.now().plus({ hours: 25 }))

    const page = await client.get(`/app/inbox/${conversation.id}`).loginAs(world.rina)
    page.assertTextIncludes('data-testid="window-closed"')
    const text = await client
      .post(`/app/inbox/${conversation.id}/reply`)
      .form({ text: 'Halo', seen_message_id: incoming.id })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.rina)
    text.assertStatus(409)
    assert.equal(text.body().error.code, 'E_INBOX_WINDOW_CLOSED')

    const template = await client
      .post(`/app/inbox/${conversation.id}/reply`)
      .form({
        'template': 'loket_follow_up',
        'parameters[0]': 'Pak Joko',
        'parameters[1]': 'mesin kasir',
        'seen_message_id': incoming.id,
      })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.rina)
    template.assertStatus(302)
    await outboxSettled(world.tenant.id)
    const [sent] = graph.accepted
    assert.equal(sent.payload.type, 'template')
    assert.equal(sent.payload.template.name, 'loket_follow_up')
    assert.deepEqual(
      sent.payload.template.components[0].parameters.map((parameter: any) => parameter.text),
      ['Pak Joko', 'mesin kasir']
    )
    const out = (await messagesOf(conversation)).at(-1)!
    assert.equal(out.kind, 'template')
    assert.include(out.body!, 'Halo Pak Joko, kami menindaklanjuti pesan Anda tentang mesin kasir')
  })

  test('resolving asks for a rating crediting the agent; the customer writing again reopens it, counted', async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    const conversation = await customerWrites(world, '6281234567894')
    const resolved = await client
      .post(`/app/inbox/${conversation.id}/move`)
      .form({ status: 'resolved', outcome: 'fixed' })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.budi)
    resolved.assertStatus(302)
    const after = await Conversation.findOrFail(conversation.id)
    assert.deepInclude(after.$attributes, {
      status: 'resolved',
      outcome: 'fixed',
      resolvedBy: world.budi.id,
    })
    const rating = await Rating.query()
      .where('tenant_id', world.tenant.id)
      .where('subject_type', 'conversation')
      .firstOrFail()
    assert.equal(rating.recipient, '+6281234567894')
    const credits = await RatingCredit.query().where('rating_id', rating.id)
    assert.deepEqual(
      credits.map((credit) => [credit.part, credit.userId]),
      [['agent', world.budi.id]]
    )

    await customerWrites(world, '6281234567894', 'Error lagi')
    const reopened = await Conversation.findOrFail(conversation.id)
    assert.equal(reopened.status, 'open')
    assert.equal(reopened.reopenCount, 1)
    assert.isNull(reopened.resolvedAt)

    const pending = await client
      .post(`/app/inbox/${conversation.id}/move`)
      .form({ status: 'pending' })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.budi)
    pending.assertStatus(302)
    const closed = await client
      .post(`/app/inbox/${conversation.id}/move`)
      .form({ status: 'closed' })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.budi)
    closed.assertStatus(200)
    const back = await client
      .post(`/app/inbox/${conversation.id}/move`)
      .form({ status: 'open' })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.budi)
    back.assertStatus(409)
  })

  test('pending stops the resolution clock and the customer writing starts it again from where it stopped', async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    const conversation = await customerWrites(world, '6281234567895')
    const target = 8 * 60 * 60
    clock.travelTo(clock.now().plus({ hours: 2 }))
    await client
      .post(`/app/inbox/${conversation.id}/move`)
      .form({ status: 'pending' })
      .withCsrfToken()
      .loginAs(world.rina)
    const paused = await Conversation.findOrFail(conversation.id)
    assert.equal(paused.status, 'pending')
    assert.closeTo(paused.resolutionSpentSeconds, 2 * 60 * 60, 5)

    clock.travelTo(clock.now().plus({ hours: 20 }))
    await customerWrites(world, '6281234567895', 'Sudah saya coba')
    const resumed = await Conversation.findOrFail(conversation.id)
    assert.equal(resumed.status, 'open')
    assert.closeTo(
      resumed.resolutionDueAt!.toMillis() - clock.now().toMillis(),
      (target - paused.resolutionSpentSeconds) * 1000,
      5_000
    )
  })

  test('a first response not given in time is flagged within seconds of its due time, and the supervisor is told', async ({
    assert,
  }) => {
    const world = await createInboxWorld()
    // Meta delivers a message written 4 min 58 s ago: its first response is due in 2 seconds.
    const writtenAt = Math.floor(Date.now() / 1000) - 298
    await deliver(
      world,
      webhookBody({ messages: [waMessage('6281234567896', undefined, { timestamp: writtenAt })] })
    )
    const conversation = await Conversation.query()
      .where('tenant_id', world.tenant.id)
      .firstOrFail()
    const due = conversation.firstResponseDueAt!.toMillis()
    // Exactly 5 minutes after the message was written (the tenant counts around the clock).
    assert.equal(due, (writtenAt + 300) * 1000)

    const deadline = Date.now() + 10_000
    let flagged = await Conversation.findOrFail(conversation.id)
    while (!flagged.firstResponseBreached && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      flagged = await Conversation.findOrFail(conversation.id)
    }
    assert.isTrue(flagged.firstResponseBreached)
    assert.isBelow(flagged.updatedAt.toMillis() - due, 3_000, 'flagged within seconds of due')
    const alerts = await Notification.query()
      .where('tenant_id', world.tenant.id)
      .where('event', 'inbox_sla_breached')
    assert.includeMembers(
      alerts.map((alert) => alert.recipient),
      [world.supervisor.phone]
    )
    // The sweeper finds nothing more to flag.
    assert.equal(await slaWatch.sweep(), 0)
  })

  test('round-robin gives new conversations to the available agents in turn', async ({
    assert,
  }) => {
    const world = await createInboxWorld()
    await inboxPresence.beat(world.tenant.id, null, world.rina)
    await inboxPresence.beat(world.tenant.id, null, world.budi)
    const first = await customerWrites(world, '6281200000001')
    clock.travelTo(clock.now().plus({ seconds: 1 }))
    const second = await customerWrites(world, '6281200000002')
    clock.travelTo(clock.now().plus({ seconds: 2 }))
    const third = await customerWrites(world, '6281200000003')
    const assignees = [first, second, third].map((conversation) => conversation.assigneeId)
    assert.sameMembers(assignees.slice(0, 2), [world.rina.id, world.budi.id])
    assert.equal(assignees[2], assignees[0])
  })

  test('the list finds conversations by phone digits, name, words of a message and outlet id; breached ones come first', async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    const printer = await customerWrites(world, '6281311110001', 'Printer struk macet terus')
    clock.travelTo(clock.now().plus({ seconds: 1 }))
    const login = await customerWrites(world, '6281322220002', 'Tidak bisa login ke dashboard')
    clock.travelTo(clock.now().plus({ seconds: 1 }))
    const newest = await customerWrites(world, '6281333330003', 'Halo')
    login.fid = 'F-77'
    login.oid = 'O-1'
    await login.save()
    const shown = async (query: string) => {
      const page = await client.get(`/app/inbox?${query}`).loginAs(world.rina)
      page.assertStatus(200)
      return [...page.text().matchAll(/data-conversation="(\d+)"/g)].map((match) =>
        Number(match[1])
      )
    }

    assert.deepEqual(await shown(''), [newest.id, login.id, printer.id])
    assert.deepEqual(await shown('q=1111'), [printer.id])
    assert.deepEqual(await shown('q=0813-2222-0002'), [login.id])
    assert.deepEqual(await shown('q=printer+macet'), [printer.id])
    assert.deepEqual(await shown('q=the+dashboard'), [login.id])
    assert.deepEqual(await shown('q=F-77'), [login.id])
    assert.deepEqual(await shown('q=tidak+ada+yang+cocok'), [])

    printer.firstResponseBreached = true
    await printer.save()
    assert.isTrue((await Conversation.findOrFail(printer.id)).slaBreached)
    assert.deepEqual(await shown(''), [printer.id, newest.id, login.id])
    assert.deepEqual(await shown('sla=breached'), [printer.id])
  })

  test("the thread shows the contact's bookings, visit jobs and ratings; another tenant's are not", async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    const conversation = await customerWrites(world, '6281244440004', 'AC bocor lagi')
    const phone = '+6281244440004'
    const resource = await Resource.create({
      tenantId: world.tenant.id,
      branchId: world.branch.id,
      kind: 'booth',
      name: 'Booth 1',
      position: 1,
      isActive: true,
    })
    const start = clock.now().minus({ days: 3 })
    const booking = await Booking.create({
      id: randomUUID(),
      tenantId: world.tenant.id,
      branchId: world.branch.id,
      resourceId: resource.id,
      serviceId: world.services[0].id,
      code: `B${world.key.slice(0, 6).toUpperCase()}`,
      status: 'done',
      channel: 'web',
      startsAt: start,
      endsAt: start.plus({ minutes: 30 }),
      serviceDate: start.toISODate()!,
      localTime: '10:00',
      customerName: 'Pak Joko',
      customerPhone: phone,
      price: 0,
      currency: 'IDR',
    })
    const customer = await Customer.create({
      tenantId: world.tenant.id,
      name: 'Pak Joko',
      phone,
      address: 'Jl. Melati 5',
      status: 'active',
      source: 'manual',
    })
    const jobService = await app.container.make(JobService)
    const job = await jobService.create(
      world.branch,
      {
        customerId: customer.id,
        title: 'Servis AC',
        plannedStart: world.branch.today(),
        plannedEnd: world.branch.today(),
        quota: 1,
      },
      { by: world.supervisor }
    )
    const rating = (tenantId: number, comment: string) =>
      Rating.create({
        tenantId,
        subjectType: 'booking',
        subjectId: randomUUID(),
        label: 'Servis AC',
        token: randomUUID().replaceAll('-', ''),
        channel: 'whatsapp',
        recipient: phone,
        locale: 'id',
        expiresAt: clock.now().plus({ days: 7 }),
        score: 4,
        comment,
        answeredAt: clock.now().minus({ days: 1 }),
      })
    await rating(world.tenant.id, 'Teknisi ramah')
    const other = await createInboxWorld()
    await rating(other.tenant.id, 'Rahasia tenant lain')

    const page = await client.get(`/app/inbox/${conversation.id}`).loginAs(world.rina)
    page.assertStatus(200)
    page.assertTextIncludes('data-testid="contact-history"')
    page.assertTextIncludes(booking.code)
    page.assertTextIncludes(job.code)
    page.assertTextIncludes('Teknisi ramah')
    page.assertTextIncludes('★★★★☆')
    assert.notInclude(page.text(), 'Rahasia tenant lain')
  })
})

test.group('Inbox: who sees what', (group) => {
  let restoreJobs: () => Promise<void>
  group.each.setup(() => {
    restoreJobs = jobsInProcess()
    return () => restoreJobs()
  })

  test('each team sees its own tickets: support for agents, leads for sales, renewals for the renewal team; managers switch', async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    const support = await customerWrites(world, '6281266660001', 'Printer error')
    const lead = await customerWrites(world, '6281266660002', 'Berapa harganya?')
    const renewal = await customerWrites(world, '6281266660003', 'Sudah saya bayar')
    await Conversation.query().where('id', lead.id).update({ kind: 'lead' })
    await Conversation.query().where('id', renewal.id).update({ kind: 'renewal' })
    const member = (role: User['role']) =>
      User.create({
        tenantId: world.tenant.id,
        branchId: null,
        fullName: `${role} ${world.key}`,
        email: `${role}-${world.key}@test.loket`,
        password: PASSWORD,
        role,
        isActive: true,
      })
    const shown = async (user: User, query = '') => {
      const page = await client.get(`/app/inbox${query}`).loginAs(user)
      page.assertStatus(200)
      return [...page.text().matchAll(/data-conversation="(\d+)"/g)].map((match) =>
        Number(match[1])
      )
    }
    assert.deepEqual(await shown(world.rina), [support.id])
    assert.deepEqual(await shown(world.rina, '?team=lead'), [support.id])
    const sales = await member('sales')
    assert.deepEqual(await shown(sales), [lead.id])
    assert.deepEqual(await shown(sales, '?team=support'), [support.id])
    assert.deepEqual(await shown(sales, '?team=renewal'), [lead.id])
    assert.deepEqual(await shown(await member('renewal')), [renewal.id])
    assert.deepEqual(await shown(world.supervisor), [support.id])
    assert.deepEqual(await shown(world.supervisor, '?team=renewal'), [renewal.id])
    const thread = await client.get(`/app/inbox/${lead.id}`).loginAs(sales)
    thread.assertTextIncludes('data-testid="ticket-team"')
  })

  test("a scoped agent sees only their franchise's conversations; another tenant's are 404; a technician gets 403", async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    await Outlet.createMany([
      {
        tenantId: world.tenant.id,
        fid: 'F1',
        oid: 'O1',
        name: 'Kopi Satu',
        phone: '+6281300000001',
        status: 'active',
      },
      {
        tenantId: world.tenant.id,
        fid: 'F2',
        oid: 'O1',
        name: 'Kopi Dua',
        phone: '+6281300000002',
        status: 'active',
      },
    ])
    const mine = await customerWrites(world, '6281300000001')
    const theirs = await customerWrites(world, '6281300000002')
    assert.equal(mine.fid, 'F1')
    assert.equal(theirs.fid, 'F2')
    await UserScope.create({
      tenantId: world.tenant.id,
      userId: world.rina.id,
      fid: 'F1',
      oid: null,
    })

    const list = await client.get('/app/inbox').loginAs(world.rina)
    list.assertTextIncludes(`data-conversation="${mine.id}"`)
    assert.notInclude(list.text(), `data-conversation="${theirs.id}"`)
    ;(await client.get(`/app/inbox/${theirs.id}`).loginAs(world.rina)).assertStatus(404)
    ;(await client.get(`/app/inbox/${theirs.id}`).loginAs(world.budi)).assertStatus(200)

    const other = await createInboxWorld()
    ;(await client.get(`/app/inbox/${mine.id}`).loginAs(other.rina)).assertStatus(404)
    const foreign = await client
      .post(`/app/inbox/${mine.id}/reply`)
      .form({ text: 'x', seen_message_id: 0 })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(other.rina)
    foreign.assertStatus(404)
    ;(await client.get('/app/inbox').loginAs(world.operator)).assertStatus(403)
  })

  test("an agent links the writer to an outlet in one step; no outlet, an odd id or another tenant's changes nothing", async ({
    client,
    assert,
  }) => {
    const outletOf = ({ tenant }: InboxWorld, n: number) =>
      Outlet.create({
        tenantId: tenant.id,
        fid: `F${n}`,
        oid: `O${n}`,
        name: `Kopi ${n}`,
        phone: `+6281300000${n}${n}${n}`,
        status: 'active',
      })
    const world = await createInboxWorld()
    const outlet = await outletOf(world, 7)
    const theirs = await outletOf(await createInboxWorld(), 8)
    const conversation = await customerWrites(world, '6281300000999')
    assert.isNull(conversation.outletId)
    const link = (outletId?: string | number) =>
      client
        .post(`/app/inbox/${conversation.id}/link`)
        .form(outletId === undefined ? {} : { outlet_id: outletId })
        .header('accept', 'application/json')
        .withCsrfToken()
        .loginAs(world.rina)

    for (const odd of [undefined, '', 'abc', 'Infinity', '1e400', -1, 1.5]) {
      const refused = await link(odd)
      refused.assertStatus(422)
      assert.equal(refused.body().error.code, 'E_VALIDATION_ERROR', String(odd))
    }
    ;(await link(theirs.id)).assertStatus(404)
    ;(await link(987654321)).assertStatus(404)
    assert.lengthOf(await ContactOutlet.query().where('contact_id', conversation.contactId), 0)

    const linked = await client
      .post(`/app/inbox/${conversation.id}/link`)
      .form({ outlet_id: outlet.id })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.rina)
    linked.assertStatus(302)
    await conversation.refresh()
    assert.include(conversation, { outletId: outlet.id, fid: 'F7', oid: 'O7' })
    const links = await ContactOutlet.query().where('contact_id', conversation.contactId)
    assert.deepEqual(
      links.map((row) => [row.outletId, row.source, row.linkedBy]),
      [[outlet.id, 'agent', world.rina.id]]
    )
    const audited = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .whereIn('action', ['outlet.linked', 'conversation.outlet_set'])
    assert.sameMembers(
      audited.map((entry) => entry.action),
      ['outlet.linked', 'conversation.outlet_set']
    )
  })

  test('canned replies: managers keep them, shortcuts are unique, the thread offers them filled in', async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    const saved = await client
      .post('/app/inbox-canned')
      .form({
        shortcut: 'Salam',
        title: 'Salam pembuka',
        body: 'Halo {{name}}, ada yang bisa dibantu?',
      })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.supervisor)
    saved.assertStatus(302)
    const reply = await CannedReply.query().where('tenant_id', world.tenant.id).firstOrFail()
    assert.equal(reply.shortcut, 'salam')
    const twice = await client
      .post('/app/inbox-canned')
      .form({ shortcut: 'salam', title: 'Lagi', body: 'x' })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.supervisor)
    twice.assertStatus(422)
    ;(await client.get('/app/inbox-canned').loginAs(world.rina)).assertStatus(403)

    const conversation = await customerWrites(world, '6281234567897')
    const page = await client.get(`/app/inbox/${conversation.id}`).loginAs(world.rina)
    page.assertTextIncludes('data-canned-body="Halo Pak Joko, ada yang bisa dibantu?"')

    const other = await createInboxWorld()
    ;(
      await client
        .delete(`/app/inbox-canned/${reply.id}`)
        .header('accept', 'application/json')
        .withCsrfToken()
        .loginAs(other.supervisor)
    ).assertStatus(404)
  })

  test('inbox settings: categories with their own SLA, templates; bad lines are refused with their number', async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    const saved = await client
      .put('/app/inbox-settings')
      .form({
        categories: 'teknis | Kendala teknis | 10 | 120\ntagihan | Tagihan',
        templates: 'loket_follow_up | id | Halo {{1}}, ada kabar?',
        first_response_minutes: 15,
        resolution_minutes: 240,
        reopen_days: 3,
        csat_enabled: '1',
      })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.supervisor)
    saved.assertStatus(302)
    await world.tenant.refresh()
    const settings = world.tenant.inbox
    assert.deepEqual(
      settings.categories.map((category) => category.key),
      ['teknis', 'tagihan']
    )
    assert.deepEqual(settings.categoryTargets.teknis, {
      firstResponseMinutes: 10,
      resolutionMinutes: 120,
    })
    assert.equal(settings.firstResponseMinutes, 15)
    assert.isFalse(settings.autoAssign)
    assert.equal(settings.templates[0].body, 'Halo {{1}}, ada kabar?')

    const bad = await client
      .put('/app/inbox-settings')
      .form({
        categories: 'teknis | Teknis\nBAD KEY | x',
        first_response_minutes: 15,
        resolution_minutes: 240,
        reopen_days: 3,
      })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.supervisor)
    bad.assertStatus(422)
    assert.include(bad.body().error.message, '2')
    ;(await client.get('/app/inbox-settings').loginAs(world.rina)).assertStatus(403)

    // A ticket filed under a category follows its targets.
    const conversation = await customerWrites(world, '6281234567898')
    await client
      .post(`/app/inbox/${conversation.id}/categorize`)
      .form({ category: 'teknis' })
      .withCsrfToken()
      .loginAs(world.rina)
    const filed = await Conversation.findOrFail(conversation.id)
    assert.equal(filed.category, 'teknis')
    assert.equal(filed.firstResponseDueAt!.toMillis() - filed.waitingSince!.toMillis(), 10 * 60_000)
  })
})
