import { test } from '@japa/runner'
import ExcelJS from 'exceljs'
import app from '@adonisjs/core/services/app'
import QueueEngine from '#services/queue/queue_engine'
import QueueStats from '#services/analytics/queue_stats'
import { HttpSession } from '#tests/helpers/http_session'
import { createWorld, PASSWORD } from '#tests/helpers/world'
import { DateTime } from 'luxon'
import clock from '#support/clock'
import MessagingChannel from '#models/messaging_channel'
import Notification from '#models/notification'
import { sendQueueWeeklySummaries } from '#services/analytics/queue_weekly_summary'

const engine = await app.container.make(QueueEngine)
const stats = new QueueStats()

/** A morning at a branch: 5 numbers taken, 2 served, 1 no-show, 1 cancelled, 1 still waiting. */
async function morning() {
  const world = await createWorld()
  const { branch, services, counters, operator } = world
  const action = { counter: counters[0], by: operator }
  for (let index = 0; index < 5; index++) await engine.take(branch, services[0], { channel: 'web' })
  for (let index = 0; index < 2; index++) {
    const called = (await engine.callNext(branch, action))!
    await engine.complete(called, action)
  }
  const missed = (await engine.callNext(branch, action))!
  await engine.noShow(missed, action)
  const waiting = await engine.take(branch, services[0], { channel: 'web' })
  await engine.cancel(waiting, 'visitor left', { by: operator })
  await stats.advance()
  return world
}

const kpi = (html: string, key: string) =>
  new RegExp(`data-kpi="${key}">\\s*[^<]*<strong>([^<]*)</strong>`).exec(html)?.[1]?.trim()

