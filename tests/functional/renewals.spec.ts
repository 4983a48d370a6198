import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import Contact from '#models/contact'
import ContactOutlet from '#models/contact_outlet'
import Conversation from '#models/conversation'
import Notification from '#models/notification'
import Renewal from '#models/renewal'
import RenewalAttempt from '#models/renewal_attempt'
import RenewalService from '#services/renewals/renewal_service'
import StaffHome from '#services/platform/staff_home'
import clock from '#support/clock'
import { FakeWhatsappGraph } from '#tests/fakes/whatsapp_graph'
import { deliver, waMessage, webhookBody } from '#tests/helpers/inbox'
import { jobsInProcess, outboxSettled, whatsappThrough } from '#tests/helpers/outbox'
import {
  createRenewalWorld,
  freshE164,
  jakartaDay,
  makeOutlet,
  setRenewalSettings,
  type RenewalWorld,
} from '#tests/helpers/renewals'

const graph = new FakeWhatsappGraph()
const renewals = await app.container.make(RenewalService)

/** A moment in Jakarta (the worlds' zone). */
const jakarta = (day: string, time = '09:00') =>
  DateTime.fromISO(`${day}T${time}`, { zone: 'Asia/Jakarta' })

function attemptsOf(renewal: Renewal) {
  return RenewalAttempt.query().where('renewal_id', renewal.id).orderBy('id')
}

function reminders(world: RenewalWorld) {
  return Notification.query()
    .where('tenant_id', world.tenant.id)
    .where('event', 'renewal_reminder')
    .orderBy('id')
}

/** An outlet expiring on `expiresOn`, and its renewal as the daily computation makes it at `now`. */
async function outletWithRenewal(world: RenewalWorld, expiresOn: string, now: DateTime) {
  const outlet = await makeOutlet(world, expiresOn)
  await renewals.computeDue(world.tenant.id, now)
  const renewal = await Renewal.query().where('outlet_id', outlet.id).firstOrFail()
  return { outlet, renewal }
}

function withFakeWhatsapp(group: any) {
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
}

test.group('Renewals: computed per outlet per expiry date', (group) => {
  withFakeWhatsapp(group)

  test('active outlets expiring within the horizon get one renewal each, once', async ({
    assert,
  }) => {
    const world = await createRenewalWorld()
    const now = jakarta('2026-11-01')
    const inside = await makeOutlet(world, '2026-12-31')
    await makeOutlet(world, '2027-01-15')
    await makeOutlet(world, '2026-12-01', { status: 'inactive' })
    await makeOutlet(world, '2026-12-02', { expiresOn: null })
    const justPast = await makeOutlet(world, '2026-10-30')
    await makeOutlet(world, '2026-10-01')
    const first = await renewals.computeDue(world.tenant.id, now)
    assert.equal(first.created, 2)
    const again = await Promise.all([
      renewals.computeDue(world.tenant.id, now),
      renewals.computeDue(world.tenant.id, now),
    ])
    assert.deepEqual(
      again.map((result) => result.created),
      [0, 0]
    )
    const rows = await Renewal.forTenant(world.tenant).orderBy('outlet_id')
    assert.deepEqual(
      rows.map((row) => row.outletId),
      [inside.id, justPast.id]
    )
    const renewal = rows[0]
    assert.equal(renewal.status, 'due')
    assert.equal(renewal.expiresOn, '2026-12-31')
    assert.equal(renewal.nextStep, 'd-14')
    assert.equal(renewal.nextStepAt!.toISO(), jakarta('2026-12-17', '08:00').toUTC().toISO())

    // A new expiry date is a new renewal of the same outlet.
    inside.expiresOn = '2027-12-31'
    await inside.save()
    await renewals.computeDue(world.tenant.id, jakarta('2027-11-15'))
    assert.lengthOf(await Renewal.query().where('outlet_id', inside.id), 2)
  })

  test('a horizon setting narrows the renewals computed', async ({ assert }) => {
    const world = await createRenewalWorld()
    await setRenewalSettings(world, { horizonDays: 20 })
    await makeOutlet(world, '2026-11-15')
    await makeOutlet(world, '2026-12-15')
    assert.equal((await renewals.computeDue(world.tenant.id, jakarta('2026-11-01'))).created, 1)
  })
})

