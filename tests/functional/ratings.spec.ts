import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import Notification from '#models/notification'
import Rating from '#models/rating'
import RatingCredit from '#models/rating_credit'
import User from '#models/user'
import WebhookDelivery from '#models/webhook_delivery'
import JobService from '#services/field/job_service'
import BookingService from '#services/bookings/booking_service'
import QueueEngine from '#services/queue/queue_engine'
import RatingService from '#services/billing/rating_service'
import WebhookEndpoints from '#services/messaging/webhook_endpoints'
import clock from '#support/clock'
import liveVersion from '#support/live_version'
import { createFieldWorld, createJob, type FieldWorld } from '#tests/helpers/field'
import { createWorld, PASSWORD } from '#tests/helpers/world'
import { bookingAtNine, jakartaAt, tomorrow } from '#tests/helpers/bookings'
import { messageVisitors } from '#tests/helpers/outbox'

const jobs = await app.container.make(JobService)
const bookings = await app.container.make(BookingService)
const engine = await app.container.make(QueueEngine)
const ratings = await app.container.make(RatingService)

/** A job of the world's customer done by its first technician. */
async function doneJob(world: FieldWorld) {
  const job = await createJob(world, { quota: 1 })
  const technician = world.technicians[0]
  await jobs.claim(job.id, world.tenant.id, technician)
  await jobs.start(job.id, world.tenant.id, technician, { by: technician })
  await jobs.finish(job.id, world.tenant.id, technician, { by: technician })
  return job
}

/** A rating of a done job, its link already sent. */
async function sentRating(world: FieldWorld) {
  const job = await doneJob(world)
  clock.travelTo(clock.now().plus({ minutes: 31 }))
  await ratings.sendDue()
  return Rating.query()
    .where('subject_type', 'job')
    .where('subject_id', String(job.id))
    .firstOrFail()
}

test.group('Ratings: links for finished work', (group) => {
  group.each.teardown(() => clock.reset())

  test('a done job leaves a link crediting its technician and CS, sent once after the delay', async ({
    assert,
  }) => {
    const world = await createFieldWorld()
    await messageVisitors(world)
    const job = await doneJob(world)
    const rating = await Rating.query()
      .where('tenant_id', world.tenant.id)
      .where('subject_type', 'job')
      .firstOrFail()
    assert.equal(rating.subjectId, String(job.id))
    assert.equal(rating.recipient, world.customer.phone)
    assert.isNull(rating.sentAt)
    const credits = await RatingCredit.query().where('rating_id', rating.id).orderBy('part')
    assert.deepEqual(
      credits.map((credit) => [credit.part, credit.userId]),
      [
        ['cs', world.cs.id],
        ['technician', world.technicians[0].id],
      ]
    )

    await ratings.sendDue()
    assert.isNull((await Rating.findOrFail(rating.id)).sentAt, 'not before the tenant’s 30 minutes')
    clock.travelTo(clock.now().plus({ minutes: 31 }))
    await ratings.sendDue()
    await ratings.sendDue()
    assert.isNotNull((await Rating.findOrFail(rating.id)).sentAt)
    const messages = await Notification.query()
      .where('tenant_id', world.tenant.id)
      .where('event', 'rating_request')
    assert.lengthOf(messages, 1)
    assert.include(messages[0].body, `/r/${rating.token}`)
    assert.include(messages[0].body, job.code)
  })

  test('a served ticket credits its operator; a finished booking its staff; nobody reachable, no link', async ({
    client,
    assert,
  }) => {
    const world = await createWorld({ services: 1, counters: 1 })
    await messageVisitors(world)
    const ticket = await engine.take(world.branch, world.services[0], {
      channel: 'web',
      phone: '+6281299990000',
      locale: 'en',
    })
    const silent = await engine.take(world.branch, world.services[0], { channel: 'web' })
    world.counters[0].operatorId = world.operator.id
    await world.counters[0].save()
    for (const each of [ticket, silent]) {
      const called = (await engine.callNext(world.branch, {
        counter: world.counters[0],
        by: world.operator,
      }))!
      await engine.complete(called, { counter: world.counters[0], by: world.operator })
      assert.equal(called.id, each.id)
    }
    const rating = await Rating.query().where('subject_id', ticket.id).firstOrFail()
    assert.equal(rating.locale, 'en')
    assert.equal(rating.label, ticket.number)
    const credits = await RatingCredit.query().where('rating_id', rating.id)
    assert.deepEqual(
      credits.map((credit) => [credit.part, credit.userId]),
      [['operator', world.operator.id]]
    )
    assert.isNull(await Rating.query().where('subject_id', silent.id).first())
    // Answered, it counts for the operator and for the service on the dashboard.
    await ratings.answer(rating.token, 4, null)
    const dashboard = await client.get('/app/ratings').loginAs(world.owner)
    const services = dashboard
      .text()
      .slice(dashboard.text().indexOf('data-testid="ratings-services"'))
    assert.match(
      services,
      new RegExp(`${world.services[0].name}</td><td class="num">1</td><td class="num">4.00`)
    )
    assert.match(dashboard.text(), new RegExp(`${world.operator.fullName}</td><td>Operator</td>`))

    const { world: salon, booking } = await bookingAtNine()
    await messageVisitors(salon)
    clock.travelTo(jakartaAt(tomorrow(), '08:55'))
    await bookings.checkIn(booking.id, salon.tenant.id, { by: salon.operator })
    await bookings.start(booking.id, salon.tenant.id, { by: salon.operator })
    await bookings.finish(booking.id, salon.tenant.id, { by: salon.operator })
    const salonRating = await Rating.query().where('subject_id', booking.id).firstOrFail()
    assert.equal(salonRating.subjectType, 'booking')
    assert.equal(salonRating.recipient, '+6281234567890')
    const staff = await RatingCredit.query().where('rating_id', salonRating.id)
    assert.deepEqual([...new Set(staff.map((credit) => credit.userId))], [salon.operator.id])
  })

  test('a tenant with ratings off sends no link', async ({ assert }) => {
    const world = await createFieldWorld()
    await messageVisitors(world)
    world.tenant.billingSettings = JSON.stringify({ ratingsEnabled: false })
    await world.tenant.save()
    await doneJob(world)
    assert.isNull(await Rating.query().where('tenant_id', world.tenant.id).first())
  })
})

