import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import Contact from '#models/contact'
import Conversation from '#models/conversation'
import MessagingChannel from '#models/messaging_channel'
import Notification from '#models/notification'
import Outlet from '#models/outlet'
import Rating from '#models/rating'
import RatingCredit from '#models/rating_credit'
import User from '#models/user'
import InboxAnalytics, { sendWeeklySummaries } from '#services/inbox/inbox_analytics'
import { createInboxWorld, type InboxWorld } from '#tests/helpers/inbox'
import { PASSWORD } from '#tests/helpers/world'

const ZONE = 'Asia/Jakarta'
const PERIOD = { from: '2026-03-01', to: '2026-03-31' }
/** "Now" of the report: Tuesday 10 March 2026, 11:00 in Jakarta. */
const NOW = DateTime.fromISO('2026-03-10T11:00', { zone: ZONE })
const analytics = new InboxAnalytics()

const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE })

interface TicketSpec {
  created: string
  frt?: number
  art?: number
  status: Conversation['status']
  category?: string | null
  assignee?: User | null
  fid?: string | null
  oid?: string | null
  reopen?: number
  breached?: boolean
  kind?: Conversation['kind']
}

async function ticket(world: Pick<InboxWorld, 'tenant'>, spec: TicketSpec) {
  const contact = await Contact.create({
    tenantId: world.tenant.id,
    phone: `+62813${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
  })
  const created = at(spec.created)
  return Conversation.create({
    tenantId: world.tenant.id,
    contactId: contact.id,
    kind: spec.kind ?? 'support',
    status: spec.status,
    category: spec.category ?? null,
    assigneeId: spec.assignee?.id ?? null,
    fid: spec.fid ?? null,
    oid: spec.oid ?? null,
    reopenCount: spec.reopen ?? 0,
    lastMessageAt: created,
    createdAt: created,
    firstRespondedAt: spec.frt === undefined ? null : created.plus({ minutes: spec.frt }),
    resolvedAt: spec.art === undefined ? null : created.plus({ minutes: spec.art }),
    firstResponseBreached: spec.breached ?? false,
  })
}

async function rating(
  world: Pick<InboxWorld, 'tenant'>,
  conversation: Conversation,
  agent: User,
  sent: string,
  score: number | null
) {
  const row = await Rating.create({
    tenantId: world.tenant.id,
    branchId: null,
    subjectType: 'conversation',
    subjectId: String(conversation.id),
    label: `#${conversation.id}`,
    token: randomBytes(16).toString('hex'),
    channel: 'whatsapp',
    recipient: '+6281300000000',
    locale: 'id',
    sentAt: at(sent),
    expiresAt: at(sent).plus({ days: 7 }),
    score,
    answeredAt: score === null ? null : at(sent).plus({ hours: 1 }),
  })
  await RatingCredit.create({
    tenantId: world.tenant.id,
    ratingId: row.id,
    userId: agent.id,
    part: 'agent',
  })
}

/**
 * The hand-made month (Jakarta): eight support tickets and one queue conversation.
 * FRT (answered in March): 10, 20, 30, 60, 5 -> average 25, median 20.
 * ART (resolved in March): 60, 120, 240 -> average 140, median 120; one of three reopened.
 * F1/O1 has five tickets in March (high-touch), F2/O9 two.
 */
async function dataset(world: InboxWorld) {
  await Outlet.create({ tenantId: world.tenant.id, fid: 'F1', oid: 'O1', name: 'Bakso Pusat' })
  const { rina, budi } = world
  const f1 = { fid: 'F1', oid: 'O1' }
  const t1 = await ticket(world, {
    created: '2026-03-02T09:00',
    frt: 10,
    art: 60,
    status: 'resolved',
    category: 'billing',
    assignee: rina,
    ...f1,
  })
  const t2 = await ticket(world, {
    created: '2026-03-03T09:00',
    frt: 20,
    art: 120,
    status: 'resolved',
    category: 'billing',
    assignee: rina,
    reopen: 1,
    ...f1,
  })
  const t3 = await ticket(world, {
    created: '2026-03-04T09:00',
    frt: 30,
    art: 240,
    status: 'closed',
    category: 'device',
    assignee: budi,
    ...f1,
  })
  await ticket(world, {
    created: '2026-03-05T09:00',
    frt: 60,
    status: 'open',
    category: 'device',
    assignee: budi,
    ...f1,
  })
  await ticket(world, { created: '2026-03-06T09:00', status: 'open', ...f1 })
  await ticket(world, {
    created: '2026-03-10T09:00',
    frt: 5,
    status: 'pending',
    category: 'billing',
    assignee: rina,
    fid: 'F2',
    oid: 'O9',
    breached: true,
  })
  await ticket(world, { created: '2026-03-10T10:30', status: 'open' })
  await ticket(world, {
    created: '2026-03-09T09:00',
    status: 'open',
    category: 'device',
    fid: 'F2',
    oid: 'O9',
  })
  // Taking a number by WhatsApp: no ticket, never counted.
  await ticket(world, {
    created: '2026-03-04T10:00',
    frt: 1,
    art: 2,
    status: 'resolved',
    category: 'billing',
    kind: 'queue',
    ...f1,
  })
  await rating(world, t1, rina, '2026-03-02T11:00', 5)
  await rating(world, t2, rina, '2026-03-03T12:00', 3)
  await rating(world, t3, budi, '2026-03-04T14:00', null)
  return { t1, t2, t3 }
}