test.group('Renewals: reminders', (group) => {
  withFakeWhatsapp(group)

  test('each cadence step sends one WhatsApp template to the outlet phone and records the try', async ({
    assert,
  }) => {
    const world = await createRenewalWorld()
    const { outlet, renewal } = await outletWithRenewal(world, '2026-12-31', jakarta('2026-11-01'))

    assert.equal(
      await renewals.remind(jakarta('2026-12-17', '07:59'), { tenantId: world.tenant.id }),
      0
    )
    assert.equal(
      await renewals.remind(jakarta('2026-12-17', '08:00'), { tenantId: world.tenant.id }),
      1
    )
    await outboxSettled(world.tenant.id)
    const [sent] = await reminders(world)
    assert.equal(sent.recipient, outlet.phone)
    assert.equal(sent.channel, 'whatsapp')
    assert.equal(sent.status, 'sent')
    assert.include(sent.body, outlet.name)
    assert.include(sent.body, '14 hari lagi')
    // This outlet's messages only: an earlier test's may still be arriving at the shared fake.
    const accepted = graph.accepted.filter((one) => one.payload.to === outlet.phone!.slice(1))
    assert.lengthOf(accepted, 1)
    assert.equal(accepted[0].payload.type, 'template')
    assert.equal(accepted[0].payload.template.name, 'loket_renewal_reminder')

    await renewal.refresh()
    assert.equal(renewal.status, 'reminding')
    assert.equal(renewal.remindersSent, 1)
    assert.equal(renewal.nextStep, 'd-7')
    const [attempt] = await attemptsOf(renewal)
    assert.equal(attempt.step, 'd-14')
    assert.equal(attempt.result, 'sent')
    assert.equal(attempt.notificationId, sent.id)
    assert.equal(attempt.template, 'loket_renewal_reminder')

    for (const day of ['2026-12-24', '2026-12-30', '2027-01-03'])
      assert.equal(
        await renewals.remind(jakarta(day, '10:00'), { tenantId: world.tenant.id }),
        1,
        day
      )
    assert.deepEqual(
      (await attemptsOf(renewal)).map((row) => `${row.step}:${row.result}`),
      ['d-14:sent', 'd-7:sent', 'd-1:sent', 'd+3:sent']
    )
    assert.lengthOf(await reminders(world), 4)
    assert.include((await reminders(world))[3].body, '3 hari yang lalu')
  })

  test('an outlet without a phone is reminded through its linked contacts; none at all fails the try', async ({
    assert,
  }) => {
    const world = await createRenewalWorld()
    const outlet = await makeOutlet(world, '2026-12-31', { phone: null })
    const lonely = await makeOutlet(world, '2026-12-31', { phone: null })
    const contact = await Contact.create({ tenantId: world.tenant.id, phone: freshE164() })
    await ContactOutlet.create({
      tenantId: world.tenant.id,
      contactId: contact.id,
      outletId: outlet.id,
      source: 'agent',
      linkedBy: world.supervisor.id,
    })
    await renewals.computeDue(world.tenant.id, jakarta('2026-11-01'))
    assert.equal(
      await renewals.remind(jakarta('2026-12-17', '09:00'), { tenantId: world.tenant.id }),
      2
    )
    const sent = await reminders(world)
    assert.deepEqual(
      sent.map((row) => row.recipient),
      [contact.phone]
    )
    const failed = await RenewalAttempt.query()
      .join('renewals', 'renewals.id', 'renewal_attempts.renewal_id')
      .where('renewals.outlet_id', lonely.id)
      .select('renewal_attempts.*')
      .firstOrFail()
    assert.equal(failed.result, 'failed')
    assert.equal(failed.note, 'no_phone')
  })

  test('two servers running the reminder pass at once send each step once', async ({ assert }) => {
    const world = await createRenewalWorld()
    const now = jakarta('2026-11-01')
    for (let index = 0; index < 12; index++) await makeOutlet(world, '2026-12-31')
    await renewals.computeDue(world.tenant.id, now)
    const due = jakarta('2026-12-17', '09:00')
    const taken = await Promise.all([
      renewals.remind(due, { tenantId: world.tenant.id }),
      renewals.remind(due, { tenantId: world.tenant.id }),
      renewals.remind(due, { tenantId: world.tenant.id }),
    ])
    assert.equal(
      taken.reduce((sum, count) => sum + count, 0),
      12
    )
    const sent = await reminders(world)
    assert.lengthOf(sent, 12)
    assert.lengthOf(new Set(sent.map((row) => row.subjectId)), 12)
    const attempts = await RenewalAttempt.forTenant(world.tenant).where('step', 'd-14')
    assert.lengthOf(attempts, 12)

    // The next step too, raced again.
    const next = jakarta('2026-12-24', '09:00')
    await Promise.all([
      renewals.remind(next, { tenantId: world.tenant.id }),
      renewals.remind(next, { tenantId: world.tenant.id }),
    ])
    const all = await reminders(world)
    assert.lengthOf(all, 24)
    await outboxSettled(world.tenant.id)
    // This world's messages only: an earlier test's may still be arriving at the shared fake.
    const phones = new Set(all.map((row) => row.recipient.replace(/^\+/, '')))
    assert.lengthOf(
      graph.accepted.filter((accepted) => phones.has(accepted.payload.to)),
      24
    )
  })

  test('a step reached in quiet hours waits for their end, in the tenant zone', async ({
    assert,
  }) => {
    const world = await createRenewalWorld()
    const { renewal } = await outletWithRenewal(world, '2026-12-31', jakarta('2026-11-01'))
    // The server was down on D-14 and comes back at 22:30 Jakarta time.
    assert.equal(
      await renewals.remind(jakarta('2026-12-17', '22:30'), { tenantId: world.tenant.id }),
      1
    )
    assert.lengthOf(await reminders(world), 0)
    await renewal.refresh()
    assert.equal(renewal.nextStep, 'd-14')
    assert.equal(renewal.nextStepAt!.toISO(), jakarta('2026-12-18', '08:00').toUTC().toISO())
    assert.deepEqual(
      (await attemptsOf(renewal)).map((row) => `${row.step}:${row.result}`),
      ['d-14:skipped_quiet_hours']
    )
    assert.equal(
      await renewals.remind(jakarta('2026-12-18', '07:30'), { tenantId: world.tenant.id }),
      0
    )
    assert.equal(
      await renewals.remind(jakarta('2026-12-18', '08:00'), { tenantId: world.tenant.id }),
      1
    )
    assert.lengthOf(await reminders(world), 1)
  })

  test('the cap stops the reminders; the renewal churns after the last one, then winback runs', async ({
    assert,
  }) => {
    const world = await createRenewalWorld()
    await setRenewalSettings(world, { attemptCap: 2, winback: [14] })
    const { renewal } = await outletWithRenewal(world, '2026-12-31', jakarta('2026-11-01'))
    await renewals.remind(jakarta('2026-12-17'), { tenantId: world.tenant.id })
    await renewals.remind(jakarta('2026-12-24'), { tenantId: world.tenant.id })
    await renewal.refresh()
    assert.equal(renewal.remindersSent, 2)
    assert.equal(renewal.nextStep, 'churn')
    assert.equal(await renewals.remind(jakarta('2026-12-30'), { tenantId: world.tenant.id }), 0)
    assert.equal(
      await renewals.remind(jakarta('2027-01-04', '00:30'), { tenantId: world.tenant.id }),
      1
    )
    await renewal.refresh()
    assert.equal(renewal.status, 'churned')
    assert.equal(renewal.nextStep, 'winback-1')
    assert.lengthOf(await reminders(world), 2)
    assert.equal(
      await renewals.remind(jakarta('2027-01-18', '09:00'), { tenantId: world.tenant.id }),
      1
    )
    await renewal.refresh()
    assert.isNull(renewal.nextStep)
    assert.deepEqual(
      (await attemptsOf(renewal)).map((row) => `${row.step}:${row.result}`),
      ['d-14:sent', 'd-7:sent', 'churn:logged', 'winback-1:sent']
    )
    assert.lengthOf(await reminders(world), 3)
  })

  test('nothing goes once paid: a later expiry date from the POS closes the renewal as renewed', async ({
    assert,
  }) => {
    const world = await createRenewalWorld()
    const { outlet, renewal } = await outletWithRenewal(world, '2026-12-31', jakarta('2026-11-01'))
    await renewals.remind(jakarta('2026-12-17'), { tenantId: world.tenant.id })
    outlet.expiresOn = '2027-12-31'
    await outlet.save()
    assert.equal(await renewals.remind(jakarta('2026-12-24'), { tenantId: world.tenant.id }), 1)
    await renewal.refresh()
    assert.equal(renewal.status, 'renewed')
    assert.equal(renewal.paidUntil, '2027-12-31')
    assert.isNull(renewal.nextStep)
    assert.lengthOf(await reminders(world), 1)
    assert.deepEqual(
      (await attemptsOf(renewal)).map((row) => `${row.step}:${row.result}`),
      ['d-14:sent', 'd-7:skipped_paid']
    )
    assert.equal(await renewals.remind(jakarta('2027-01-03'), { tenantId: world.tenant.id }), 0)
  })

  test('a payment after churning recovers the renewal and counts for recovery and winback', async ({
    assert,
  }) => {
    const world = await createRenewalWorld()
    const now = DateTime.now()
    const { outlet, renewal } = await outletWithRenewal(world, jakartaDay(-3), now)
    renewal.merge({ status: 'churned', churnedAt: now, nextStep: 'winback-1' })
    await renewal.save()
    const other = await outletWithRenewal(world, jakartaDay(-2), now)
    other.renewal.merge({ status: 'churned', churnedAt: now })
    await other.renewal.save()
    const { closed } = await renewals.recordPayment(world.tenant.id, {
      fid: outlet.fid,
      oid: outlet.oid,
      paidUntil: jakartaDay(360),
    })
    assert.equal(closed[0].status, 'recovered')
    const figures = await renewals.figures(world.tenant.id, 'Asia/Jakarta', now)
    const month = figures.find(
      (row) => row.month === now.setZone('Asia/Jakarta').toFormat('yyyy-LL')
    )!
    assert.equal(month.churned, 2)
    assert.equal(month.wonBack, 1)
    assert.equal(month.winbackRate, 0.5)
  })
})

