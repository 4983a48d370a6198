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
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import Resource from '#models/resource'
import ResourceSchedule from '#models/resource_schedule'
import { toSqlDateTime } from '#models/columns'
import { createFieldWorld, createJob } from '#tests/helpers/field'

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
    // The queue's two tables, then bookings, jobs, invoices and ratings.
    assert.lengthOf(workbook.worksheets, 6)
  })

  test('every breakdown and step answers; a week step sums the days; the area folds its services', async ({
    client,
    assert,
  }) => {
    const world = await morning()
    for (const by of ['service', 'area', 'counter', 'staff', 'branch'])
      for (const interval of ['hour', 'day', 'week', 'month']) {
        const page = await client
          .get(`/app/analytics?by=${by}&interval=${interval}`)
          .loginAs(world.owner)
        page.assertStatus(200)
      }
    // An hour a bar over the last 7 days at most: today's hour holds the morning's 6 numbers.
    const hourly = await client.get('/app/analytics?interval=hour').loginAs(world.owner)
    const hour = String(DateTime.now().setZone(world.branch.timezone).hour).padStart(2, '0')
    assert.include(hourly.text(), `${world.branch.today()} ${hour}:00: 6`)
    const hourBars = hourly.text().match(/class="ana-day"/g) ?? []
    assert.equal(hourBars.length % 7, 0)
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

  test('bookings, visit jobs, invoices and ratings: their KPIs on a hand-made dataset, on the page and in the CSV', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld({ services: 1, counters: 1 })
    const { tenant, branch } = world
    const zone = branch.timezone
    const today = DateTime.now().setZone(zone).startOf('day')
    const yesterday = today.minus({ days: 1 })
    const local = (day: DateTime, time: string) =>
      toSqlDateTime(DateTime.fromISO(`${day.toISODate()}T${time}`, { zone }))

    // A resource open 09:00-17:00 every day: 16 hours over the two days read.
    const resource = await Resource.create({
      tenantId: tenant.id,
      branchId: branch.id,
      kind: 'room',
      name: 'Ruang 1',
      position: 1,
      isActive: true,
    })
    await ResourceSchedule.createMany(
      [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
        tenantId: tenant.id,
        resourceId: resource.id,
        weekday,
        opensAt: '09:00',
        closesAt: '17:00',
      }))
    )
    // Two came, one never did, one cancelled: show-up 2 / 3; three hours booked of 16.
    const bookings = [
      ['done', '10:00', '11:00'],
      ['done', '11:00', '12:00'],
      ['no_show', '13:00', '14:00'],
      ['cancelled', '14:00', '15:00'],
    ]
    await db.table('bookings').multiInsert(
      bookings.map(([status, starts, ends], index) => ({
        id: randomUUID(),
        tenant_id: tenant.id,
        branch_id: branch.id,
        resource_id: resource.id,
        service_id: world.services[0].id,
        code: `AN${world.key}${index}`.slice(0, 12),
        status,
        channel: 'staff',
        starts_at: local(today, starts),
        ends_at: local(today, ends),
        service_date: today.toISODate(),
        local_time: starts,
        customer_name: 'Ibu Ani',
        price: 0,
        currency: 'IDR',
        created_at: local(yesterday, '08:00'),
        updated_at: local(today, ends),
      }))
    )

    // A technician finished two visits: claimed to done 120 and 60 minutes; a released claim does not count.
    const [tech, other] = world.technicians
    const job = await createJob(world)
    await db.table('job_assignments').multiInsert(
      [
        [tech.id, '09:00', '11:00', null],
        [tech.id, '10:00', '11:00', null],
        [other.id, '09:00', '12:00', local(today, '09:30')],
      ].map(([technician, claimed, done, released]) => ({
        tenant_id: tenant.id,
        job_id: job.id,
        technician_id: technician,
        claimed_at: local(today, claimed as string),
        done_at: local(today, done as string),
        released_at: released,
        emergency: false,
      }))
    )

    // Invoices: one paid today (Rp 1,110), one sent yesterday and due yesterday (overdue, Rp 2,220).
    const invoice = (status: string, total: number, fields: Record<string, unknown>) => ({
      tenant_id: tenant.id,
      branch_id: branch.id,
      number: `AN/${world.key}/${status}`,
      token: randomUUID().replaceAll('-', ''),
      status,
      currency: 'IDR',
      tax_mode: 'none',
      tax_rate_bp: 0,
      prices_include_tax: false,
      bill_to_name: 'Pak Budi',
      subtotal: total,
      discount: 0,
      net: total,
      tax_base: total,
      tax: 0,
      total,
      created_at: local(yesterday, '08:00'),
      updated_at: local(today, '08:00'),
      ...fields,
    })
    await db.table('invoices').multiInsert([
      invoice('paid', 111_000, {
        issued_on: today.toISODate(),
        paid_on: today.toISODate(),
        due_on: today.toISODate(),
      }),
      invoice('sent', 222_000, {
        issued_on: yesterday.toISODate(),
        due_on: yesterday.toISODate(),
      }),
    ])

    // Ratings 5, 5, 4 and 1: 3.75 on average.
    await db.table('ratings').multiInsert(
      [5, 5, 4, 1].map((score, index) => ({
        tenant_id: tenant.id,
        branch_id: branch.id,
        subject_type: 'ticket',
        subject_id: `an-${world.key}-${index}`,
        label: 'A001',
        token: randomUUID().replaceAll('-', ''),
        locale: 'id',
        expires_at: local(today.plus({ days: 7 }), '00:00'),
        score,
        answered_at: local(today, '10:00'),
        created_at: local(today, '09:00'),
      }))
    )

    const span = `from=${yesterday.toISODate()}&to=${today.toISODate()}`
    const page = await client.get(`/app/analytics?${span}`).loginAs(world.owner)
    page.assertStatus(200)
    const html = page.text()
    assert.equal(kpi(html, 'bookings'), '4')
    assert.equal(kpi(html, 'showUpRate'), '67%')
    assert.equal(kpi(html, 'bookingNoShows'), '1')
    assert.equal(kpi(html, 'ratingAverage'), '3.8')
    assert.include(html, 'data-testid="analytics-jobs"')
    assert.include(html, 'data-testid="analytics-invoices"')

    const csv = await client.get(`/app/analytics/export.csv?${span}`).loginAs(world.owner)
    const lines = csv.text().split('\r\n')
    assert.include(lines, 'Ruang 1,3,3,16,18.8')
    assert.include(lines, `${tech.fullName},2,90`)
    assert.notInclude(csv.text(), other.fullName)
    const months = lines
      .filter((line) => /^\d{4}-\d{2},IDR,/.test(line))
      .map((line) => line.split(','))
    const sum = (column: number) => months.reduce((total, row) => total + Number(row[column]), 0)
    assert.deepEqual([sum(2), sum(3), sum(4)], [3330, 1110, 2220])
    for (const [score, count] of [
      ['5', '2'],
      ['4', '1'],
      ['3', '0'],
      ['1', '1'],
    ])
      assert.include(lines, `${score},${count}`)

    // A clinic without these modules does not see their sections.
    const quiet = await morning()
    const plain = await client.get('/app/analytics').loginAs(quiet.owner)
    assert.notInclude(plain.text(), 'data-testid="analytics-bookings"')
    assert.notInclude(plain.text(), 'data-testid="analytics-jobs"')
  })
})