const close = (actual: number | null, expected: number) =>
  Math.abs((actual ?? Number.NaN) - expected) < 1e-6

test.group('Inbox analytics', () => {
  test('the metrics of a hand-made month', async ({ assert }) => {
    const world = await createInboxWorld()
    await dataset(world)
    const other = await createInboxWorld()
    await ticket(other, {
      created: '2026-03-05T09:00',
      frt: 1,
      art: 2,
      status: 'resolved',
      category: 'secret-cat',
      fid: 'F1',
      oid: 'O1',
    })

    const report = await analytics.report(world.tenant.id, null, PERIOD, ZONE, NOW)
    assert.equal(report.opened, 8)
    assert.equal(report.resolved, 3)
    assert.equal(report.reopened, 1)
    assert.isTrue(close(report.reopenRate, 1 / 3))
    assert.equal(report.breached, 1)
    assert.deepEqual(report.frt, { count: 5, average: 25, median: 20 })
    assert.deepEqual(report.art, { count: 3, average: 140, median: 120 })
    assert.deepEqual(report.categories, [
      { category: 'billing', count: 3 },
      { category: 'device', count: 3 },
      { category: null, count: 2 },
    ])
    assert.notInclude(
      report.categories.map((row) => row.category),
      'secret-cat',
      "another tenant's tickets never count"
    )

    const rina = report.agents.find((row) => row.userId === world.rina.id)!
    assert.include(rina, { opened: 3, resolved: 2, csatSent: 2, csatAnswered: 2, csatAverage: 4 })
    assert.isTrue(close(rina.frtAverage, 35 / 3))
    assert.isTrue(close(rina.artAverage, 90))
    const budi = report.agents.find((row) => row.userId === world.budi.id)!
    assert.include(budi, { opened: 2, resolved: 1, frtAverage: 45, artAverage: 240, csatSent: 1 })
    assert.equal(budi.csatAnswered, 0)
    assert.isNull(budi.csatAverage)

    assert.deepEqual(report.merchants, [
      { fid: 'F1', oid: 'O1', name: 'Bakso Pusat', tickets: 5 },
      { fid: 'F2', oid: 'O9', name: null, tickets: 2 },
    ])
    assert.deepEqual(report.highTouch, [
      { fid: 'F1', oid: 'O1', name: 'Bakso Pusat', tickets: 5, month: '2026-03' },
    ])
    assert.deepEqual(report.backlog, [
      { bucket: 'lt_1h', count: 1 },
      { bucket: 'h1_4', count: 1 },
      { bucket: 'h4_24', count: 0 },
      { bucket: 'd1_3', count: 1 },
      { bucket: 'gt_3d', count: 2 },
    ])
    assert.deepEqual(report.csat, {
      sent: 3,
      answered: 2,
      average: 4,
      distribution: [0, 0, 1, 0, 1],
    })
    assert.deepEqual(
      report.weeks.map((week) => [week.week, week.opened, week.resolved]),
      [
        ['2026-02-23', 0, 0],
        ['2026-03-02', 5, 3],
        ['2026-03-09', 3, 0],
        ['2026-03-16', 0, 0],
        ['2026-03-23', 0, 0],
        ['2026-03-30', 0, 0],
      ]
    )

    // A scoped viewer sees their franchise only.
    const scoped = await analytics.report(
      world.tenant.id,
      [{ fid: 'F2', oid: null }],
      PERIOD,
      ZONE,
      NOW
    )
    assert.equal(scoped.opened, 2)
    assert.equal(scoped.csat.sent, 0)
    assert.deepEqual(
      scoped.backlog.map((row) => row.count),
      [0, 1, 0, 1, 0]
    )

    const otherReport = await analytics.report(other.tenant.id, null, PERIOD, ZONE, NOW)
    assert.equal(otherReport.opened, 1)
    assert.deepEqual(otherReport.highTouch, [])
  })

  test('the page for a supervisor, 403 for an agent, and the CSV', async ({ client, assert }) => {
    const world = await createInboxWorld()
    await dataset(world)
    const other = await createInboxWorld()
    await ticket(other, { created: '2026-03-05T09:00', status: 'open', category: 'secret-cat' })

    const query = `from=${PERIOD.from}&to=${PERIOD.to}`
    const page = await client.get(`/app/inbox-analytics?${query}`).loginAs(world.supervisor)
    page.assertStatus(200)
    assert.include(page.text(), 'data-testid="kpi-opened">8<')
    assert.include(page.text(), 'Bakso Pusat')
    assert.include(page.text(), 'data-high-touch="F1/O1"')
    assert.notInclude(page.text(), 'secret-cat')

    const inbox = await client.get('/app/inbox').loginAs(world.supervisor)
    assert.include(inbox.text(), 'data-testid="inbox-analytics-link"')

    const forbidden = await client.get(`/app/inbox-analytics?${query}`).loginAs(world.rina)
    forbidden.assertStatus(403)
    const csvForbidden = await client
      .get(`/app/inbox-analytics/export.csv?${query}`)
      .loginAs(world.rina)
    csvForbidden.assertStatus(403)

    const csv = await client
      .get(`/app/inbox-analytics/export.csv?${query}`)
      .loginAs(world.supervisor)
    csv.assertStatus(200)
    assert.include(csv.header('content-type'), 'text/csv')
    const lines = csv
      .text()
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean)
    assert.equal(
      lines[0],
      'id,created_at,status,category,assignee,fid,oid,first_responded_at,resolved_at,frt_minutes,art_minutes,reopen_count,first_response_breached,resolution_breached'
    )
    assert.lengthOf(lines, 1 + 8)
    assert.isTrue(lines.slice(1).every((line) => !line.includes('secret-cat')))
    assert.include(lines[1], '2026-03-02 09:00,resolved,billing')

    // A period longer than 366 days is cut, a reversed one held to a day: both still answer.
    const long = await client
      .get('/app/inbox-analytics?from=2020-01-01&to=2026-03-31')
      .loginAs(world.supervisor)
    long.assertStatus(200)
    assert.include(long.text(), '2025-03-31')
  })

  test('the weekly summary emails each owner once per ISO week', async ({ assert }) => {
    const world = await createInboxWorld()
    await dataset(world)
    await MessagingChannel.create({
      tenantId: world.tenant.id,
      kind: 'email',
      isActive: true,
      settings: {
        host: '127.0.0.1',
        port: 2525,
        secure: false,
        username: null,
        password: null,
        from_address: `loket-${world.key}@test.loket`,
        from_name: null,
      },
    })
    const second = await User.create({
      tenantId: world.tenant.id,
      branchId: null,
      fullName: `Second owner ${world.key}`,
      email: `owner2-${world.key}@test.loket`,
      password: PASSWORD,
      role: 'owner',
      isActive: true,
    })
    // Without an email channel nothing is written for that tenant.
    const quiet = await createInboxWorld()
    await ticket(quiet, { created: '2026-03-12T09:00', status: 'open' })

    const monday = at('2026-03-16T07:00')
    await sendWeeklySummaries(monday)
    const rows = () =>
      Notification.query()
        .whereIn('tenant_id', [world.tenant.id, quiet.tenant.id])
        .where('event', 'inbox_weekly_summary')
        .orderBy('id')
    const sent = await rows()
    assert.lengthOf(sent, 2)
    assert.sameMembers(
      sent.map((row) => row.recipient),
      [world.owner.email, second.email]
    )
    assert.isTrue(sent.every((row) => row.tenantId === world.tenant.id && row.channel === 'email'))
    const [first] = sent
    assert.equal(first.dedupeKey, `inbox-weekly:${world.tenant.id}:2026-W11:${world.owner.id}`)
    // Last week (9 to 15 March): tickets 6, 7 and 8 opened, none resolved, one breached.
    assert.include(first.variables, {
      opened: '3',
      resolved: '0',
      frt_median: '5',
      art_median: '-',
      breached: '1',
      from: '2026-03-09',
      to: '2026-03-15',
    })
    assert.include(first.variables.link, '/app/inbox-analytics')
    assert.include(first.body, '/app/inbox-analytics')

    await sendWeeklySummaries(monday.plus({ hours: 3 }))
    assert.lengthOf(await rows(), 2, 'a second run the same week adds none')
  })
})
