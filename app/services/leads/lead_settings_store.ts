import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import { parseLeadSettings, type LeadSettings } from '#models/settings/lead_settings'
import AuditTrail from '#services/platform/audit_trail'
import { withTransaction } from '#support/database'
import { inject } from '@adonisjs/core'

/**
 * A tenant's lead settings (`tenants.lead_settings`, JSON): read with defaults filled in, in the
 * caller's transaction when it has one; saved by a manager, audited with what changed.
 */
@inject()
export default class LeadSettingsStore {
  constructor(protected auditTrail: AuditTrail) {}

  async get(tenantId: number, client?: QueryClientContract): Promise<LeadSettings> {
    const row = await (client ?? db)
      .from('tenants')
      .where('id', tenantId)
      .select('lead_settings')
      .first()
    return parseLeadSettings(row?.lead_settings ?? null)
  }

  async save(tenantId: number, settings: LeadSettings, act: { by: User; ip?: string | null }) {
    return withTransaction(async (trx) => {
      const before = await this.get(tenantId, trx)
      await trx
        .from('tenants')
        .where('id', tenantId)
        .update({ lead_settings: JSON.stringify(settings) })
      const changes: Record<string, unknown> = {}
      for (const key of Object.keys(settings) as (keyof LeadSettings)[]) {
        const was = JSON.stringify(before[key])
        const is = JSON.stringify(settings[key])
        if (was !== is) changes[key] = [before[key], settings[key]]
      }
      await this.auditTrail.record(
        {
          action: 'tenant.lead_settings_updated',
          tenantId,
          subject: { type: 'tenant', id: tenantId },
          changes,
        },
        { user: act.by, ip: act.ip },
        trx
      )
      return settings
    })
  }
}