test.group('Renewals: the board, pages and roles', (group) => {
  withFakeWhatsapp(group)

  test('owners, admins, supervisors and the renewal team work the board; others get 403', async ({
    client,
    assert,
  }) => {
    const world = await createRenewalWorld()
    const { renewal } = await outletWithRenewal(world, jakartaDay(3), DateTime.now())
    for (const user of [world.owner, world.admin, world.supervisor, world.renewal]) {
      const board = await client.get('/app/renewals').loginAs(user)
      assert.equal(board.status(), 200, user.role)
      assert.include(board.text(), `data-renewal="${renewal.id}"`)
      assert.notInclude(board.text(), 'translation missing')
      const show = await client.get(`/app/renewals/${renewal.id}`).loginAs(user)
      assert.equal(show.status(), 200)
      assert.notInclude(show.text(), 'translation missing')
      const logged = await client
        .post(`/app/renewals/${renewal.id}/log`)
        .form({ kind: 'call', note: `Ditelepon oleh ${user.role}` })
        .redirects(0)
        .withCsrfToken()
        .loginAs(user)
      assert.equal(logged.status(), 302)
    }
    for (const user of [world.rina, world.operator]) {
      assert.equal((await client.get('/app/renewals').loginAs(user)).status(), 403)
      assert.equal((await client.get(`/app/renewals/${renewal.id}`).loginAs(user)).status(), 403)
      const refused = await client
        .post(`/app/renewals/${renewal.id}/log`)
        .form({ kind: 'note', note: 'x' })
        .redirects(0)
        .withCsrfToken()
        .loginAs(user)
      assert.equal(refused.status(), 403)
    }
    const logged = await attemptsOf(renewal)
    assert.lengthOf(logged, 4)
    assert.isTrue(logged.every((row) => row.result === 'logged' && row.step === 'call'))
    assert.equal(logged[3].userId, world.renewal.id)

    const home = await app.container.make(StaffHome)
    assert.isTrue((await home.nav(world.renewal, world.branch)).has('renewals'))
    assert.isFalse((await home.nav(world.rina, world.branch)).has('renewals'))
    const page = await client.get('/app/renewals').loginAs(world.renewal)
    assert.include(page.text(), 'href="/app/renewals"')
  })

  test("another tenant's renewal answers 404 and takes no note", async ({ client, assert }) => {
    const one = await createRenewalWorld()
    const other = await createRenewalWorld()
    const { renewal } = await outletWithRenewal(other, jakartaDay(3), DateTime.now())
    assert.equal(
      (await client.get(`/app/renewals/${renewal.id}`).loginAs(one.renewal)).status(),
      404
    )
    const write = await client
      .post(`/app/renewals/${renewal.id}/log`)
      .form({ kind: 'note', note: 'Bukan milik kami' })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(one.owner)
    assert.equal(write.status(), 404)
    assert.lengthOf(await attemptsOf(renewal), 0)
    assert.notInclude(
      (await client.get('/app/renewals').loginAs(one.owner)).text(),
      `data-renewal="${renewal.id}"`
    )
  })

  test('tabs hold due this week, overdue, recovered and churned, with counts', async ({
    client,
    assert,
  }) => {
    const world = await createRenewalWorld()
    const now = DateTime.now()
    const due = await outletWithRenewal(world, jakartaDay(2), now)
    await outletWithRenewal(world, jakartaDay(30), now)
    const overdue = await outletWithRenewal(world, jakartaDay(-2), now)
    const churned = await outletWithRenewal(world, jakartaDay(-1), now)
    churned.renewal.merge({ status: 'churned', churnedAt: now })
    await churned.renewal.save()
    const counts = await renewals.counts(world.tenant.id, jakartaDay(0))
    assert.deepEqual(counts, { due: 1, overdue: 1, recovered: 0, churned: 1 })
    const page = await client.get('/app/renewals?tab=overdue').loginAs(world.renewal)
    assert.include(page.text(), `data-renewal="${overdue.renewal.id}"`)
    assert.notInclude(page.text(), `data-renewal="${due.renewal.id}"`)
    assert.match(page.text(), /data-count="churned">1</)
    assert.equal(
      (await client.get('/app/renewals?tab=nope').redirects(0).loginAs(world.renewal)).status(),
      302
    )
  })

  test('the settings form saves the cadence, cap, quiet hours, winback and horizon, and replans', async ({
    client,
    assert,
  }) => {
    const world = await createRenewalWorld()
    const { renewal } = await outletWithRenewal(world, '2026-12-31', jakarta('2026-11-01'))
    const response = await client
      .put('/app/renewals/settings/cadence')
      .form({
        cadence: '-10, -2, +1',
        attempt_cap: 3,
        quiet_start: '20:00',
        quiet_end: '09:00',
        winback: '+7',
        horizon_days: 45,
      })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.supervisor)
    assert.equal(response.status(), 302)
    const { settings } = await renewals.context(world.tenant.id)
    assert.deepEqual(settings, {
      cadence: [-10, -2, 1],
      attemptCap: 3,
      quietStart: '20:00',
      quietEnd: '09:00',
      winback: [7],
      horizonDays: 45,
    })
    await renewal.refresh()
    assert.equal(renewal.nextStep, 'd-10')
    assert.equal(renewal.nextStepAt!.toISO(), jakarta('2026-12-21', '09:00').toUTC().toISO())
    const bad = await client
      .put('/app/renewals/settings/cadence')
      .form({
        cadence: 'soon',
        attempt_cap: 0,
        quiet_start: '25:00',
        quiet_end: '09:00',
        horizon_days: 45,
      })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.owner)
    assert.equal(bad.status(), 422)
    for (const locale of ['id', 'en', 'ms']) {
      world.owner.locale = locale
      await world.owner.save()
      const settingsPage = await client.get('/app/renewals/settings').loginAs(world.owner)
      assert.equal(settingsPage.status(), 200)
      assert.notInclude(settingsPage.text(), 'translation missing', locale)
      const board = await client.get('/app/renewals?tab=churned').loginAs(world.owner)
      assert.notInclude(board.text(), 'translation missing', locale)
    }
  })
})

