import Service from '#models/service'
import AuditTrail, { type Actor } from '#services/platform/audit_trail'
import liveVersion from '#support/live_version'
import { withTransaction } from '#support/database'
import { inject } from '@adonisjs/core'

/** The order of a branch's services: how they appear to visitors and on the kiosk. */
@inject()
export default class ServiceCatalog {
  constructor(protected auditTrail: AuditTrail) {}

  async nextPosition(branchId: number) {
    const last = await Service.query().where('branch_id', branchId).max('position as top').first()
    return Number(last?.$extras.top ?? 0) + 1
  }

  /** Swaps `service` with its neighbour above or below. */
  async move(service: Service, direction: 'up' | 'down', actor: Actor) {
    const siblings = await Service.query().where('branch_id', service.branchId).withScopes((s) => s.inOrder())
    const index = siblings.findIndex((sibling) => sibling.id === service.id)
    const other = siblings[direction === 'up' ? index - 1 : index + 1]
    if (index < 0 || !other) return

    await withTransaction(async (trx) => {
      const order = siblings.map((sibling) => sibling.id)
      order[index] = other.id
      order[direction === 'up' ? index - 1 : index + 1] = service.id
      for (const [position, id] of order.entries()) {
        await trx.from('services').where('id', id).update({ position: position + 1 })
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