test.group('Analytics', () => {
  test('the KPIs, the breakdown per service, counter and staff, and the busiest hours come from the rollups', async ({
    client,
    assert,
  }) => {
    const world = await morning()
    const page = await client.get('/app/analytics').loginAs(world.owner)
    page.assertStatus(200)
    const html = page.text()
    assert.equal(kpi(html, 'taken'), '6')
    assert.equal(kpi(html, 'served'), '2')
    assert.equal(kpi(html, 'noShowRate'), '33%')
    assert.equal(kpi(html, 'slaCompliance'), '100%')
    assert.include(html, 'data-testid="sla-sentence"')
    assert.include(html, world.services[0].name)
    assert.include(html, 'data-testid="analytics-heatmap"')

    const byCounter = await client.get('/app/analytics?by=counter').loginAs(world.owner)
    byCounter.assertTextIncludes(world.counters[0].name)
    const byStaff = await client.get('/app/analytics?by=staff').loginAs(world.owner)
    byStaff.assertTextIncludes(world.operator.fullName)

    // Counting again changes nothing; rebuilding from the events gives the same figures.
    assert.equal(await stats.advance(), 0)
    await stats.rebuild()
    const again = await client.get('/app/analytics').loginAs(world.owner)
    assert.equal(kpi(again.text(), 'taken'), '6')
    assert.equal(kpi(again.text(), 'served'), '2')
  })

  test("owners, admins and supervisors read it; operators get 403; another tenant's branch is 404; bad dates are 422", async ({
    client,
  }) => {
    const world = await morning()
    ;(await client.get('/app/analytics').loginAs(world.admin)).assertStatus(200)
    ;(await client.get('/app/analytics').loginAs(world.operator)).assertStatus(403)
    const other = await createWorld()
    ;(
      await client.get(`/app/analytics?branch_id=${world.branch.id}`).loginAs(other.owner)
    ).assertStatus(404)
    ;(
      await client
        .get('/app/analytics?from=yesterday')
        .header('accept', 'application/json')
        .loginAs(world.owner)
    ).assertStatus(422)
  })

  test('the CSV and the XLSX workbook hold the same numbers', async ({ client, assert }) => {
    const world = await morning()
    const csv = await client.get('/app/analytics/export.csv').loginAs(world.owner)
    csv.assertStatus(200)
    assert.include(String(csv.header('content-type')), 'text/csv')
    const lines = csv.text().trim().split('\r\n')
    const today = world.branch.today()
    const csvDay = lines.find((line) => line.startsWith(today))!.split(',')

    // The workbook's bytes, as a browser downloads them.
    const browser = new HttpSession()
    await browser.login(world.owner.email, PASSWORD)
    const xlsx = await browser.request('/app/analytics/export.xlsx', { method: 'GET' })
    assert.equal(xlsx.status, 200)
    assert.equal(
      xlsx.headers.get('content-type'),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    )
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await xlsx.arrayBuffer())
    const sheet = workbook.worksheets[0]
    let xlsxDay: string[] = []
    sheet.eachRow((row) => {
      const values = (row.values as unknown[]).slice(1)
      if (values[0] === today)
        xlsxDay = values.map((value) =>
          value === null || value === undefined ? '' : String(value)
        )
    })
    assert.deepEqual(xlsxDay, csvDay)
    assert.equal(csvDay[1], '6')
    assert.equal(csvDay[2], '2')
    assert.lengthOf(workbook.worksheets, 2)
  })

  test('every breakdown and step answers; a week step sums the days; the area folds its services', async ({
    client,
    assert,
  }) => {
    const world = await morning()
    for (const by of ['service', 'area', 'counter', 'staff', 'branch'])
      for (const interval of ['day', 'week', 'month']) {
        const page = await client
          .get(`/app/analytics?by=${by}&interval=${interval}`)
          .loginAs(world.owner)
        page.assertStatus(200)
      }
    const weeks = await client.get('/app/analytics?interval=week').loginAs(world.owner)
    // 28 days from Monday-aligned weeks: 4 or 5 bars.
    const bars = weeks.text().match(/class="ana-day"/g) ?? []
    assert.oneOf(bars.length, [4, 5])
    const byBranch = await client.get('/app/analytics?by=branch').loginAs(world.owner)
    byBranch.assertTextIncludes(world.branch.name)
    const byArea = await client.get('/app/analytics?by=area').loginAs(world.owner)
    assert.match(byArea.text(), /<td class="num">6<\/td>/)
    ;(
      await client
        .get('/app/analytics?by=everything')
        .header('accept', 'application/json')
        .loginAs(world.owner)
    ).assertStatus(422)
  })

  test("the weekly email gives each owner last week's figures once", async ({ assert }) => {
    const world = await createWorld()
    const zone = world.branch.timezone
    const action = { counter: world.counters[0], by: world.operator }
    // Wednesday 11 November 2026, 10:00: four numbers; three served after 6, 7 and 8 minutes.
    const wednesday = DateTime.fromISO('2026-11-11T10:00', { zone })
    try {
      clock.travelTo(wednesday)
      for (let index = 0; index < 4; index++)
        await engine.take(world.branch, world.services[0], { channel: 'web' })
      for (let index = 0; index < 3; index++) {
        clock.travelTo(wednesday.plus({ minutes: 6 + index }))
        await engine.complete((await engine.callNext(world.branch, action))!, action)
      }
    } finally {
      clock.reset()
    }
    await stats.advance()
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
        from_address: `loket-${world.tenant.id}@test.loket`,
        from_name: null,
      },
    })
    const monday = DateTime.fromISO('2026-11-16T07:05', { zone })
    await sendQueueWeeklySummaries(monday)
    const rows = () =>
      Notification.query()
        .where('tenant_id', world.tenant.id)
        .where('event', 'queue_weekly_summary')
    const [sent, ...others] = await rows()
    assert.lengthOf(others, 0)
    assert.equal(sent.recipient, world.owner.email)
    assert.equal(sent.dedupeKey, `queue-weekly:${world.tenant.id}:2026-W46:${world.owner.id}`)
    assert.include(sent.variables, {
      from: '2026-11-09',
      to: '2026-11-15',
      taken: '4',
      served: '3',
      median_wait: '7',
      busiest_hour: '10:00',
    })
    assert.include(sent.body, '/app/analytics')
    await sendQueueWeeklySummaries(monday.plus({ hours: 2 }))
    assert.lengthOf(await rows(), 1, 'a second run the same week adds none')
  })
})
