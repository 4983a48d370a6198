import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import drive from '@adonisjs/drive/services/main'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import Retention from '#services/privacy/retention'
import PrivacyRetention from '#commands/privacy_retention'
import { toSqlDateTime } from '#models/columns'
import clock from '#support/clock'
import { FakeWhatsappGraph } from '#tests/fakes/whatsapp_graph'
import { whatsappThrough } from '#tests/helpers/outbox'
import { createInboxWorld, deliver, waMessage, webhookBody } from '#tests/helpers/inbox'
import type { InboxWorld } from '#tests/helpers/inbox'

const graph = new FakeWhatsappGraph()

/** A WhatsApp number (digits, as Meta sends it) no other test uses, and its E.164. */
function freshNumber() {
  const digits = `62813${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`
  return { digits, phone: `+${digits}` }
}

async function customerWrites(world: InboxWorld, digits: string, text = 'Halo, saya Siti') {
  const response = await deliver(
    world,
    webhookBody({
      messages: [
        waMessage(
          digits,
          { type: 'text', text: { body: text } },
          { timestamp: Math.floor(clock.now().toSeconds()) }
        ),
      ],
      names: ['Siti Aminah'],
    })
  )
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`)
}

/**
 * Everything Loket may hold of one person in `world`: a WhatsApp contact with a conversation, a
 * text and a photo (a real file on the drive), a queue number with its history, a booking, a
 * rating with a comment, a message sent to them, a field customer, a lead and an SMS opt-out.
 */
async function personIn(world: InboxWorld, number = freshNumber()) {
  const { digits, phone } = number
  const email = `siti-${world.key}@example.com`
  const now = toSqlDateTime(clock.now())
  await customerWrites(world, digits)
  const contact = await db
    .from('contacts')
    .where({ tenant_id: world.tenant.id, phone })
    .firstOrFail()
  const conversation = await db
    .from('conversations')
    .where({ tenant_id: world.tenant.id, contact_id: contact.id })
    .firstOrFail()
  const mediaKey = `inbox/${world.tenant.id}/${conversation.id}/${randomUUID()}.png`
  await drive.use().put(mediaKey, Buffer.from('not really a png'), { contentType: 'image/png' })
  await db.table('conversation_messages').insert({
    tenant_id: world.tenant.id,
    conversation_id: conversation.id,
    direction: 'in',
    kind: 'image',
    body: 'Foto KTP saya',
    media_id: 'media-1',
    media_path: mediaKey,
    media_type: 'image/png',
    media_size: 16,
    media_name: 'ktp-siti.png',
    media_status: 'stored',
    created_at: now,
  })
  const [service] = world.services
  const ticketId = randomUUID()
  await db.table('tickets').insert({
    id: ticketId,
    tenant_id: world.tenant.id,
    branch_id: world.branch.id,
    service_id: service.id,
    origin_service_id: service.id,
    service_date: clock.now().toISODate(),
    cycle: 1,
    sequence: Math.floor(Math.random() * 1e6),
    number: 'A001',
    status: 'completed',
    channel: 'whatsapp',
    local_hour: 12,
    customer_name: 'Siti Aminah',
    customer_phone: phone,
    note: 'Alergi obat',
    queued_at: now,
    created_at: now,
    updated_at: now,
  })
  await db.table('ticket_events').insert({
    tenant_id: world.tenant.id,
    branch_id: world.branch.id,
    ticket_id: ticketId,
    type: 'noted',
    to_status: 'completed',
    note: 'Siti minta dipanggil duluan',
    created_at: now,
  })
  const [resourceId] = await db.table('resources').insert({
    tenant_id: world.tenant.id,
    branch_id: world.branch.id,
    kind: 'room',
    name: `Ruang ${randomUUID().slice(0, 6)}`,
    created_at: now,
    updated_at: now,
  })
  const bookingId = randomUUID()
  await db.table('bookings').insert({
    id: bookingId,
    tenant_id: world.tenant.id,
    branch_id: world.branch.id,
    resource_id: resourceId,
    service_id: service.id,
    code: randomUUID().slice(0, 8).toUpperCase(),
    status: 'finished',
    channel: 'online',
    starts_at: now,
    ends_at: now,
    service_date: clock.now().toISODate(),
    local_time: '12:00',
    customer_name: 'Siti Aminah',
    customer_phone: phone,
    customer_email: email,
    note: 'Datang bersama anak',
    currency: 'IDR',
    created_at: now,
    updated_at: now,
  })
  await db.table('ratings').insert({
    tenant_id: world.tenant.id,
    subject_type: 'conversation',
    subject_id: String(conversation.id),
    label: 'Support',
    token: randomUUID().replaceAll('-', ''),
    channel: 'whatsapp',
    recipient: phone,
    locale: 'id',
    expires_at: now,
    score: 2,
    comment: 'Lambat sekali, saya Siti kecewa',
    answered_at: now,
    created_at: now,
  })
  await db.table('notifications').insert({
    tenant_id: world.tenant.id,
    event: 'booking_confirmed',
    channel: 'email',
    recipient: email,
    locale: 'id',
    variables: JSON.stringify({ customer_name: 'Siti Aminah' }),
    subject: 'Booking Siti',
    body: 'Halo Siti Aminah, booking Anda terkonfirmasi',
    status: 'sent',
    created_at: now,
    updated_at: now,
  })
  await db.table('customers').insert({
    tenant_id: world.tenant.id,
    name: 'Siti Aminah',
    phone,
    address: 'Jl. Melati 3, Bandung',
    notes: 'Pelanggan lama',
    source: 'staff',
    created_at: now,
    updated_at: now,
  })
  await db.table('leads').insert({
    tenant_id: world.tenant.id,
    contact_id: contact.id,
    name: 'Siti Aminah',
    business: 'Warung Siti',
    phone,
    email,
    interest: 'Kasir untuk 2 outlet',
    source: 'manual',
    status: 'new',
    notes: 'Suami pemilik toko',
    created_at: now,
    updated_at: now,
  })
  await db.table('opt_outs').insert({
    tenant_id: world.tenant.id,
    channel: 'sms',
    recipient: phone,
    source: 'link',
    created_at: now,
  })
  return { phone, email, digits, contact, conversation, mediaKey, ticketId, bookingId }
}
type Person = Awaited<ReturnType<typeof personIn>>

/** Rows of the person's tables within the tenant, as an erasure must leave them. */
async function rowsOf(world: InboxWorld, person: Person) {
  const t = world.tenant.id
  return {
    contact: await db.from('contacts').where('id', person.contact.id).firstOrFail(),
    messages: await db
      .from('conversation_messages')
      .where('conversation_id', person.conversation.id)
      .orderBy('id'),
    ticket: await db.from('tickets').where('id', person.ticketId).firstOrFail(),
    ticketEvent: await db.from('ticket_events').where('ticket_id', person.ticketId).firstOrFail(),
    booking: await db.from('bookings').where('id', person.bookingId).firstOrFail(),
    rating: await db
      .from('ratings')
      .where({
        tenant_id: t,
        subject_type: 'conversation',
        subject_id: String(person.conversation.id),
      })
      .firstOrFail(),
    notification: await db
      .from('notifications')
      .where({ tenant_id: t, event: 'booking_confirmed' })
      .orderBy('id', 'desc')
      .firstOrFail(),
    customer: await db.from('customers').where('tenant_id', t).orderBy('id', 'desc').firstOrFail(),
    lead: await db
      .from('leads')
      .where({ tenant_id: t, contact_id: person.contact.id })
      .firstOrFail(),
    optOut: await db.from('opt_outs').where({ tenant_id: t, channel: 'sms' }).firstOrFail(),
    consents: await db.from('consents').where('tenant_id', t).orderBy('id'),
  }
}

test.group('Personal data (privacy)', (group) => {
  group.setup(async () => {
    await graph.start()
    const restore = whatsappThrough(graph)
    return async () => {
      restore()
      await graph.stop()
    }
  })
  group.each.teardown(() => clock.reset())

  test('only owners and admins open the privacy pages; others get 403', async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    const { phone } = await personIn(world)
    const reads = [
      '/app/privacy',
      `/app/privacy?q=${encodeURIComponent(phone)}`,
      `/app/privacy/export.json?q=${encodeURIComponent(phone)}`,
      `/app/privacy/export.html?q=${encodeURIComponent(phone)}`,
      '/app/privacy/settings',
    ]
    for (const user of [world.supervisor, world.rina, world.operator]) {
      for (const url of reads) {
        const response = await client.get(url).header('accept', 'application/json').loginAs(user)
        assert.equal(response.status(), 403, `${user.role} ${url}`)
      }
      const writes = [
        client.post('/app/privacy/erase').form({ q: phone, confirm: phone }),
        client.post('/app/privacy/consents').form({ q: phone, channel: 'sms', status: 'granted' }),
        client.put('/app/privacy/settings').form({ ip_allow_list: '' }),
      ]
      for (const request of writes) {
        const response = await request
          .header('accept', 'application/json')
          .withCsrfToken()
          .loginAs(user)
        assert.equal(response.status(), 403, user.role)
      }
    }
    for (const user of [world.owner, world.admin]) {
      for (const url of reads) {
        const response = await client.get(url).loginAs(user)
        assert.equal(response.status(), 200, `${user.role} ${url}`)
      }
    }
    const anonymous = await client.get('/app/privacy').redirects(0)
    assert.equal(anonymous.status(), 302)
    // Nobody's data was changed by the refused requests.
    const ticket = await db
      .from('tickets')
      .where({ tenant_id: world.tenant.id, customer_phone: phone })
      .firstOrFail()
    assert.equal(ticket.customer_name, 'Siti Aminah')
  })

  test('finds where a person is (counts per table); another tenant never sees or erases them', async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    const other = await createInboxWorld()
    const person = await personIn(world)
    const page = await client.get(`/app/privacy?q=0${person.phone.slice(3)}`).loginAs(world.admin)
    page.assertStatus(200)
    const html = page.text()
    for (const [table, count] of Object.entries({
      contacts: 1,
      conversations: 1,
      conversation_messages: 2,
      tickets: 1,
      ticket_events: 1,
      bookings: 1,
      ratings: 1,
      customers: 1,
      leads: 1,
      opt_outs: 1,
      consents: 1,
    }))
      assert.match(html, new RegExp(`data-table="${table}">[\\s\\S]*?data-count="${count}"`), table)
    assert.include(html, 'data-source="whatsapp_inbound"')
    assert.include(html, 'data-source="opt_out_link"')

    const byEmail = await client
      .get(`/app/privacy?q=${encodeURIComponent(person.email.toUpperCase())}`)
      .loginAs(world.owner)
    assert.match(byEmail.text(), /data-table="bookings">[\s\S]*?data-count="1"/)
    assert.match(byEmail.text(), /data-table="notifications">[\s\S]*?data-count="1"/)

    // The other tenant's owner: nothing found, nothing exported, nothing erased.
    const elsewhere = await client
      .get(`/app/privacy?q=${encodeURIComponent(person.phone)}`)
      .loginAs(other.owner)
    assert.include(elsewhere.text(), 'data-testid="privacy-nothing"')
    assert.notInclude(elsewhere.text(), 'Siti')
    const exported = await client
      .get(`/app/privacy/export.json?q=${encodeURIComponent(person.phone)}`)
      .header('accept', 'application/json')
      .loginAs(other.owner)
    exported.assertStatus(404)
    const erased = await client
      .post('/app/privacy/erase')
      .form({ q: person.phone, confirm: person.phone })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(other.owner)
    erased.assertStatus(404)
    const rows = await rowsOf(world, person)
    assert.equal(rows.contact.phone, person.phone)
    assert.equal(rows.booking.customer_email, person.email)
    assert.isTrue(await drive.use().exists(person.mediaKey))
  })

  test('exports the person as JSON and as a printable page', async ({ client, assert }) => {
    const world = await createInboxWorld()
    const person = await personIn(world)
    const response = await client
      .get(`/app/privacy/export.json?q=${encodeURIComponent(person.phone)}`)
      .loginAs(world.owner)
    response.assertStatus(200)
    assert.include(response.header('content-disposition'), 'attachment')
    const data = response.body()
    assert.equal(data.subject, person.phone)
    const section = (table: string) =>
      data.sections.find((entry: any) => entry.table === table)?.rows ?? []
    assert.equal(section('contacts')[0].display_name, 'Siti Aminah')
    assert.sameMembers(
      section('conversation_messages').map((row: any) => row.body),
      ['Halo, saya Siti', 'Foto KTP saya']
    )
    assert.equal(section('tickets')[0].customer_name, 'Siti Aminah')
    assert.equal(section('tickets')[0].note, 'Alergi obat')
    assert.equal(section('bookings')[0].customer_email, person.email)
    assert.equal(section('ratings')[0].comment, 'Lambat sekali, saya Siti kecewa')
    assert.equal(section('customers')[0].address, 'Jl. Melati 3, Bandung')
    assert.equal(section('leads')[0].business, 'Warung Siti')
    assert.deepInclude(
      data.consents.map((line: any) => [line.channel, line.status, line.source]),
      ['whatsapp', 'granted', 'whatsapp_inbound']
    )
    // Found by phone: the email-only notification is not in it; by email it is.
    assert.lengthOf(section('notifications'), 0)
    const byEmail = await client
      .get(`/app/privacy/export.json?q=${encodeURIComponent(person.email)}`)
      .loginAs(world.owner)
    assert.equal(
      byEmail.body().sections.find((entry: any) => entry.table === 'notifications').rows[0].body,
      'Halo Siti Aminah, booking Anda terkonfirmasi'
    )

    const page = await client
      .get(`/app/privacy/export.html?q=${encodeURIComponent(person.phone)}`)
      .loginAs(world.admin)
    page.assertStatus(200)
    const html = page.text()
    assert.include(html, `Data pribadi ${person.phone}`)
    assert.include(html, 'Jl. Melati 3, Bandung')
    assert.include(html, 'Lambat sekali, saya Siti kecewa')
    assert.include(html, 'data-table="conversation_messages"')
    assert.include(html, 'Pesan WhatsApp masuk')
  })

  test('erasure anonymizes the person in every table, deletes their media, keeps the rows and audits counts only', async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    const other = await createInboxWorld()
    const number = freshNumber()
    const person = await personIn(world, number)
    // The same number writes to another business: that business keeps its data.
    const elsewhere = await personIn(other, number)

    const mismatch = await client
      .post('/app/privacy/erase')
      .form({ q: person.phone, confirm: '+6281300000000' })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.owner)
    mismatch.assertStatus(422)
    assert.equal((await rowsOf(world, person)).contact.phone, person.phone)

    const counts = {
      messages: (await rowsOf(world, person)).messages.length,
    }
    const response = await client
      .post('/app/privacy/erase')
      .form({ q: person.phone, confirm: `0${person.phone.slice(3)}` })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.owner)
    response.assertStatus(200)
    assert.equal(response.body().erased.conversation_messages, 2)
    assert.equal(response.body().erased.tickets, 1)

    const rows = await rowsOf(world, person)
    assert.equal(rows.contact.phone, `dihapus:${person.contact.id}`)
    assert.equal(rows.contact.display_name, 'Dihapus')
    assert.isNotNull(rows.contact.anonymized_at)
    assert.lengthOf(rows.messages, counts.messages)
    for (const message of rows.messages) {
      assert.equal(message.body, '[dihapus]')
      assert.isNull(message.media_path)
      assert.isNull(message.media_name)
    }
    assert.isFalse(await drive.use().exists(person.mediaKey))
    assert.isTrue(await drive.use().exists(elsewhere.mediaKey))
    assert.equal(rows.ticket.customer_name, 'Dihapus')
    assert.isNull(rows.ticket.customer_phone)
    assert.isNull(rows.ticket.note)
    assert.equal(rows.ticket.status, 'completed')
    assert.isNull(rows.ticketEvent.note)
    assert.equal(rows.booking.customer_name, 'Dihapus')
    assert.isNull(rows.booking.customer_phone)
    assert.isNull(rows.booking.customer_email)
    assert.isNull(rows.booking.note)
    assert.isNull(rows.rating.recipient)
    assert.equal(rows.rating.comment, '[dihapus]')
    assert.equal(Number(rows.rating.score), 2)
    assert.equal(rows.customer.name, 'Dihapus')
    assert.isNull(rows.customer.phone)
    assert.isNull(rows.customer.address)
    assert.equal(rows.lead.name, 'Dihapus')
    assert.equal(rows.lead.phone, `dihapus:${rows.lead.id}`)
    assert.isNull(rows.lead.email)
    assert.isNull(rows.lead.business)
    assert.equal(rows.optOut.recipient, `dihapus:${rows.optOut.id}`)
    for (const consent of rows.consents) {
      assert.isNull(consent.phone)
      assert.isNull(consent.email)
    }
    // The email-only notification is found by the email, erased on its own request.
    assert.equal(rows.notification.recipient, person.email)
    const byEmail = await client
      .post('/app/privacy/erase')
      .form({ q: person.email, confirm: person.email.toUpperCase() })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.admin)
    byEmail.assertStatus(200)
    const notification = (await rowsOf(world, person)).notification
    assert.equal(notification.recipient, '[dihapus]')
    assert.equal(notification.body, '[dihapus]')
    assert.equal(notification.variables, '{}')
    assert.isNull(notification.subject)

    // Audited with counts, never the data; searching again finds nothing.
    const audit = await AuditLog.query()
      .where({ tenant_id: world.tenant.id, action: 'privacy.erased' })
      .orderBy('id')
    assert.lengthOf(audit, 2)
    const written = JSON.stringify(audit[0].changes)
    assert.include(written, '"rows"')
    assert.notInclude(written, person.phone.slice(1))
    assert.notInclude(written, 'Siti')
    assert.equal(audit[0].userId, world.owner.id)
    const again = await client
      .get(`/app/privacy?q=${encodeURIComponent(person.phone)}`)
      .loginAs(world.owner)
    assert.include(again.text(), 'data-testid="privacy-nothing"')
    const twice = await client
      .post('/app/privacy/erase')
      .form({ q: person.phone, confirm: person.phone })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.owner)
    twice.assertStatus(404)

    // The other business's rows of the same number are untouched.
    const theirs = await rowsOf(other, elsewhere)
    assert.equal(theirs.contact.phone, person.phone)
    assert.equal(theirs.ticket.customer_name, 'Siti Aminah')
    assert.equal(theirs.rating.comment, 'Lambat sekali, saya Siti kecewa')

    // The person writes again later: a new contact, with a new opt-in.
    await customerWrites(world, number.digits, 'Saya kembali')
    const fresh = await db
      .from('contacts')
      .where({ tenant_id: world.tenant.id, phone: person.phone })
      .firstOrFail()
    assert.notEqual(fresh.id, person.contact.id)
    assert.equal(
      (await db.from('consents').where({ tenant_id: world.tenant.id, phone: person.phone })).length,
      1
    )
  })

  test('a WhatsApp message records the opt-in once; STOP and START and staff show in the same history', async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    const { digits, phone } = freshNumber()
    await customerWrites(world, digits, 'Halo')
    await customerWrites(world, digits, 'Masih ada?')
    const ledger = () =>
      db.from('consents').where({ tenant_id: world.tenant.id, phone }).orderBy('id')
    let lines = await ledger()
    assert.lengthOf(lines, 1)
    assert.include(lines[0], {
      channel: 'whatsapp',
      status: 'granted',
      source: 'whatsapp_inbound',
      user_id: null,
    })

    await customerWrites(world, digits, 'STOP')
    await customerWrites(world, digits, 'START')
    lines = await ledger()
    assert.deepEqual(
      lines.map((line) => [line.status, line.source]),
      [
        ['granted', 'whatsapp_inbound'],
        ['withdrawn', 'whatsapp_stop'],
        ['granted', 'whatsapp_start'],
      ]
    )

    const recorded = await client
      .post('/app/privacy/consents')
      .form({ q: phone, channel: 'sms', status: 'withdrawn' })
      .withCsrfToken()
      .loginAs(world.admin)
      .redirects(0)
    recorded.assertStatus(302)
    const staffLine = (await ledger()).at(-1)
    assert.include(staffLine, { channel: 'sms', status: 'withdrawn', source: 'staff' })
    assert.equal(Number(staffLine.user_id), world.admin.id)

    const page = await client
      .get(`/app/privacy?q=${encodeURIComponent(phone)}`)
      .loginAs(world.owner)
    const html = page.text()
    for (const source of ['whatsapp_inbound', 'whatsapp_stop', 'whatsapp_start', 'staff'])
      assert.include(html, `data-source="${source}"`)
  })

  test('retention anonymizes data older than each kind’s days, in batches, and leaves newer data', async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    const old = await personIn(world)
    const saved = await client
      .put('/app/privacy/settings')
      .form({
        'retention[tickets]': '30',
        'retention[bookings]': '30',
        'retention[conversations]': '60',
        'retention[notifications]': '30',
        'retention[ratings]': '30',
        'retention[leads]': '30',
        'ip_allow_list': '',
      })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.owner)
    saved.assertStatus(200)
    const tooShort = await client
      .put('/app/privacy/settings')
      .form({ 'retention[tickets]': '5' })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.owner)
    tooShort.assertStatus(422)

    const retention = await app.container.make(Retention)
    assert.deepEqual(await retention.run({ tenantId: world.tenant.id }), {})

    // 40 days on: tickets, bookings, notifications, ratings and leads (30 days) age out;
    // conversations (60 days) do not yet. What happens now is new and stays.
    clock.travelTo(clock.now().plus({ days: 40 }))
    const recent = await personIn(world)
    const report = await retention.run({ tenantId: world.tenant.id, batch: 1 })
    assert.equal(report[world.tenant.id].tickets, 1)
    assert.equal(report[world.tenant.id].ticket_events, 1)
    assert.isUndefined(report[world.tenant.id].conversation_messages)
    let rows = await rowsOf(world, old)
    assert.equal(rows.ticket.customer_name, 'Dihapus')
    assert.isNull(rows.ticket.customer_phone)
    assert.isNull(rows.ticketEvent.note)
    assert.equal(rows.booking.customer_name, 'Dihapus')
    assert.isNull(rows.rating.recipient)
    assert.equal(rows.rating.comment, '[dihapus]')
    assert.equal(rows.lead.phone, `dihapus:${rows.lead.id}`)
    assert.equal(rows.contact.display_name, 'Siti Aminah')
    assert.equal(rows.messages[0].body, 'Halo, saya Siti')
    assert.isTrue(await drive.use().exists(old.mediaKey))
    const fresh = await rowsOf(world, recent)
    assert.equal(fresh.ticket.customer_name, 'Siti Aminah')
    assert.equal(fresh.booking.customer_email, recent.email)
    assert.equal(fresh.lead.name, 'Siti Aminah')

    // 70 days on: the old conversation too (the ace command, as a server's cron would).
    clock.travelTo(clock.now().plus({ days: 30 }))
    const ace = await app.container.make('ace')
    const command = await ace.create(PrivacyRetention, [`--tenant=${world.tenant.id}`])
    await command.exec()
    command.assertSucceeded()
    rows = await rowsOf(world, old)
    assert.equal(rows.contact.display_name, 'Dihapus')
    for (const message of rows.messages) assert.equal(message.body, '[dihapus]')
    assert.isFalse(await drive.use().exists(old.mediaKey))
    // Recent's contact wrote 30 days ago: under 60, kept.
    assert.equal((await rowsOf(world, recent)).contact.display_name, 'Siti Aminah')
    // Run again: nothing left to do.
    assert.deepEqual(await retention.run({ tenantId: world.tenant.id }), {})
    const audit = await AuditLog.query().where({
      tenant_id: world.tenant.id,
      action: 'privacy.retention_applied',
    })
    assert.lengthOf(audit, 2)
  })

  test('the IP allow-list: outside it staff pages answer 403 in the user’s language; a list without the admin’s own address is refused', async ({
    client,
    assert,
  }) => {
    const world = await createInboxWorld()
    const other = await createInboxWorld()
    const save = (list: string) =>
      client
        .put('/app/privacy/settings')
        .form({ ip_allow_list: list })
        .header('accept', 'application/json')
        .withCsrfToken()
        .loginAs(world.owner)

    const lockout = await save('10.0.0.0/8')
    lockout.assertStatus(422)
    assert.include(lockout.body().error.message, '127.0.0.1')
    const invalid = await save('127.0.0.1\nnot-an-ip')
    invalid.assertStatus(422)
    assert.include(invalid.body().error.message, 'not-an-ip')
    const stored = async () =>
      (await db.from('tenants').where('id', world.tenant.id).firstOrFail()).privacy_settings
    assert.isNull(await stored())

    const ok = await save('127.0.0.0/8\n10.0.0.0/8')
    ok.assertStatus(200)
    assert.deepEqual(JSON.parse(await stored()).ipAllowList, ['127.0.0.0/8', '10.0.0.0/8'])
    const inside = await client.get('/app/inbox').loginAs(world.rina)
    inside.assertStatus(200)
    const audit = await AuditLog.query()
      .where({ tenant_id: world.tenant.id, action: 'tenant.privacy_settings_updated' })
      .firstOrFail()
    assert.property(audit.changes, 'ip_allow_list')

    // The list changes to one this server's address is outside of (as from the office's network).
    await db
      .from('tenants')
      .where('id', world.tenant.id)
      .update({ privacy_settings: JSON.stringify({ ipAllowList: ['10.0.0.0/8'] }) })
    const outside = await client.get('/app/inbox').loginAs(world.rina)
    outside.assertStatus(403)
    assert.include(outside.text(), 'hanya bisa dibuka dari alamat IP yang diizinkan')
    world.rina.locale = 'en'
    await world.rina.save()
    const english = await client.get('/app/inbox').loginAs(world.rina)
    english.assertStatus(403)
    assert.include(english.text(), 'open only from allowed IP addresses')
    const json = await client
      .get('/app/privacy')
      .header('accept', 'application/json')
      .loginAs(world.owner)
    json.assertStatus(403)
    assert.equal(json.body().error.code, 'E_PRIVACY_IP_NOT_ALLOWED')
    // Another business has no list: its staff are not affected.
    const elsewhere = await client.get('/app/inbox').loginAs(other.rina)
    elsewhere.assertStatus(200)
  })
})