test.group('Ratings: the customer’s page', (group) => {
  group.each.teardown(() => clock.reset())

  test('five stars and a comment, answered once; a low score alerts the supervisors', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    await messageVisitors(world)
    const supervisor = await User.create({
      tenantId: world.tenant.id,
      branchId: world.branch.id,
      fullName: `Supervisor ${world.key}`,
      email: `sup-${world.key}@test.loket`,
      phone: '+6281277776666',
      password: PASSWORD,
      role: 'supervisor',
      isActive: true,
    })
    const endpoints = await app.container.make(WebhookEndpoints)
    await endpoints.create(
      world.tenant,
      { url: 'https://example.com/hook', events: ['rating.received'], isActive: true },
      { user: world.owner }
    )
    const rating = await sentRating(world)
    const versionBefore = await liveVersion.get(world.branch.id)

    const page = await client.get(`/r/${rating.token}`)
    page.assertStatus(200)
    page.assertTextIncludes('Bagaimana layanan')
    page.assertTextIncludes('name="score"')
    const english = await client.get(`/r/${rating.token}?lang=en`)
    english.assertTextIncludes('How was your visit')

    for (const score of [0, 6, 'lima']) {
      const bad = await client
        .post(`/r/${rating.token}`)
        .form({ score })
        .header('accept', 'application/json')
        .withCsrfToken()
      bad.assertStatus(422)
    }
    const answer = await client
      .post(`/r/${rating.token}`)
      .form({ score: 2, comment: 'Teknisi datang terlambat' })
      .redirects(0)
      .withCsrfToken()
    answer.assertStatus(302)
    const again = await client
      .post(`/r/${rating.token}`)
      .form({ score: 5, comment: 'ganti' })
      .redirects(0)
      .withCsrfToken()
    again.assertStatus(302)
    const stored = await Rating.findOrFail(rating.id)
    assert.equal(stored.score, 2)
    assert.equal(stored.comment, 'Teknisi datang terlambat')
    const thanks = await client.get(`/r/${rating.token}`)
    thanks.assertTextIncludes('Terima kasih')
    thanks.assertTextIncludes('Teknisi datang terlambat')
    assert.notInclude(thanks.text(), 'name="score"')

    const alerts = await Notification.query()
      .where('tenant_id', world.tenant.id)
      .where('event', 'rating_low')
    assert.includeMembers(
      alerts.map((alert) => alert.recipient),
      [supervisor.phone]
    )
    assert.include(alerts[0].body, 'Teknisi datang terlambat')

    // The supervisor board lists it, and redraws for it.
    assert.isAbove(await liveVersion.get(world.branch.id), versionBefore)
    const board = await client.get('/app/board').loginAs(supervisor)
    board.assertStatus(200)
    assert.include(board.text(), 'Teknisi datang terlambat')
    assert.include(board.text(), `data-rating="${rating.id}"`)
    const hooks = await WebhookDelivery.query()
      .where('tenant_id', world.tenant.id)
      .where('event', 'rating.received')
    assert.lengthOf(hooks, 1)
  })

  test('an expired link cannot be answered; an unknown one is 404', async ({ client, assert }) => {
    const world = await createFieldWorld()
    await messageVisitors(world)
    const rating = await sentRating(world)
    clock.travelTo(clock.now().plus({ days: 8 }))
    const page = await client.get(`/r/${rating.token}`)
    page.assertStatus(200)
    page.assertTextIncludes('kedaluwarsa')
    const late = await client
      .post(`/r/${rating.token}`)
      .form({ score: 5 })
      .header('accept', 'application/json')
      .withCsrfToken()
    late.assertStatus(410)
    assert.isNull((await Rating.findOrFail(rating.id)).score)
    ;(await client.get('/r/aaaaaaaaaaaaaaaaaaaaaaaa')).assertStatus(404)
  })
})

