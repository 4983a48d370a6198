import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import Branch from '#models/branch'
import Ticket from '#models/ticket'
import jobs from '#support/jobs'
import clock from '#support/clock'
import DailyReset from '#services/queue/daily_reset'
import QueueEngine from '#services/queue/queue_engine'
import DatabaseRunCoordinator from '#support/run_coordinator'
import NoShowSweep from '#services/queue/no_show_sweep'
import { createWorld } from '#tests/helpers/world'
import { eventually, jobsSettled } from '#tests/helpers/wait'
import app from '@adonisjs/core/services/app'

const dailyReset = await app.container.make(DailyReset)
const noShowSweep = await app.container.make(NoShowSweep)

test.group(`Jobs (${jobs.driver.name} driver)`, (group) => {
  group.setup(() => jobs.startWorkers())

  test('a failing job is retried with backoff until it succeeds', async ({ assert }) => {
    const name = `test.flaky.${Date.now()}`
    const calls: number[] = []
    jobs.register({
      name,
      attempts: 4,
      backoffMs: 20,
      async handle(payload: { value: number }) {
        calls.push(payload.value)
        if (calls.length < 3) throw new Error('provider down')
      },
    })
    jobs.startWorkers()
    await jobs.dispatch(name, { value: 7 })
    assert.isTrue(await eventually(async () => calls.length === 3))
    await jobsSettled((jobName) => jobName === name)
    assert.deepEqual(calls, [7, 7, 7])
  }).timeout(20_000)

  test('a job that keeps failing stops after its attempts', async ({ assert }) => {
    const name = `test.broken.${Date.now()}`
    let calls = 0
    jobs.register({
      name,
      attempts: 3,
      backoffMs: 10,
      async handle() {
        calls++
        throw new Error('always down')
      },
    })
    jobs.startWorkers()
    await jobs.dispatch(name, {})
    assert.isTrue(await eventually(async () => calls === 3))
    await jobsSettled((jobName) => jobName === name)
    assert.equal(calls, 3)
  }).timeout(20_000)

  test('an unknown job name is refused', async ({ assert }) => {
    await assert.rejects(() => jobs.dispatch('no.such.job', {}), 'Unknown job "no.such.job"')
  })
})

test.group('Daily reset', (group) => {
  group.each.teardown(() => clock.reset())

  test("the scheduled reset queues a close-day job that closes the branch's earlier days", async ({
    assert,
  }) => {
    const { branch, services } = await createWorld()
    const engine = await app.container.make(QueueEngine)
    clock.travelTo(DateTime.now().minus({ days: 1 }))
    const old = await engine.take(branch, services[0], { channel: 'web' })
    clock.reset()
    jobs.startWorkers()

    assert.isAtLeast(await dailyReset.dispatchDue(), 1)
    assert.isTrue(
      await eventually(async () => (await Ticket.findOrFail(old.id)).status === 'cancelled'),
      'the old ticket is closed'
    )
    const fresh = await Branch.findOrFail(branch.id)
    assert.equal(fresh.lastResetDate, fresh.today())
    const due = await dailyReset.dueBranches()
    assert.notInclude(
      due.map((item) => item.id),
      branch.id
    )
  }).timeout(20_000)

  test('two servers asking to run the same scheduled minute: only one runs it', async ({
    assert,
  }) => {
    const key = `daily-reset:${new Date(Date.UTC(2026, 0, 1, 0, Math.floor(Math.random() * 60))).toISOString()}-${Math.random()}`
    const [one, two] = await Promise.all([
      new DatabaseRunCoordinator().shouldRun(key),
      new DatabaseRunCoordinator().shouldRun(key),
    ])
    assert.sameMembers([one, two], [true, false])
  })
})

test.group('No-show sweep', (group) => {
  group.each.teardown(() => clock.reset())

  test('the scheduled sweep queues a job for branches with late called visitors, which sweeps them', async ({
    assert,
  }) => {
    const { branch, services, counters, operator } = await createWorld()
    services[0].noShowAfterMinutes = 2
    await services[0].save()
    const engine = await app.container.make(QueueEngine)
    await engine.take(branch, services[0], { channel: 'web' })
    const called = (await engine.callNext(branch, { counter: counters[0], by: operator }))!
    assert.include(await noShowSweep.dueBranchIds(), branch.id)
    clock.travelTo(DateTime.now().plus({ minutes: 3 }))
    jobs.startWorkers()
    assert.isAtLeast(await noShowSweep.dispatchDue(), 1)
    assert.isTrue(
      await eventually(async () => (await Ticket.findOrFail(called.id)).status === 'no_show')
    )
  }).timeout(20_000)
})
