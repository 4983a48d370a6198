import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'
import { toSqlDateTime } from '#models/columns'

export interface AuditFilters {
  /** Only this branch's entries (for a user limited to one branch). */
  branchId?: number | null
  kind?: 'all' | 'tickets' | 'config'
  userId?: number
  /** Local dates (YYYY-MM-DD) in `timezone`, inclusive. */
  from?: string
  to?: string
  /** Show entries older than this moment (ISO), for paging. */
  before?: string
}

export interface AuditRow {
  at: DateTime
  kind: 'ticket' | 'config'
  action: string
  userName: string | null
  subject: string
  detail: string
}

const PAGE_SIZE = 50

/**
 * The audit page: configuration changes (audit_logs) and ticket actions (ticket_events) of a
 * tenant, newest first, in one list. Both tables are append-only.
 */
export default class AuditQuery {
  async page(tenantId: number, timezone: string, filters: AuditFilters) {
    const kind = filters.kind ?? 'all'
    const range = this.range(timezone, filters)
    const [config, tickets] = await Promise.all([
      kind === 'tickets' ? [] : this.configRows(tenantId, filters, range),
      kind === 'config' ? [] : this.ticketRows(tenantId, filters, range),
    ])
    const rows = [...config, ...tickets].sort((a, b) => b.at.toMillis() - a.at.toMillis())
    const page = rows.slice(0, PAGE_SIZE)
    const next = rows.length > PAGE_SIZE ? page[page.length - 1].at.toISO() : null
    return { rows: page, next }
  }

  private range(timezone: string, filters: AuditFilters) {
    const from = filters.from
      ? DateTime.fromISO(filters.from, { zone: timezone }).startOf('day')
      : null
    const to = filters.to ? DateTime.fromISO(filters.to, { zone: timezone }).endOf('day') : null
    const before = filters.before ? DateTime.fromISO(filters.before) : null
    return {
      from: from?.isValid ? toSqlDateTime(from) : null,
      to: to?.isValid ? toSqlDateTime(to) : null,
      before: before?.isValid ? toSqlDateTime(before) : null,
    }
  }

  /** Narrows a log's rows (audit_logs or ticket_events) to the filters' branch, user and time range. */
  private narrow(
    query: DatabaseQueryBuilderContract,
    table: 'audit_logs' | 'ticket_events',
    filters: AuditFilters,
    range: ReturnType<typeof this.range>
  ) {
    if (filters.branchId) query.where(`${table}.branch_id`, filters.branchId)
    if (filters.userId) query.where(`${table}.user_id`, filters.userId)
    if (range.from) query.where(`${table}.created_at`, '>=', range.from)
    if (range.to) query.where(`${table}.created_at`, '<=', range.to)
    if (range.before) query.where(`${table}.created_at`, '<', range.before)
  }

  private async configRows(
    tenantId: number,
    filters: AuditFilters,
    range: ReturnType<typeof this.range>
  ) {
    const query = db
      .from('audit_logs')
      .leftJoin('users', 'users.id', 'audit_logs.user_id')
      .where('audit_logs.tenant_id', tenantId)
      .select('audit_logs.*', 'users.full_name as user_name')
      .orderBy('audit_logs.created_at', 'desc')
      .orderBy('audit_logs.id', 'desc')
      .limit(PAGE_SIZE + 1)
    this.narrow(query, 'audit_logs', filters, range)
    const rows = await query
    return rows.map((row): AuditRow => ({
      at: toDateTime(row.created_at),
      kind: 'config',
      action: row.action,
      userName: row.user_name ?? null,
      subject: row.subject_type ? `${row.subject_type} #${row.subject_id}` : '',
      detail: describeChanges(row.changes),
    }))
  }

  private async ticketRows(
    tenantId: number,
    filters: AuditFilters,
    range: ReturnType<typeof this.range>
  ) {
    const query = db
      .from('ticket_events')
      .join('tickets', 'tickets.id', 'ticket_events.ticket_id')
      .leftJoin('users', 'users.id', 'ticket_events.user_id')
      .leftJoin('counters', 'counters.id', 'ticket_events.counter_id')
      .where('ticket_events.tenant_id', tenantId)
      .select(
        'ticket_events.type',
        'ticket_events.from_status',
        'ticket_events.to_status',
        'ticket_events.note',
        'ticket_events.created_at',
        'tickets.number',
        'tickets.service_date',
        'users.full_name as user_name',
        'counters.name as counter_name'
      )
      .orderBy('ticket_events.created_at', 'desc')
      .orderBy('ticket_events.id', 'desc')
      .limit(PAGE_SIZE + 1)
    this.narrow(query, 'ticket_events', filters, range)
    const rows = await query
    return rows.map((row): AuditRow => ({
      at: toDateTime(row.created_at),
      kind: 'ticket',
      action: `ticket.${row.type}`,
      userName: row.user_name ?? null,
      subject: `${row.number} (${row.service_date})`,
      detail: [
        row.from_status ? `${row.from_status} → ${row.to_status}` : row.to_status,
        row.counter_name,
        row.note,
      ]
        .filter(Boolean)
        .join(' · '),
    }))
  }
}

function toDateTime(value: string | Date) {
  return value instanceof Date
    ? DateTime.fromJSDate(value, { zone: 'utc' })
    : DateTime.fromSQL(value, { zone: 'utc' })
}

/** `{"name":["Umum","Poli Umum"]}` -> `name: Umum → Poli Umum`. */
function describeChanges(raw: string | null) {
  if (!raw) return ''
  try {
    const changes = JSON.parse(raw) as Record<string, unknown>
    return Object.entries(changes)
      .map(([field, value]) =>
        Array.isArray(value) && value.length === 2
          ? `${field}: ${format(value[0])} → ${format(value[1])}`
          : `${field}: ${format(value)}`
      )
      .join('; ')
  } catch {
    return raw
  }
}

function format(value: unknown): string {
  if (value === null || value === undefined) return '–'
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}
