import type { Infer } from '@vinejs/vine/types'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Area from '#models/area'
import type Branch from '#models/branch'
import DomainError from '#exceptions/domain_error'
import Configuration from '#services/platform/configuration'
import type { serviceValidator } from '#validators/queue'
import Service from '#models/service'
import Counter from '#models/counter'
import CounterDesk from '#services/queue/counter_desk'
import AuditTrail, { type Actor } from '#services/platform/audit_trail'
import liveVersion from '#support/live_version'
import { withTransaction } from '#support/database'
import { inject } from '@adonisjs/core'

/** A service as the admin form describes it (validators/queue.ts). */
export type ServiceForm = Infer<typeof serviceValidator>

/** A branch's services: adding and changing them (with the defaults a form leaves out) and their order, as visitors and the kiosk see it. */
@inject()
export default class ServiceCatalog {
  constructor(
    protected auditTrail: AuditTrail,
    protected configuration: Configuration,
    protected counterDesk: CounterDesk
  ) {}

  /**
   * A new service of `branch`, placed last, active unless the form says otherwise, and served from
   * the start by the counters ticked on the form (`counter_ids`), in the same transaction: a
   * service on no counter takes numbers that nobody can call.
   */
  async add(branch: Branch, data: ServiceForm, actor: Actor) {
    const counters = await countersOf(branch.id, data.counter_ids ?? [])
    return this.configuration.create(
      Service,
      {
        tenantId: branch.tenantId,
        branchId: branch.id,
        ...(await attributesOf(data, branch.id)),
        isActive: data.is_active ?? true,
        position: await this.nextPosition(branch.id),
      },
      { subject: 'service', tenantId: branch.tenantId, branchId: branch.id },
      actor,
      (trx, service) => this.counterDesk.addServiceTo(counters, service, actor, trx)
    )
  }

  /** The form's values on an existing service (an unticked "active" box switches it off). */
  async change(service: Service, data: ServiceForm, actor: Actor) {
    return this.configuration.update(
      service,
      { ...(await attributesOf(data, service.branchId)), isActive: data.is_active ?? false },
      { subject: 'service', tenantId: service.tenantId, branchId: service.branchId },
      actor
    )
  }

  /**
   * A new active service of `branch` written in the caller's transaction, with the same defaults
   * as the form: the first-run setup makes several services, counters and devices all or nothing.
   */
  async addWithin(trx: TransactionClientContract, branch: Branch, data: ServiceForm, actor: Actor) {
    const attributes = {
      tenantId: branch.tenantId,
      branchId: branch.id,
      ...(await attributesOf(data, branch.id)),
      isActive: data.is_active ?? true,
      position: await this.nextPosition(branch.id, trx),
    }
    const service = await Service.create(attributes, { client: trx })
    await this.auditTrail.record(
      {
        action: 'service.created',
        tenantId: branch.tenantId,
        branchId: branch.id,
        subject: { type: 'service', id: service.id },
        changes: attributes,
      },
      actor,
      trx
    )
    return service
  }

  async nextPosition(branchId: number, trx?: TransactionClientContract) {
    const last = await Service.query({ client: trx })
      .where('branch_id', branchId)
      .max('position as top')
      .first()
    return Number(last?.$extras.top ?? 0) + 1
  }

  /** Swaps `service` with its neighbour above or below. */
  async move(service: Service, direction: 'up' | 'down', actor: Actor) {
    const siblings = await Service.ofBranch(service.branchId)
    const index = siblings.findIndex((sibling) => sibling.id === service.id)
    const other = siblings[direction === 'up' ? index - 1 : index + 1]
    if (index < 0 || !other) return

    await withTransaction(async (trx) => {
      const order = siblings.map((sibling) => sibling.id)
      order[index] = other.id
      order[direction === 'up' ? index - 1 : index + 1] = service.id
      for (const [position, id] of order.entries()) {
        await trx
          .from('services')
          .where('id', id)
          .update({ position: position + 1 })
      }
      await this.auditTrail.record(
        {
          action: 'service.reordered',
          tenantId: service.tenantId,
          branchId: service.branchId,
          subject: { type: 'service', id: service.id },
          changes: { direction, order },
        },
        actor,
        trx
      )
    })
    await liveVersion.bump(service.branchId)
  }
}

/** The counters a new service goes on: each must be one of the branch's. */
async function countersOf(branchId: number, ids: number[]) {
  if (ids.length === 0) return []
  const counters = await Counter.query().where('branch_id', branchId).whereIn('id', ids)
  if (counters.length !== ids.length) throw new DomainError('unknown_counter', {}, 422)
  return counters
}

/** The service's attributes from the form; an area must be one of the branch's. */
async function attributesOf(data: ServiceForm, branchId: number) {
  if (
    data.area_id &&
    !(await Area.query().where('branch_id', branchId).where('id', data.area_id).first())
  ) {
    throw new DomainError('unknown_area', {}, 422)
  }
  return {
    code: data.code,
    name: data.name,
    nameEn: data.name_en ?? null,
    nameMs: data.name_ms ?? null,
    description: data.description ?? null,
    areaId: data.area_id ?? null,
    slaMinutes: data.sla_minutes ?? 15,
    opensAt: data.opens_at ?? null,
    closesAt: data.closes_at ?? null,
    dailyCapacity: data.daily_capacity ?? null,
    defaultPriority: data.default_priority ?? 'regular',
    numberFormat: data.number_format ?? '{code}{n:3}',
    noShowAfterMinutes: data.no_show_after_minutes ?? null,
    noShowAction: data.no_show_action ?? 'no_show',
    maxWaitMinutes: data.max_wait_minutes ?? null,
    notifyAhead: data.notify_ahead ?? null,
    isBookable: data.is_bookable ?? false,
    durationMinutes: data.duration_minutes ?? null,
    price: data.price ?? 0,
    requiresPrepayment: data.requires_prepayment ?? false,
  }
}
