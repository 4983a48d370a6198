import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Resource from '#models/resource'
import ResourceSchedule from '#models/resource_schedule'
import Service from '#models/service'
import type Branch from '#models/branch'
import DomainError from '#exceptions/domain_error'
import AuditTrail, { type Actor } from '#services/platform/audit_trail'
import liveVersion from '#support/live_version'
import { withTransaction } from '#support/database'
import type { WeeklyOpening } from '#services/bookings/slots'
import type { ResourceKind } from '#enums/booking'
import { inject } from '@adonisjs/core'

export interface ResourceInput {
  kind: ResourceKind
  name: string
  isActive: boolean
  /** The branch's services the resource offers. */
  serviceIds: number[]
  /** When it takes bookings, per weekday; a weekday left out is closed. */
  schedule: WeeklyOpening[]
}

/**
 * The bookable resources of a branch (booths, rooms, chairs, doctors): what each offers and when
 * it takes bookings. Each change writes the resource, its services and its week in one
 * transaction with its audit-log row, and boards of the branch refresh.
 */
@inject()
export default class ResourceCatalog {
  constructor(protected auditTrail: AuditTrail) {}

  list(branch: Branch) {
    return Resource.ofBranch(branch.id).preload('schedules').preload('services')
  }

  async create(branch: Branch, input: ResourceInput, actor: Actor) {
    await this.#check(branch.id, input)
    const last = await Resource.query()
      .where('branch_id', branch.id)
      .max('position as position')
      .first()
    const resource = await withTransaction(async (trx) => {
      const created = await Resource.create(
        {
          tenantId: branch.tenantId,
          branchId: branch.id,
          kind: input.kind,
          name: input.name,
          isActive: input.isActive,
          position: Number(last?.$extras.position ?? 0) + 1,
        },
        { client: trx }
      )
      await this.#writeOfferings(trx, created, input)
      await this.auditTrail.record(
        {
          action: 'resource.created',
          tenantId: branch.tenantId,
          branchId: branch.id,
          subject: { type: 'resource', id: created.id },
          changes: {
            kind: input.kind,
            name: input.name,
            isActive: input.isActive,
            services: input.serviceIds,
            schedule: input.schedule.map(describe),
          },
        },
        actor,
        trx
      )
      return created
    })
    await liveVersion.bump(branch.id)
    return resource
  }

  /** Applies `input`; the audit log keeps the fields, services and opening days that changed. */
  async update(resource: Resource, input: ResourceInput, actor: Actor) {
    await this.#check(resource.branchId, input)
    await resource.load('schedules')
    await resource.load('services')
    const before = {
      kind: resource.kind,
      name: resource.name,
      isActive: resource.isActive,
      services: resource.services.map((service) => service.id).sort((a, b) => a - b),
      schedule: resource.schedules.sort((a, b) => a.weekday - b.weekday).map(describe),
    }
    const after = {
      kind: input.kind,
      name: input.name,
      isActive: input.isActive,
      services: [...input.serviceIds].sort((a, b) => a - b),
      schedule: [...input.schedule].sort((a, b) => a.weekday - b.weekday).map(describe),
    }
    const changes = Object.fromEntries(
      Object.entries(after)
        .filter(
          ([key, value]) =>
            JSON.stringify(value) !== JSON.stringify(before[key as keyof typeof before])
        )
        .map(([key, value]) => [key, [before[key as keyof typeof before], value]])
    )
    if (Object.keys(changes).length === 0) return resource
    await withTransaction(async (trx) => {
      resource.useTransaction(trx)
      resource.merge({ kind: input.kind, name: input.name, isActive: input.isActive })
      await resource.save()
      await this.#writeOfferings(trx, resource, input)
      await this.auditTrail.record(
        {
          action: 'resource.updated',
          tenantId: resource.tenantId,
          branchId: resource.branchId,
          subject: { type: 'resource', id: resource.id },
          changes,
        },
        actor,
        trx
      )
    })
    await liveVersion.bump(resource.branchId)
    return resource
  }

  /** Takes a resource out of (or back into) booking; its existing bookings stay as they are. */
  async setActive(resource: Resource, active: boolean, actor: Actor) {
    if (resource.isActive === active) return resource
    await withTransaction(async (trx) => {
      resource.useTransaction(trx)
      resource.isActive = active
      await resource.save()
      await this.auditTrail.record(
        {
          action: active ? 'resource.activated' : 'resource.deactivated',
          tenantId: resource.tenantId,
          branchId: resource.branchId,
          subject: { type: 'resource', id: resource.id },
          changes: { isActive: [!active, active] },
        },
        actor,
        trx
      )
    })
    await liveVersion.bump(resource.branchId)
    return resource
  }

  /** Services must be the branch's; each open day must open before it closes. */
  async #check(branchId: number, input: ResourceInput) {
    if (input.serviceIds.length) {
      const known = await Service.query()
        .where('branch_id', branchId)
        .whereIn('id', input.serviceIds)
      if (known.length !== new Set(input.serviceIds).size)
        throw new DomainError('unknown_service', {}, 422)
    }
    for (const day of input.schedule) {
      if (day.opensAt >= day.closesAt) throw new DomainError('invalid_hours', {}, 422)
    }
  }

  async #writeOfferings(trx: TransactionClientContract, resource: Resource, input: ResourceInput) {
    await trx.from('resource_services').where('resource_id', resource.id).delete()
    if (input.serviceIds.length) {
      await trx.table('resource_services').multiInsert(
        [...new Set(input.serviceIds)].map((serviceId) => ({
          tenant_id: resource.tenantId,
          resource_id: resource.id,
          service_id: serviceId,
        }))
      )
    }
    await trx.from('resource_schedules').where('resource_id', resource.id).delete()
    if (input.schedule.length) {
      await ResourceSchedule.createMany(
        input.schedule.map((day) => ({
          tenantId: resource.tenantId,
          resourceId: resource.id,
          weekday: day.weekday,
          opensAt: day.opensAt,
          closesAt: day.closesAt,
        })),
        { client: trx }
      )
    }
  }
}

function describe(day: WeeklyOpening) {
  return `${day.weekday}:${day.opensAt}-${day.closesAt}`
}