test.group('Ratings: the dashboard', (group) => {
  group.each.teardown(() => clock.reset())

  test('supervisors see the low ones of the week, the summary per staff member, and CSV', async ({
    client,
    assert,
  }) => {
    const world = await createFieldWorld()
    await messageVisitors(world)
    const low = await sentRating(world)
    await ratings.answer(low.token, 1, 'Kotor')
    const good = await sentRating(world)
    await ratings.answer(good.token, 5, 'Mantap')
    const other = await createFieldWorld()

    const page = await client.get('/app/ratings').loginAs(world.owner)
    page.assertStatus(200)
    page.assertTextIncludes('Kotor')
    page.assertTextIncludes('data-testid="kpi-answered">2<')
    page.assertTextIncludes('data-testid="kpi-average">3.00<')
    page.assertTextIncludes(world.technicians[0].fullName)
    // Per staff member and the part they played, and the weekly trend.
    const staffTable = page.text().slice(page.text().indexOf('data-testid="ratings-staff"'))
    assert.match(staffTable, new RegExp(`${world.technicians[0].fullName}</td><td>Teknisi</td>`))
    assert.match(staffTable, new RegExp(`${world.cs.fullName}</td><td>CS</td>`))
    page.assertTextIncludes('data-testid="trend-weeks"')
    assert.equal((page.text().match(/class="week-bar"/g) ?? []).length, 1)
    const lowOnly = await client.get('/app/ratings?low=1').loginAs(world.cs)
    lowOnly.assertStatus(200)
    assert.notInclude(lowOnly.text(), 'Mantap')

    const csv = await client.get('/app/ratings/export.csv').loginAs(world.owner)
    csv.assertStatus(200)
    const rows = csv
      .text()
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    assert.lengthOf(rows, 3)
    assert.include(csv.text(), world.technicians[0].fullName)

    const outsider = await client.get('/app/ratings').loginAs(other.owner)
    assert.notInclude(outsider.text(), 'Kotor')
    ;(await client.get('/app/ratings').loginAs(world.technicians[0])).assertStatus(403)
    ;(await client.get('/app/ratings').loginAs(world.sales)).assertStatus(403)
  })
})
