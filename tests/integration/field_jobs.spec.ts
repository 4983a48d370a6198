import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import Job from '#models/job'
import JobEvent from '#models/job_event'
import JobAssignment from '#models/job_assignment'
import Notification from '#models/notification'
import AuditLog from '#models/audit_log'
import JobService from '#services/field/job_service'
import { createFieldWorld, createJob } from '#tests/helpers/field'
import { expectedRejection } from '#tests/helpers/errors'
import { messageVisitors } from '#tests/helpers/outbox'

const jobs = await app.container.make(JobService)

const eventsOf = async (jobId: number) =>
  (await JobEvent.query().where('job_id', jobId).orderBy('id')).map((event) => event.type)

test.group('Field jobs: the pool and the team', () => {
  test('claims fill the quota, the last place goes once, the job walks open -> assigned -> in_progress -> done', async ({
    assert,
  }) => {
    const world = await createFieldWorld()
    await messageVisitors(world)
    const [first, second, third] = world.technicians
    const job = await createJob(world, { quota: 2 })
    assert.equal(job.status, 'open')
    assert.match(job.code, /^JV[A-Z2-9]{5}$/)
    assert.equal(job.address, 'Jl. Melati 5, Bandung')

    assert.equal((await jobs.claim(job.id, world.tenant.id, first)).status, 'open')
    const again = await expectedRejection(jobs.claim(job.id, world.tenant.id, first))
    assert.equal(again.message, 'job_already_yours')
    const filled = await jobs.claim(job.id, world.tenant.id, second)
    assert.equal(filled.status, 'assigned')
    assert.equal(filled.claimed, 2)
    const taken = await expectedRejection(jobs.claim(job.id, world.tenant.id, third))
    assert.equal(taken.message, 'job_already_taken')
    assert.equal(taken.status, 409)

    // The customer hears who is coming once the team is complete.
    const scheduled = await Notification.query()
      .where('tenant_id', world.tenant.id)
      .where('event', 'job_scheduled')
    assert.lengthOf(scheduled, 1)
    assert.include(scheduled[0].body, first.fullName)
    assert.include(scheduled[0].body, second.fullName)

    assert.equal(
      (await jobs.start(job.id, world.tenant.id, first, { by: first })).status,
      'in_progress'
    )
    await jobs.start(job.id, world.tenant.id, second, { by: second })
    assert.equal(
      (await jobs.finish(job.id, world.tenant.id, first, { by: first })).status,
      'in_progress'
    )
    const done = await jobs.finish(job.id, world.tenant.id, second, { by: second })
    assert.equal(done.status, 'done')
    assert.isNotNull(done.doneAt)
    assert.deepEqual(await eventsOf(job.id), [
      'created',
      'claimed',
      'claimed',
      'started',
      'started',
      'technician_done',
      'technician_done',
    ])
    const doneMessages = await Notification.query()
      .where('tenant_id', world.tenant.id)
      .where('event', 'job_done')
    assert.lengthOf(doneMessages, 1)
  })

  test('a technician starts only once the team is complete; releases a place only before starting', async ({
    assert,
  }) => {
    const world = await createFieldWorld()
    const [first, second] = world.technicians
    const job = await createJob(world, { quota: 2 })
    await jobs.claim(job.id, world.tenant.id, first)
    const early = await expectedRejection(jobs.start(job.id, world.tenant.id, first, { by: first }))
    assert.equal(early.message, 'job_team_incomplete')

    const released = await jobs.release(job.id, world.tenant.id, first, 'Motor mogok', {
      by: first,
    })
    assert.equal(released.claimed, 0)
    assert.equal(released.status, 'open')

    await jobs.claim(job.id, world.tenant.id, first)
    await jobs.claim(job.id, world.tenant.id, second)
    await jobs.start(job.id, world.tenant.id, first, { by: first })
    const late = await expectedRejection(
      jobs.release(job.id, world.tenant.id, first, 'Tidak jadi', { by: first })
    )
    assert.equal(late.message, 'job_already_started')
    const stranger = await expectedRejection(
      jobs.start(job.id, world.tenant.id, world.technicians[2], { by: world.technicians[2] })
    )
    assert.equal(stranger.message, 'job_not_yours')
  })

  test('CS edits and cancels only while nobody has claimed the job', async ({ assert }) => {
    const world = await createFieldWorld()
    const job = await createJob(world)
    const input = {
      customerId: world.customer.id,
      title: 'Servis AC 3 unit',
      plannedStart: job.plannedStart,
      plannedEnd: job.plannedEnd,
      quota: 3,
    }
    const edited = await jobs.update(job.id, world.tenant.id, input, { by: world.cs })
    assert.equal(edited.quota, 3)
    const event = await JobEvent.query()
      .where('job_id', job.id)
      .where('type', 'edited')
      .firstOrFail()
    assert.deepEqual(event.data?.quota, [2, 3])

    await jobs.claim(job.id, world.tenant.id, world.technicians[0])
    const locked = await expectedRejection(
      jobs.update(job.id, world.tenant.id, input, { by: world.cs })
    )
    assert.equal(locked.message, 'job_claimed_locked')
    const cancel = await expectedRejection(
      jobs.cancel(job.id, world.tenant.id, 'x', { by: world.cs })
    )
    assert.equal(cancel.message, 'job_claimed_locked')

    const other = await createJob(world)
    const cancelled = await jobs.cancel(other.id, world.tenant.id, 'Pelanggan batal', {
      by: world.cs,
    })
    assert.equal(cancelled.status, 'cancelled')
    const claimCancelled = await expectedRejection(
      jobs.claim(other.id, world.tenant.id, world.technicians[0])
    )
    assert.equal(claimCancelled.message, 'job_closed')
  })

  test("emergency: CS returns an absent technician's place; it is audited, the others hear of it, a replacement claims it", async ({
    assert,
  }) => {
    const world = await createFieldWorld()
    await messageVisitors(world)
    const [first, second, third] = world.technicians
    for (const technician of world.technicians) {
      technician.phone = `+62813${String(technician.id).padStart(7, '0')}`
      await technician.save()
    }
    const job = await createJob(world, { quota: 2 })
    await jobs.claim(job.id, world.tenant.id, first)
    await jobs.claim(job.id, world.tenant.id, second)
    const reopened = await jobs.returnToPool(job.id, world.tenant.id, second.id, 'Sakit', {
      by: world.cs,
    })
    assert.equal(reopened.status, 'open')
    assert.equal(reopened.claimed, 1)
    const assignment = await JobAssignment.query()
      .where('job_id', job.id)
      .where('technician_id', second.id)
      .firstOrFail()
    assert.isTrue(assignment.emergency)
    const audit = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .where('action', 'job.returned_to_pool')
    assert.lengthOf(audit, 1)
    const notices = await Notification.query()
      .where('tenant_id', world.tenant.id)
      .where('event', 'job_place_reopened')
    assert.sameMembers(
      notices.map((notice) => notice.recipient),
      [first.phone, third.phone]
    )
    assert.equal((await jobs.claim(job.id, world.tenant.id, third)).status, 'assigned')
  })

  test('extension: a technician asks, CS approves and the planned end moves; one pending at a time', async ({
    assert,
  }) => {
    const world = await createFieldWorld()
    const [first] = world.technicians
    const job = await createJob(world, {
      quota: 1,
      plannedStart: '2026-12-10',
      plannedEnd: '2026-12-11',
    })
    await jobs.claim(job.id, world.tenant.id, first)
    await jobs.requestExtension(
      job.id,
      world.tenant.id,
      first,
      { days: 2, reason: 'Unit rusak berat' },
      { by: first }
    )
    const twice = await expectedRejection(
      jobs.requestExtension(job.id, world.tenant.id, first, { days: 1, reason: 'x' }, { by: first })
    )
    assert.equal(twice.message, 'extension_pending')
    const pending = await JobEvent.query()
      .where('job_id', job.id)
      .where('type', 'extension_requested')
      .firstOrFail()
    const approved = await jobs.decideExtension(
      Number(pending.data!.extension_id),
      world.tenant.id,
      { approve: true },
      { by: world.cs }
    )
    assert.equal(approved.plannedEnd, '2026-12-13')
    const decidedTwice = await expectedRejection(
      jobs.decideExtension(
        Number(pending.data!.extension_id),
        world.tenant.id,
        { approve: false },
        { by: world.cs }
      )
    )
    assert.equal(decidedTwice.message, 'extension_decided')
  })

  test("another tenant's job is not found; a repeated request id claims once", async ({
    assert,
  }) => {
    const world = await createFieldWorld()
    const other = await createFieldWorld()
    const job = await createJob(world)
    const foreign = await expectedRejection(
      jobs.claim(job.id, other.tenant.id, other.technicians[0])
    )
    assert.equal(foreign.status, 404)
    await jobs.claim(job.id, world.tenant.id, world.technicians[0], 'tap-1')
    const repeat = await jobs.claim(job.id, world.tenant.id, world.technicians[0], 'tap-1')
    assert.equal(repeat.claimed, 1)
    assert.equal((await Job.findOrFail(job.id)).claimed, 1)
  })
})
