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

/**
 * The audit `changes` of a settings form that holds secrets: each `logged` key that changed as
 * [before, after], only the names of the `unlogged` keys that changed (secrets, shown-once values),
 * and is_active when it turned.
 */
export function settingsChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  keys: { logged: readonly string[]; unlogged: readonly string[] },
  active: { was: boolean | null; is: boolean }
) {
  const changes: Record<string, unknown> = {}
  for (const key of keys.logged)
    if (before[key] !== after[key]) changes[key] = [before[key] ?? null, after[key] ?? null]
  const unlogged = keys.unlogged.filter((key) => before[key] !== after[key])
  if (unlogged.length) changes.secrets_changed = unlogged
  if (active.was !== active.is) changes.is_active = [active.was, active.is]
  return changes
}