test.group('Renewals: the merchant replies in the inbox', (group) => {
  withFakeWhatsapp(group)

  test('a reminder goes out, the merchant replies: a renewal conversation, and the renewal shows the reply', async ({
    client,
    assert,
  }) => {
    const world = await createRenewalWorld()
    await setRenewalSettings(world, { quietStart: '00:00', quietEnd: '00:00' })
    const now = DateTime.now()
    const { outlet, renewal } = await outletWithRenewal(world, jakartaDay(14), now)
    assert.equal(await renewals.remind(now, { tenantId: world.tenant.id }), 1)
    await outboxSettled(world.tenant.id)
    const from = outlet.phone!.slice(1)
    assert.lengthOf(
      graph.accepted.filter((one) => one.payload.to === from),
      1
    )

    const response = await deliver(
      world,
      webhookBody({
        messages: [
          waMessage(from, { type: 'text', text: { body: 'Mau perpanjang, berapa biayanya?' } }),
        ],
      })
    )
    assert.equal(response.status, 200)
    const conversation = await Conversation.query()
      .where('tenant_id', world.tenant.id)
      .orderBy('id', 'desc')
      .firstOrFail()
    assert.equal(conversation.kind, 'renewal')
    assert.equal(conversation.outletId, outlet.id)
    const row = await db.from('conversations').where('id', conversation.id).first()
    assert.equal(row.route_reason, `renewal_reminding:${outlet.fid}/${outlet.oid}`)

    const reply = (await attemptsOf(renewal)).find((attempt) => attempt.result === 'replied')!
    assert.equal(reply.conversationId, conversation.id)
    assert.equal(reply.note, 'Mau perpanjang, berapa biayanya?')
    await renewal.refresh()
    assert.isNotNull(renewal.repliedAt)
    const page = await client.get(`/app/renewals/${renewal.id}`).loginAs(world.renewal)
    assert.include(page.text(), 'data-result="replied"')
    assert.include(page.text(), 'Mau perpanjang, berapa biayanya?')
    assert.include(page.text(), `/app/inbox/${conversation.id}`)

    // Someone with no renewal going on still opens a support ticket.
    await deliver(world, webhookBody({ messages: [waMessage(freshE164().slice(1))] }))
    const support = await Conversation.query()
      .where('tenant_id', world.tenant.id)
      .orderBy('id', 'desc')
      .firstOrFail()
    assert.notEqual(support.kind, 'renewal')
  })
})
