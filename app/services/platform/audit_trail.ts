import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import AuditLog from '#models/audit_log'
import type User from '#models/user'

export interface AuditEntry {
  action: string
  tenantId: number | null
  branchId?: number | null
  subject?: { type: string; id: string | number }
  changes?: Record<string, unknown> | null
}

export interface Actor {
  user: User | null
  ip?: string | null
}

/**
 * Writes the append-only audit log of configuration changes and administrative actions.
 * Ticket actions are recorded in ticket_events; the audit page reads both (AuditQuery).
 */
export default class AuditTrail {
  async record(entry: AuditEntry, actor: Actor, trx?: TransactionClientContract) {
    return AuditLog.create(
      {
        tenantId: entry.tenantId,
        branchId: entry.branchId ?? null,
        userId: actor.user?.id ?? null,
        action: entry.action,
        subjectType: entry.subject?.type ?? null,
        subjectId: entry.subject ? String(entry.subject.id) : null,
        changes: entry.changes ?? null,
        ip: actor.ip ?? null,
      },
      { client: trx }
    )
  }

  /** The fields of `after` that differ from `before`, as { field: [before, after] }. */
  diff(before: Record<string, unknown>, after: Record<string, unknown>) {
    const changes: Record<string, [unknown, unknown]> = {}
    for (const [key, value] of Object.entries(after)) {
      if (before[key] !== value) changes[key] = [before[key] ?? null, value]
    }
    return changes
  }
}
