import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'
import AuditLog from '#models/audit_log'
import Booking from '#models/booking'
import Conversation from '#models/conversation'
import Lead from '#models/lead'
import LeadEvent from '#models/lead_event'
import Outlet from '#models/outlet'
import User from '#models/user'
import clock from '#support/clock'
import LeadService from '#services/leads/lead_service'
import LeadSettingsStore from '#services/leads/lead_settings_store'
import { parseLeadSettings, type LeadSettings } from '#models/settings/lead_settings'
import { DEFAULT_LEAD_KEYWORDS } from '#services/leads/lead_classifier'
import { rateLimits, refill } from '#start/limiter'
import { FakeWhatsappCloud } from '#tests/fakes/whatsapp_media'
import { jobsInProcess, outboxSettled, whatsappThrough } from '#tests/helpers/outbox'
import { createInboxWorld, deliver, waMessage, webhookBody } from '#tests/helpers/inbox'
import { createBookingWorld, tomorrow } from '#tests/helpers/bookings'
import { PASSWORD, type World } from '#tests/helpers/world'

const graph = new FakeWhatsappCloud()
const leads = await app.container.make(LeadService)
const settingsStore = await app.container.make(LeadSettingsStore)

/** Members of sales (Dewi, Eko), a technician, besides the world's staff. */
async function salesTeam(world: Pick<World, 'tenant' | 'key'>) {
  const member = (role: User['role'], name: string) =>
    User.create({
      tenantId: world.tenant.id,
      branchId: null,
      fullName: `${name} ${world.key}`,
      email: `${name.toLowerCase()}-${world.key}@test.loket`,
      phone: `+62813${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
      password: PASSWORD,
      role,
      isActive: true,
    })
  return {
    dewi: await member('sales', 'Dewi'),
    eko: await member('sales', 'Eko'),
    technician: await member('technician', 'Tono'),
  }
}

async function setLeadSettings(tenantId: number, changes: Partial<LeadSettings>) {
  const row = await db.from('tenants').where('id', tenantId).select('lead_settings').first()
  const settings = { ...parseLeadSettings(row?.lead_settings ?? null), ...changes }
  await db
    .from('tenants')
    .where('id', tenantId)
    .update({ lead_settings: JSON.stringify(settings) })
}

async function leadWorld() {
  const world = await createInboxWorld()
  await setLeadSettings(world.tenant.id, { whatsappLeads: true })
  return { ...world, ...(await salesTeam(world)) }
}

/** A customer writes `text` from `from`; returns their newest conversation once stored. */
async function customerWrites(world: { tenant: any; secret: string }, from: string, text: string) {
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
      names: ['Pak Budi'],
    })
  )
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`)
  return Conversation.query()
    .where('tenant_id', world.tenant.id)
    .orderBy('id', 'desc')
    .firstOrFail()
}

const routeReason = async (conversation: Conversation) =>
  (await db.from('conversations').where('id', conversation.id).select('route_reason').first())
    .route_reason

test.group('Leads: from WhatsApp', (group) => {
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

  test("an unknown number asking the price opens a lead with the reason shown; the prompt's answers fill it and it goes to the sales manager", async ({
    client,
    assert,
  }) => {
    const world = await leadWorld()
    await setLeadSettings(world.tenant.id, { salesManagerId: world.eko.id })
    const conversation = await customerWrites(
      world,
      '6281299990001',
      'Halo, berapa HARGA paket kasir?'
    )
    assert.equal(conversation.kind, 'lead')
    assert.equal(await routeReason(conversation), 'lead_keyword:harga')
    const lead = await Lead.query().where('conversation_id', conversation.id).firstOrFail()
    assert.deepInclude(lead.$attributes, {
      tenantId: world.tenant.id,
      phone: '+6281299990001',
      source: 'whatsapp',
      status: 'new',
      promptStep: 'name',
    })
    await outboxSettled(world.tenant.id)
    assert.lengthOf(graph.accepted, 1)
    assert.equal(graph.accepted[0].payload.to, '6281299990001')
    assert.equal(graph.accepted[0].payload.type, 'text')
    assert.include(graph.accepted[0].payload.text.body, 'Boleh kami tahu nama Anda?')

    for (const answer of ['Budi Santoso', 'Warung Kopi Budi', 'Kasir untuk 2 cabang'])
      await customerWrites(world, '6281299990001', answer)
    await outboxSettled(world.tenant.id)

    await lead.refresh()
    assert.deepInclude(lead.$attributes, {
      name: 'Budi Santoso',
      business: 'Warung Kopi Budi',
      interest: 'Kasir untuk 2 cabang',
      promptStep: null,
      ownerId: world.eko.id,
    })
    const routed = await Conversation.findOrFail(conversation.id)
    assert.equal(routed.kind, 'lead')
    assert.equal(routed.assigneeId, world.eko.id)
    const bodies = graph.accepted.map((sent) => sent.payload.text.body)
    assert.lengthOf(bodies, 4)
    assert.include(bodies[1], 'nama usaha')
    assert.include(bodies[3], 'Tim sales kami')
    // The prompt is on the thread for the team, and the thread shows why it is a lead.
    const thread = await client.get(`/app/inbox/${conversation.id}`).loginAs(world.eko)
    thread.assertStatus(200)
    thread.assertTextIncludes('Apa nama usaha Anda?')
    const page = await client.get(`/app/leads/${lead.id}`).loginAs(world.eko)
    page.assertStatus(200)
    page.assertTextIncludes('Warung Kopi Budi')
    page.assertTextIncludes('Kasir untuk 2 cabang')
    // Why it is a lead, and the one-click correction back to support.
    page.assertTextIncludes('Alasan: kata &#x27;harga&#x27;')
    page.assertTextIncludes('Ini dukungan')
  })

  test('without a sales manager, leads go to sales in turn', async ({ assert }) => {
    const world = await leadWorld()
    const owners: (number | null)[] = []
    for (const [index, from] of ['6281299990011', '6281299990012'].entries()) {
      await customerWrites(world, from, 'Mau daftar demo')
      for (const answer of [`Nama ${index}`, 'Toko', 'POS'])
        await customerWrites(world, from, answer)
      owners.push((await Lead.query().where('phone', `+${from}`).firstOrFail()).ownerId)
    }
    assert.sameMembers(owners as number[], [world.dewi.id, world.eko.id])
    await outboxSettled(world.tenant.id)
  })

  test('a problem from an unknown number stays support with its reason; a known number is not classified', async ({
    assert,
  }) => {
    const world = await leadWorld()
    const support = await customerWrites(world, '6281299990002', 'Printer kasir error terus')
    assert.equal(support.kind, 'support')
    assert.equal(await routeReason(support), 'support_keyword:printer')
    assert.lengthOf(await Lead.query().where('tenant_id', world.tenant.id), 0)

    await Outlet.create({
      tenantId: world.tenant.id,
      fid: 'F1',
      oid: 'O1',
      name: 'Outlet Satu',
      phone: '+6281299990003',
      status: 'active',
    })
    const known = await customerWrites(world, '6281299990003', 'Berapa harga perpanjangan?')
    assert.equal(known.kind, 'support')
    assert.isNull(await routeReason(known))
    assert.lengthOf(await Lead.query().where('tenant_id', world.tenant.id), 0)
    await outboxSettled(world.tenant.id)
    const toThem = graph.accepted.filter((sent) =>
      ['6281299990002', '6281299990003'].includes(sent.payload.to)
    )
    assert.lengthOf(toThem, 0)
  })

  test('the correction both ways: "Ini lead" makes a lead for sales, "Ini dukungan" closes it; audited, keywords untouched, another tenant answers 404', async ({
    client,
    assert,
  }) => {
    const world = await leadWorld()
    const conversation = await customerWrites(world, '6281299990004', 'Selamat pagi')
    assert.equal(conversation.kind, 'support')
    assert.equal(await routeReason(conversation), 'no_keyword')

    const thread = await client.get(`/app/inbox/${conversation.id}`).loginAs(world.rina)
    thread.assertStatus(200)

    const toLead = await client
      .post(`/app/leads/conversations/${conversation.id}/route`)
      .form({ kind: 'lead' })
      .withCsrfToken()
      .redirects(0)
      .loginAs(world.rina)
    toLead.assertStatus(302)
    const asLead = await Conversation.findOrFail(conversation.id)
    assert.equal(asLead.kind, 'lead')
    assert.equal(await routeReason(asLead), 'corrected')
    const lead = await Lead.query().where('conversation_id', conversation.id).firstOrFail()
    assert.equal(lead.status, 'new')
    assert.equal(lead.name, 'Pak Budi')
    assert.include([world.dewi.id, world.eko.id], lead.ownerId!)
    assert.equal(asLead.assigneeId, lead.ownerId)

    const toSupport = await client
      .post(`/app/leads/conversations/${conversation.id}/route`)
      .form({ kind: 'support' })
      .withCsrfToken()
      .redirects(0)
      .loginAs(world.rina)
    toSupport.assertStatus(302)
    assert.equal((await Conversation.findOrFail(conversation.id)).kind, 'support')
    await lead.refresh()
    assert.equal(lead.status, 'lost')
    assert.equal(lead.lostReason, 'not_a_lead')
    const events = await LeadEvent.query().where('lead_id', lead.id).orderBy('id')
    assert.deepEqual(
      events.map((event) => [event.fromStatus, event.toStatus, event.userId]),
      [
        [null, 'new', world.rina.id],
        ['new', 'lost', world.rina.id],
      ]
    )
    const audits = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .where('action', 'conversation.rerouted')
      .orderBy('id')
    assert.deepEqual(
      audits.map((audit) => (audit.changes as any).kind),
      [
        ['support', 'lead'],
        ['lead', 'support'],
      ]
    )
    assert.isTrue(audits.every((audit) => audit.userId === world.rina.id))
    // Teaches nothing: the keywords stay what the manager set (the defaults).
    assert.deepEqual((await settingsStore.get(world.tenant.id)).leadKeywords, [
      ...DEFAULT_LEAD_KEYWORDS,
    ])

    // "Ini lead" again opens the same lead again, not a second one.
    await client
      .post(`/app/leads/conversations/${conversation.id}/route`)
      .form({ kind: 'lead' })
      .withCsrfToken()
      .redirects(0)
      .loginAs(world.rina)
    await lead.refresh()
    assert.equal(lead.status, 'new')
    assert.lengthOf(await Lead.query().where('conversation_id', conversation.id), 1)

    const other = await leadWorld()
    const foreign = await client
      .post(`/app/leads/conversations/${conversation.id}/route`)
      .form({ kind: 'support' })
      .withCsrfToken()
      .redirects(0)
      .loginAs(other.rina)
    foreign.assertStatus(404)
    const technician = await client
      .post(`/app/leads/conversations/${conversation.id}/route`)
      .form({ kind: 'support' })
      .withCsrfToken()
      .redirects(0)
      .loginAs(world.technician)
    technician.assertStatus(403)
  })
})

test.group('Leads: the pipeline', () => {
  test('every route by role: sales and managers work leads, technicians and agents get 403, another tenant 404', async ({
    client,
    assert,
  }) => {
    const world = await leadWorld()
    const lead = await leads.create(
      world.tenant.id,
      { name: 'Sinta', phone: '0812 7777 0001' },
      'manual',
      { by: world.owner }
    )
    const other = await leadWorld()
    const pages = [
      '/app/leads',
      '/app/leads?status=lost&owner=me',
      '/app/leads/new',
      `/app/leads/${lead.id}`,
    ]
    for (const user of [world.owner, world.admin, world.supervisor, world.dewi])
      for (const url of pages) {
        const response = await client.get(url).loginAs(user)
        assert.equal(response.status(), 200, `${user.role} ${url}`)
      }
    for (const user of [world.technician, world.rina, world.operator])
      for (const url of [...pages, '/app/lead-settings']) {
        const response = await client.get(url).loginAs(user)
        assert.equal(response.status(), 403, `${user.role} ${url}`)
      }
    for (const [url, form] of [
      ['/app/leads', { name: 'X', phone: '081277770002' }],
      [`/app/leads/${lead.id}`, { notes: 'x' }],
      [`/app/leads/${lead.id}/move`, { status: 'qualified' }],
      [
        `/app/leads/${lead.id}/onboarding`,
        { date: tomorrow(), time: '09:00', request_id: randomUUID() },
      ],
    ] as const) {
      const response = await client
        .post(url)
        .form(form)
        .withCsrfToken()
        .redirects(0)
        .loginAs(world.technician)
      assert.equal(response.status(), 403, url)
    }
    ;(await client.get('/app/lead-settings').loginAs(world.dewi)).assertStatus(403)
    ;(await client.get('/app/lead-settings').loginAs(world.supervisor)).assertStatus(200)

    // Another tenant's lead is not there for them.
    ;(await client.get(`/app/leads/${lead.id}`).loginAs(other.dewi)).assertStatus(404)
    const foreignMove = await client
      .post(`/app/leads/${lead.id}/move`)
      .form({ status: 'qualified' })
      .header('accept', 'application/json')
      .withCsrfToken()
      .redirects(0)
      .loginAs(other.dewi)
    foreignMove.assertStatus(404)
    const foreignUpdate = await client
      .post(`/app/leads/${lead.id}`)
      .form({ notes: 'mine now' })
      .header('accept', 'application/json')
      .withCsrfToken()
      .redirects(0)
      .loginAs(other.owner)
    foreignUpdate.assertStatus(404)
    await lead.refresh()
    assert.equal(lead.status, 'new')
    assert.isNull(lead.notes)
    // Sales see the menu entry.
    const home = await client.get('/app/leads').loginAs(world.dewi)
    home.assertTextIncludes('href="/app/leads"')
  })

  test('sales enter a lead by hand, set owner, notes and next step, and move it, each with its history and audit; counts follow the owner filter', async ({
    client,
    assert,
  }) => {
    const world = await leadWorld()
    const created = await client
      .post('/app/leads')
      .form({
        name: 'Rudi Hartono',
        business: 'Bengkel Rudi',
        phone: '0812 3333 4444',
        email: 'rudi@example.com',
        interest: 'Aplikasi kasir bengkel',
        owner_id: world.dewi.id,
        next_step: 'Telepon',
        next_step_at: '2030-01-15T10:00',
      })
      .withCsrfToken()
      .redirects(0)
      .loginAs(world.dewi)
    created.assertStatus(302)
    const lead = await Lead.query().where('tenant_id', world.tenant.id).firstOrFail()
    assert.deepInclude(lead.$attributes, {
      name: 'Rudi Hartono',
      phone: '+6281233334444',
      source: 'manual',
      status: 'new',
      ownerId: world.dewi.id,
      nextStep: 'Telepon',
    })
    // Jakarta 10:00 is 03:00 UTC.
    assert.equal(lead.nextStepAt!.toUTC().toISO(), '2030-01-15T03:00:00.000Z')
    assert.equal(created.header('location'), `/app/leads/${lead.id}`)

    const invalid = await client
      .post('/app/leads')
      .form({ name: 'Tanpa Nomor', phone: 'no phone here' })
      .header('accept', 'application/json')
      .withCsrfToken()
      .redirects(0)
      .loginAs(world.dewi)
    invalid.assertStatus(422)
    // From the page, the same refusal goes back to the form with the message and what was typed.
    const refused = await client
      .post('/app/leads')
      .form({ name: 'Tanpa Nomor', phone: 'no phone here' })
      .withCsrfToken()
      .redirects(0)
      .loginAs(world.dewi)
    refused.assertStatus(302)
    assert.include(refused.flashMessages(), { name: 'Tanpa Nomor', phone: 'no phone here' })
    assert.include(refused.flashMessages().error, 'Nomor HP tidak valid')
    const refilled = await client
      .get('/app/leads/new')
      .withFlashMessages(refused.flashMessages())
      .loginAs(world.dewi)
    assert.include(refilled.text(), 'value="Tanpa Nomor"')
    assert.include(refilled.text(), 'Nomor HP tidak valid')

    await client
      .post(`/app/leads/${lead.id}`)
      .form({ owner_id: world.eko.id, notes: 'Butuh 3 printer', next_step: 'Demo' })
      .withCsrfToken()
      .redirects(0)
      .loginAs(world.dewi)
    await lead.refresh()
    assert.deepInclude(lead.$attributes, {
      ownerId: world.eko.id,
      notes: 'Butuh 3 printer',
      nextStep: 'Demo',
    })
    assert.isNull(lead.nextStepAt)
    const foreignOwner = await client
      .post(`/app/leads/${lead.id}`)
      .form({ owner_id: world.technician.id })
      .header('accept', 'application/json')
      .withCsrfToken()
      .redirects(0)
      .loginAs(world.dewi)
    foreignOwner.assertStatus(422)

    const move = (form: Record<string, string>) =>
      client
        .post(`/app/leads/${lead.id}/move`)
        .form(form)
        .header('accept', 'application/json')
        .withCsrfToken()
        .redirects(0)
        .loginAs(world.eko)
    ;(await move({ status: 'won' })).assertStatus(409)
    ;(await move({ status: 'qualified', note: 'Cocok' })).assertStatus(302)
    ;(await move({ status: 'lost' })).assertStatus(422)
    ;(await move({ status: 'lost', lost_reason: 'Pakai kompetitor' })).assertStatus(302)
    await lead.refresh()
    assert.equal(lead.status, 'lost')
    assert.equal(lead.lostReason, 'Pakai kompetitor')
    const events = await LeadEvent.query().where('lead_id', lead.id).orderBy('id')
    assert.deepEqual(
      events.map((event) => [event.fromStatus, event.toStatus, event.note]),
      [
        [null, 'new', null],
        ['new', 'qualified', 'Cocok'],
        ['qualified', 'lost', null],
      ]
    )
    const actions = (
      await AuditLog.query().where('tenant_id', world.tenant.id).where('subject_type', 'lead')
    ).map((audit) => audit.action)
    assert.sameMembers(actions, ['lead.created', 'lead.updated', 'lead.moved', 'lead.moved'])

    await leads.create(world.tenant.id, { name: 'Ani', phone: '081255556666' }, 'manual', {
      by: world.dewi,
    })
    const board = await client.get('/app/leads?status=lost').loginAs(world.dewi)
    board.assertStatus(200)
    board.assertTextIncludes(`data-lead="${lead.id}"`)
    board.assertTextIncludes('data-testid="count-lost">1<')
    board.assertTextIncludes('data-testid="count-new">1<')
    const mine = await client.get('/app/leads?status=lost&owner=me').loginAs(world.dewi)
    mine.assertTextIncludes('data-testid="count-lost">0<')
    assert.notInclude(mine.text(), `data-lead="${lead.id}"`)
    const page = await client.get(`/app/leads/${lead.id}`).loginAs(world.dewi)
    page.assertTextIncludes('Pakai kompetitor')
    page.assertTextIncludes('Cocok')
  })

  test('a manager edits the keywords, sales manager and public form; a message then reads by the new keywords', async ({
    client,
    assert,
  }) => {
    const world = await leadWorld()
    const saved = await client
      .put('/app/lead-settings')
      .form({
        lead_keywords: 'Franchise\nkemitraan',
        support_keywords: 'struk',
        sales_manager_id: world.eko.id,
        public_form: '1',
        whatsapp_leads: '1',
      })
      .withCsrfToken()
      .redirects(0)
      .loginAs(world.supervisor)
    saved.assertStatus(302)
    const settings = await settingsStore.get(world.tenant.id)
    assert.deepEqual(settings.leadKeywords, ['franchise', 'kemitraan'])
    assert.equal(settings.salesManagerId, world.eko.id)
    assert.isTrue(settings.publicForm)
    assert.isTrue(settings.whatsappLeads)
    assert.isNotNull(
      await AuditLog.query()
        .where('tenant_id', world.tenant.id)
        .where('action', 'tenant.lead_settings_updated')
        .first()
    )
    const refused = await client
      .put('/app/lead-settings')
      .form({ lead_keywords: 'a', support_keywords: 'b', sales_manager_id: world.rina.id })
      .header('accept', 'application/json')
      .withCsrfToken()
      .redirects(0)
      .loginAs(world.supervisor)
    refused.assertStatus(422)

    const restoreJobs = jobsInProcess()
    try {
      const conversation = await customerWrites(world, '6281299990021', 'Info franchise?')
      assert.equal(conversation.kind, 'lead')
      assert.equal(await routeReason(conversation), 'lead_keyword:franchise')
    } finally {
      await restoreJobs()
    }
  })
})

test.group('Leads: the public form', (group) => {
  const before = { ...rateLimits }
  group.each.teardown(async () => {
    Object.assign(rateLimits, before)
    await refill('take', '127.0.0.1')
  })

  test('a prospect sends the form: a web_form lead for sales; bad input is a 422 in their language; the honeypot keeps nothing; off is 404', async ({
    client,
    assert,
  }) => {
    const world = await leadWorld()
    await refill('take', '127.0.0.1')
    ;(await client.get(`/lead/${world.tenant.slug}`)).assertStatus(404)
    await setLeadSettings(world.tenant.id, { publicForm: true, salesManagerId: world.dewi.id })

    const form = await client.get(`/lead/${world.tenant.slug}`)
    form.assertStatus(200)
    form.assertTextIncludes('name="website"')
    form.assertTextIncludes('_csrf')

    const send = (body: Record<string, string>, query = '') =>
      client
        .post(`/lead/${world.tenant.slug}${query}`)
        .form(body)
        .header('accept', 'application/json')
        .withCsrfToken()
        .redirects(0)
    const good = {
      name: 'Lina',
      business: 'Salon Lina',
      phone: '0812 9999 1234',
      email: 'lina@example.com',
      interest: 'Booking online',
    }
    const badPhone = await send({ ...good, phone: 'call me maybe' }, '?lang=en')
    badPhone.assertStatus(422)
    assert.include(badPhone.body().error.message, 'That phone number is not valid')
    const noName = await send({ ...good, name: '' })
    noName.assertStatus(422)
    const badMalay = await send({ ...good, phone: 'tiada nombor' }, '?lang=ms')
    assert.include(badMalay.body().error.message, 'Nombor telefon tidak sah')
    const bot = await send({ ...good, website: 'http://spam.example' })
    bot.assertStatus(422)
    assert.lengthOf(await Lead.query().where('tenant_id', world.tenant.id), 0)

    const sent = await send(good)
    sent.assertStatus(302)
    assert.equal(sent.header('location'), `/lead/${world.tenant.slug}/thanks`)
    const lead = await Lead.query().where('tenant_id', world.tenant.id).firstOrFail()
    assert.deepInclude(lead.$attributes, {
      name: 'Lina',
      business: 'Salon Lina',
      phone: '+6281299991234',
      email: 'lina@example.com',
      source: 'web_form',
      status: 'new',
      ownerId: world.dewi.id,
    })
    ;(await client.get(`/lead/${world.tenant.slug}/thanks`)).assertStatus(200)
    ;(await client.get('/lead/no-such-tenant')).assertStatus(404)
  })

  test('the form is rate limited per client like the other public forms', async ({
    client,
    assert,
  }) => {
    const world = await leadWorld()
    await setLeadSettings(world.tenant.id, { publicForm: true })
    rateLimits.takePerMinute = 2
    await refill('take', '127.0.0.1')
    const statuses: number[] = []
    for (let index = 0; index < 3; index++) {
      const response = await client
        .post(`/lead/${world.tenant.slug}`)
        .form({ name: `Tamu ${index}`, phone: `08129999000${index}` })
        .withCsrfToken()
        .redirects(0)
      statuses.push(response.status())
    }
    assert.deepEqual(statuses, [302, 302, 429])
    assert.lengthOf(await Lead.query().where('tenant_id', world.tenant.id), 2)
  })
})

test.group('Leads: onboarding through the bookings', () => {
  test('sales book the onboarding at a free time of the Onboarding service: the booking exists once, the lead is onboarding_booked, the .ics works and the day view shows it', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({ resources: 2 })
    const team = await salesTeam(world)
    world.service.merge({ name: 'Onboarding', durationMinutes: 60 })
    await world.service.save()
    await settingsStore.save(
      world.tenant.id,
      { ...(await settingsStore.get(world.tenant.id)), onboardingServiceId: world.service.id },
      { by: world.owner }
    )
    const lead = await leads.create(
      world.tenant.id,
      { name: 'Hadi', business: 'Toko Hadi', phone: '081244445555', interest: 'POS' },
      'manual',
      { by: team.dewi }
    )
    const date = tomorrow()
    const page = await client.get(`/app/leads/${lead.id}?date=${date}`).loginAs(team.dewi)
    page.assertStatus(200)
    page.assertTextIncludes('data-testid="onboarding-form"')
    page.assertTextIncludes('value="09:00"')

    const requestId = randomUUID()
    const book = () =>
      client
        .post(`/app/leads/${lead.id}/onboarding`)
        .form({ date, time: '09:00', request_id: requestId })
        .withCsrfToken()
        .redirects(0)
        .loginAs(team.dewi)
    ;(await book()).assertStatus(302)
    ;(await book()).assertStatus(302)
    const bookings = await Booking.query().where('tenant_id', world.tenant.id)
    assert.lengthOf(bookings, 1)
    const [booking] = bookings
    assert.deepInclude(booking.$attributes, {
      serviceId: world.service.id,
      customerName: 'Hadi',
      customerPhone: '+6281244445555',
      channel: 'staff',
      localTime: '09:00',
      serviceDate: date,
    })
    await lead.refresh()
    assert.equal(lead.status, 'onboarding_booked')
    assert.equal(lead.bookingId, booking.id)
    const events = await LeadEvent.query().where('lead_id', lead.id).orderBy('id')
    assert.deepEqual(
      events.map((event) => [event.fromStatus, event.toStatus, event.note]),
      [
        [null, 'new', null],
        ['new', 'onboarding_booked', booking.code],
      ]
    )
    assert.isNotNull(
      await AuditLog.query()
        .where('action', 'lead.onboarding_booked')
        .where('subject_id', String(lead.id))
        .first()
    )

    const shown = await client.get(`/app/leads/${lead.id}`).loginAs(team.dewi)
    shown.assertTextIncludes(`/booking/${booking.id}/calendar.ics`)
    const ics = await client.get(`/booking/${booking.id}/calendar.ics`)
    ics.assertStatus(200)
    assert.include(String(ics.header('content-type')), 'text/calendar')
    assert.include(ics.text(), 'BEGIN:VCALENDAR')
    assert.include(ics.text(), 'Onboarding')

    const day = await client.get(`/app/bookings?date=${date}`).loginAs(world.owner)
    day.assertStatus(200)
    day.assertTextIncludes(booking.code)
    day.assertTextIncludes('Hadi')

    // A won lead is not booked again.
    await leads.move(lead.id, world.tenant.id, 'won', {}, { by: team.dewi })
    const again = await client
      .post(`/app/leads/${lead.id}/onboarding`)
      .form({ date, time: '10:00', request_id: randomUUID() })
      .header('accept', 'application/json')
      .withCsrfToken()
      .redirects(0)
      .loginAs(team.dewi)
    again.assertStatus(409)
    assert.lengthOf(await Booking.query().where('tenant_id', world.tenant.id), 1)
  })

  test('without an onboarding service the lead page says so and booking answers 409', async ({
    client,
  }) => {
    const world = await leadWorld()
    const lead = await leads.create(
      world.tenant.id,
      { name: 'Joni', phone: '081266667777' },
      'manual',
      { by: world.dewi }
    )
    const page = await client.get(`/app/leads/${lead.id}`).loginAs(world.dewi)
    page.assertTextIncludes('Pilih layanan onboarding')
    const refused = await client
      .post(`/app/leads/${lead.id}/onboarding`)
      .form({ date: tomorrow(), time: '09:00', request_id: randomUUID() })
      .header('accept', 'application/json')
      .withCsrfToken()
      .redirects(0)
      .loginAs(world.dewi)
    refused.assertStatus(409)
  })
})
