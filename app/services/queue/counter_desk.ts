import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Counter from '#models/counter'
import Service from '#models/service'
import type User from '#models/user'
import AuditTrail, { type Actor } from '#services/platform/audit_trail'
import liveVersion from '#support/live_version'
import { withTransaction } from '#support/database'
import { inject } from '@adonisjs/core'

/**
 * Who sits at which counter and which services each counter serves.
 * An operator works at one counter at a time; taking a counter releases the previous one.
 */
@inject()
export default class CounterDesk {
  constructor(protected auditTrail: AuditTrail) {}

  /** The counter `user` works at in `branchId`, if any. */
  current(user: User, branchId: number) {
    return Counter.query().where('operator_id', user.id).where('branch_id', branchId).first()
  }

  /**
   * `user` sits down at `counter` and serves `services` (in that order of priority); the counter
   * is remembered as theirs for next time (resume).
   */
  async sitDown(counter: Counter, services: Service[], actor: Actor & { user: User }) {
    await withTransaction(async (trx) => {
      await trx
        .from('counters')
        .where('operator_id', actor.user.id)
        .whereNot('id', counter.id)
        .update({ operator_id: null })
      counter.useTransaction(trx)
      counter.operatorId = actor.user.id
      await counter.save()
      await this.assignServices(counter, services, actor, trx)
      await trx.from('users').where('id', actor.user.id).update({ last_counter_id: counter.id })
    })
    await liveVersion.bump(counter.branchId)
  }

  /**
   * The counter `user` last sat down at, when they may sit there again: still active, in one of
   * `branchIds` (the branches they work in), free or already theirs.
   */
  async lastCounter(user: User, branchIds: number[]) {
    if (!user.lastCounterId || user.tenantId === null || branchIds.length === 0) return null
    const counter = await Counter.forTenant(user.tenantId)
      .where('id', user.lastCounterId)
      .whereIn('branch_id', branchIds)
      .where('is_active', true)
      .first()
    if (!counter || (counter.operatorId !== null && counter.operatorId !== user.id)) return null
    return counter
  }

  /**
   * Seats `user` again at their last counter (lastCounter) with the services it serves now, so
   * that the console opens on it without picking; null when there is none or it serves nothing.
   */
  async resume(user: User, branchIds: number[], actor: Actor & { user: User }) {
    const counter = await this.lastCounter(user, branchIds)
    if (!counter) return null
    const services = await counter.related('services').query().orderBy('counter_services.rank')
    if (services.length === 0) return null
    await this.sitDown(counter, services, actor)
    return counter
  }

  async standUp(counter: Counter) {
    counter.operatorId = null
    await counter.save()
    await liveVersion.bump(counter.branchId)
  }

  /**
   * Replaces the services `counter` serves; the first is its primary one (rank 1). Recorded in
   * the audit log when the list changes.
   */
  async assignServices(
    counter: Counter,
    services: Service[],
    actor: Actor,
    trx: TransactionClientContract
  ) {
    const before = await trx
      .from('counter_services')
      .where('counter_id', counter.id)
      .orderBy('rank')
      .select('service_id')
    const beforeIds = before.map((row) => Number(row.service_id))
    const afterIds = services.map((service) => service.id)
    if (beforeIds.join(',') === afterIds.join(',')) return

    await trx.from('counter_services').where('counter_id', counter.id).delete()
    if (services.length > 0) {
      await trx.table('counter_services').multiInsert(
        services.map((service, index) => ({
          tenant_id: counter.tenantId,
          counter_id: counter.id,
          service_id: service.id,
          rank: index + 1,
        }))
      )
    }
    await this.auditTrail.record(
      {
        action: 'counter.services_updated',
        tenantId: counter.tenantId,
        branchId: counter.branchId,
        subject: { type: 'counter', id: counter.id },
        changes: { service_ids: [beforeIds, afterIds] },
      },
      actor,
      trx
    )
  }

  /**
   * Puts a new `service` last on each of `counters` (it helps there after their own services),
   * inside the caller's transaction, and records each change as the counter form does.
   */
  async addServiceTo(
    counters: Counter[],
    service: Service,
    actor: Actor,
    trx: TransactionClientContract
  ) {
    for (const counter of counters) {
      const before = await trx
        .from('counter_services')
        .where('counter_id', counter.id)
        .orderBy('rank')
        .select('service_id', 'rank')
      const beforeIds = before.map((row) => Number(row.service_id))
      if (beforeIds.includes(service.id)) continue
      const rank = before.reduce((top, row) => Math.max(top, Number(row.rank)), 0) + 1
      await trx.table('counter_services').insert({
        tenant_id: counter.tenantId,
        counter_id: counter.id,
        service_id: service.id,
        rank,
      })
      await this.auditTrail.record(
        {
          action: 'counter.services_updated',
          tenantId: counter.tenantId,
          branchId: counter.branchId,
          subject: { type: 'counter', id: counter.id },
          changes: { service_ids: [beforeIds, [...beforeIds, service.id]] },
        },
        actor,
        trx
      )
    }
  }

  /**
   * The branch's active services that no active counter serves: visitors can take their numbers,
   * but nobody can call them.
   */
  servicesWithoutCounter(branchId: number) {
    return Service.ofBranch(branchId)
      .where('is_active', true)
      .whereNotExists((query) =>
        query
          .from('counter_services')
          .join('counters', 'counters.id', 'counter_services.counter_id')
          .whereColumn('counter_services.service_id', 'services.id')
          .where('counters.is_active', true)
      )
  }

  /** Ids of the services each counter of the branch serves: { counterId: [serviceId...] }. */
  async servicesByCounter(branchId: number) {
    const rows = await db
      .from('counter_services')
      .join('counters', 'counters.id', 'counter_services.counter_id')
      .where('counters.branch_id', branchId)
      .orderBy('counter_services.rank')
      .select('counter_services.counter_id', 'counter_services.service_id')
    const map = new Map<number, number[]>()
    for (const row of rows) {
      const list = map.get(Number(row.counter_id)) ?? []
      list.push(Number(row.service_id))
      map.set(Number(row.counter_id), list)
    }
    return map
  }
}
