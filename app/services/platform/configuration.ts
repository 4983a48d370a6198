import type { LucidModel, LucidRow, ModelAttributes } from '@adonisjs/lucid/types/model'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import AuditTrail, { type Actor } from '#services/platform/audit_trail'
import liveVersion from '#support/live_version'
import { withTransaction } from '#support/database'
import { inject } from '@adonisjs/core'

type Also<Row> = (trx: TransactionClientContract, record: Row) => Promise<void>

interface Scope {
  /** Audit subject type, e.g. `service`: actions are recorded as `service.created` etc. */
  subject: string
  tenantId: number | null
  branchId?: number | null
}

/** Attributes never written to the audit log: secrets, and the logo's bytes. */
const SECRET_FIELDS = new Set(['password', 'token', 'tokenHash', 'logoData'])

function visible(values: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !SECRET_FIELDS.has(key)))
}

/**
 * Configuration changes made in the admin pages (services, counters, users, devices, branch
 * settings): each write and its audit-log row go in one transaction, and live screens of the
 * branch refresh.
 */
@inject()
export default class Configuration {
  constructor(protected auditTrail: AuditTrail) {}

  async create<Model extends LucidModel>(
    model: Model,
    attributes: Partial<ModelAttributes<InstanceType<Model>>>,
    scope: Scope,
    actor: Actor,
    also?: Also<InstanceType<Model>>
  ): Promise<InstanceType<Model>> {
    const record = await withTransaction(async (trx) => {
      const created = await model.create(attributes, { client: trx })
      await this.auditTrail.record(
        {
          action: `${scope.subject}.created`,
          tenantId: scope.tenantId,
          branchId: scope.branchId ?? null,
          subject: { type: scope.subject, id: String(created.$primaryKeyValue) },
          changes: visible(attributes as Record<string, unknown>),
        },
        actor,
        trx
      )
      await also?.(trx, created as InstanceType<Model>)
      return created
    })
    await this.refreshScreens(scope)
    return record as InstanceType<Model>
  }

  /**
   * Applies `attributes` and records the fields that really changed (nothing when none did).
   * `also` runs more writes of the same change in the same transaction.
   */
  async update<Row extends LucidRow>(
    record: Row,
    attributes: Record<string, unknown>,
    scope: Scope,
    actor: Actor,
    options: { action?: string; also?: Also<Row> } = {}
  ) {
    const before = { ...record.$attributes }
    record.merge(attributes as any)
    const changes = this.auditTrail.diff(before, record.$dirty)
    const changed = Object.keys(changes).length > 0
    if (!changed && !options.also) return record

    await withTransaction(async (trx) => {
      record.useTransaction(trx)
      if (changed) {
        await record.save()
        await this.auditTrail.record(
          {
            action: `${scope.subject}.${options.action ?? 'updated'}`,
            tenantId: scope.tenantId,
            branchId: scope.branchId ?? null,
            subject: { type: scope.subject, id: String(record.$primaryKeyValue) },
            changes: visible(changes),
          },
          actor,
          trx
        )
      }
      await options.also?.(trx, record)
    })
    await this.refreshScreens(scope)
    return record
  }

  async remove<Row extends LucidRow>(record: Row, scope: Scope, actor: Actor, also?: Also<Row>) {
    await withTransaction(async (trx) => {
      await also?.(trx, record)
      record.useTransaction(trx)
      await record.delete()
      await this.auditTrail.record(
        {
          action: `${scope.subject}.deleted`,
          tenantId: scope.tenantId,
          branchId: scope.branchId ?? null,
          subject: { type: scope.subject, id: String(record.$primaryKeyValue) },
          changes: visible({ ...record.$attributes }),
        },
        actor,
        trx
      )
    })
    await this.refreshScreens(scope)
  }

  private async refreshScreens(scope: Scope) {
    if (scope.branchId) await liveVersion.bump(scope.branchId)
  }
}
