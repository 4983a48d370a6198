import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import { inject } from '@adonisjs/core'
import AuditTrail from '#services/platform/audit_trail'
import clock from '#support/clock'
import { withTransaction } from '#support/database'
import { toSqlDateTime } from '#models/columns'
import { tenantRows } from '#models/mixins/tenant_owned'
import {
  PLACEHOLDER_PREFIX,
  RETENTION_KINDS,
  entriesOf,
  type PersonalTable,
  type RetentionKind,
} from '#services/privacy/personal_data_map'
import {
  anonymize,
  countsOf,
  deleteMedia,
  locate,
  presentTables,
} from '#services/privacy/personal_data'
import { parsePrivacySettings } from '#services/privacy/privacy_settings'

export const RETENTION_BATCH = 200

/** What one run did: rows anonymized per tenant and table. */
export type RetentionReport = Record<number, Record<string, number>>

/**
 * The nightly retention job: for each tenant with retention days set, the personal data of each
 * kind older than its days is anonymized (the same rules as an erasure), a batch of roots at a
 * time, each batch in its own transaction; media files are deleted after each commit. Roots with
 * `anonymized_at` are never read twice; leads (no such column) are told by their phone placeholder.
 */
@inject()
export default class Retention {
  constructor(protected auditTrail: AuditTrail) {}

  async run(options: { tenantId?: number; batch?: number } = {}): Promise<RetentionReport> {
    const query = db
      .from('tenants')
      .whereNotNull('privacy_settings')
      .select('id', 'privacy_settings')
    if (options.tenantId) query.where('id', options.tenantId)
    const report: RetentionReport = {}
    for (const row of await query) {
      const settings = parsePrivacySettings(row.privacy_settings)
      const tenantId = Number(row.id)
      const done: Record<string, number> = {}
      for (const kind of RETENTION_KINDS) {
        const days = settings.retention[kind]
        if (!days) continue
        const counts = await this.kind(tenantId, kind, days, options.batch ?? RETENTION_BATCH)
        for (const [table, count] of Object.entries(counts))
          done[table] = (done[table] ?? 0) + count
      }
      if (Object.keys(done).length === 0) continue
      report[tenantId] = done
      await this.auditTrail.record(
        { action: 'privacy.retention_applied', tenantId, changes: { tables: done } },
        { user: null }
      )
      logger.info({ tenantId, tables: done }, 'personal data aged out')
    }
    return report
  }

  /** Ages out one kind of one tenant's data: root batches until none is older than `days`. */
  async kind(tenantId: number, kind: RetentionKind, days: number, batch: number) {
    const present = await presentTables()
    const entries = entriesOf(kind).filter((entry) => present.has(entry.table))
    const cutoff = toSqlDateTime(clock.now().minus({ days }))
    const counts: Record<string, number> = {}
    for (const root of entries.filter((entry) => entry.retention)) {
      const rest = entries.filter((entry) => entry !== root)
      for (;;) {
        const media = await withTransaction(async (trx) => {
          const ids = (await pending(trx, tenantId, root, cutoff).limit(batch)).map(
            (row: Record<string, any>) => row[root.key]
          )
          if (ids.length === 0) return null
          const found = await locate(
            trx,
            tenantId,
            null,
            present,
            rest,
            new Map([[root.table, ids]])
          )
          for (const [table, count] of Object.entries(countsOf(found)))
            counts[table] = (counts[table] ?? 0) + count
          return anonymize(trx, tenantId, found)
        })
        if (media === null) break
        await deleteMedia(media)
      }
    }
    return counts
  }
}

/** The root's rows older than the cutoff whose personal data is still there. */
function pending(client: any, tenantId: number, root: PersonalTable, cutoff: string) {
  const query = tenantRows(client, root.table, tenantId)
    .where(root.retention!.column, '<', cutoff)
    .select(root.key)
    .orderBy(root.key)
  if (root.marker) return query.whereNull('anonymized_at')
  const placeholder = Object.entries(root.columns).find(([, rule]) => rule === 'placeholder')
  if (!placeholder)
    throw new Error(`${root.table}: a retention root needs a marker or a placeholder`)
  return query.where(placeholder[0], 'not like', `${PLACEHOLDER_PREFIX}%`)
}
