import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type { ChainableContract } from '@adonisjs/lucid/types/querybuilder'
import type { I18n } from '@adonisjs/i18n'
import AuditLog from '#models/audit_log'
import TicketEvent from '#models/ticket_event'
import { toSqlDateTime } from '#models/columns'
import AuditWording, {
  ID_FIELDS,
  type ConfigEntry,
  type NameBook,
  type TicketEntry,
} from '#services/platform/audit_wording'

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

/** One line of the audit page, worded in the reader's language (AuditWording). */
export interface AuditRow {
  at: DateTime
  kind: 'ticket' | 'config'
  sentence: string
  details: string[]
}

type Entry = (ConfigEntry | TicketEntry) & { at: DateTime }

/** Where the name of each kind of record is read, to stand in for its id. */
const NAME_SOURCES: Record<string, { table: string; column: string }> = {
  tenant: { table: 'tenants', column: 'name' },
  branch: { table: 'branches', column: 'name' },
  holiday: { table: 'holidays', column: 'name' },
  service: { table: 'services', column: 'name' },
  counter: { table: 'counters', column: 'name' },
  area: { table: 'areas', column: 'name' },
  device: { table: 'devices', column: 'name' },
  user: { table: 'users', column: 'full_name' },
  api_key: { table: 'api_keys', column: 'name' },
  webhook_endpoint: { table: 'webhook_endpoints', column: 'url' },
  webhook_delivery: { table: 'webhook_deliveries', column: 'event' },
  messaging_channel: { table: 'messaging_channels', column: 'kind' },
  payment_account: { table: 'payment_accounts', column: 'provider' },
  resource: { table: 'resources', column: 'name' },
  customer: { table: 'customers', column: 'name' },
  job: { table: 'jobs', column: 'code' },
  invoice: { table: 'invoices', column: 'number' },
  rating: { table: 'ratings', column: 'label' },
  outlet: { table: 'outlets', column: 'name' },
  conversation: { table: 'conversations', column: 'id' },
}

const PAGE_SIZE = 50

/**
 * The audit page: configuration changes (audit_logs) and ticket actions (ticket_events) of a
 * tenant, newest first, in one list. Both tables are append-only.
 */
export default class AuditQuery {
  async page(tenantId: number, timezone: string, filters: AuditFilters, i18n: I18n) {
    const kind = filters.kind ?? 'all'
    const range = this.range(timezone, filters)
    const [config, tickets] = await Promise.all([
      kind === 'tickets' ? [] : this.configRows(tenantId, filters, range),
      kind === 'config' ? [] : this.ticketRows(tenantId, filters, range),
    ])
    const rows: Entry[] = [...config, ...tickets].sort((a, b) => b.at.toMillis() - a.at.toMillis())
    const page = rows.slice(0, PAGE_SIZE)
    const next = rows.length > PAGE_SIZE ? page[page.length - 1].at.toISO() : null
    const wording = new AuditWording(i18n, await this.names(tenantId, page))
    return {
      rows: page.map((entry): AuditRow => ({
        at: entry.at,
        kind: entry.kind,
        ...wording.describe(entry),
      })),
      next,
    }
  }

  /**
   * The names of the records a page mentions (subjects, and ids in changes or transfer data), in
   * one UNION query whatever the number of rows. Deleted records keep the name in their changes.
   */
  private async names(tenantId: number, entries: Entry[]): Promise<NameBook> {
    const wanted = new Map<string, Set<number>>()
    const want = (type: string | null | undefined, id: unknown) => {
      const number = Number(id)
      if (!type || !NAME_SOURCES[type] || !Number.isSafeInteger(number) || number <= 0) return
      if (!wanted.has(type)) wanted.set(type, new Set())
      wanted.get(type)!.add(number)
    }
    for (const entry of entries) {
      if (entry.kind === 'config') {
        want(entry.subjectType, entry.subjectId)
        for (const [field, value] of Object.entries(entry.changes ?? {})) {
          const type = ID_FIELDS[field]
          if (!type) continue
          for (const id of Array.isArray(value) ? value : [value]) want(type, id)
        }
      } else {
        want('service', entry.data?.to?.service_id)
        want('counter', entry.data?.to?.counter_id)
      }
    }
    const book: NameBook = new Map()
    if (wanted.size === 0) return book
    const parts: string[] = []
    const bindings: (string | number)[] = []
    for (const [type, ids] of wanted) {
      const { table, column } = NAME_SOURCES[type]
      const owner = table === 'tenants' ? 'id' : 'tenant_id'
      const list = [...ids]
      parts.push(
        `SELECT ? AS type, id, ${column} AS label FROM ${table} WHERE ${owner} = ? AND id IN (${list.map(() => '?').join(', ')})`
      )
      bindings.push(type, tenantId, ...list)
    }
    const result = await db.rawQuery(parts.join(' UNION ALL '), bindings)
    // SQLite answers the rows; MySQL answers [rows, fields].
    const rows: { type: string; id: number; label: string | null }[] = Array.isArray(result[0])
      ? result[0]
      : result
    for (const row of rows) {
      if (row.label === null || row.label === undefined) continue
      if (!book.has(row.type)) book.set(row.type, new Map())
      book.get(row.type)!.set(String(row.id), String(row.label))
    }
    return book
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
    query: ChainableContract,
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
    const query = AuditLog.forTenant(tenantId)
      .leftJoin('users', 'users.id', 'audit_logs.user_id')
      .select('audit_logs.*', 'users.full_name as user_name')
      .orderBy('audit_logs.created_at', 'desc')
      .orderBy('audit_logs.id', 'desc')
      .limit(PAGE_SIZE + 1)
    this.narrow(query, 'audit_logs', filters, range)
    const rows = await query.pojo<Record<string, any>>()
    return rows.map((row): Entry => ({
      at: toDateTime(row.created_at),
      kind: 'config',
      action: row.action,
      userName: row.user_name ?? null,
      subjectType: row.subject_type ?? null,
      subjectId: row.subject_id ?? null,
      changes: parseObject(row.changes),
    }))
  }

  private async ticketRows(
    tenantId: number,
    filters: AuditFilters,
    range: ReturnType<typeof this.range>
  ) {
    const query = TicketEvent.forTenant(tenantId)
      .join('tickets', 'tickets.id', 'ticket_events.ticket_id')
      .leftJoin('users', 'users.id', 'ticket_events.user_id')
      .leftJoin('counters', 'counters.id', 'ticket_events.counter_id')
      .select(
        'ticket_events.type',
        'ticket_events.from_status',
        'ticket_events.to_status',
        'ticket_events.note',
        'ticket_events.data',
        'ticket_events.created_at',
        'tickets.number',
        'users.full_name as user_name',
        'counters.name as counter_name'
      )
      .orderBy('ticket_events.created_at', 'desc')
      .orderBy('ticket_events.id', 'desc')
      .limit(PAGE_SIZE + 1)
    this.narrow(query, 'ticket_events', filters, range)
    const rows = await query.pojo<Record<string, any>>()
    return rows.map((row): Entry => ({
      at: toDateTime(row.created_at),
      kind: 'ticket',
      type: row.type,
      userName: row.user_name ?? null,
      number: row.number,
      counterName: row.counter_name ?? null,
      fromStatus: row.from_status ?? null,
      toStatus: row.to_status,
      note: row.note ?? null,
      data: parseObject(row.data),
    }))
  }
}

function toDateTime(value: string | Date) {
  return value instanceof Date
    ? DateTime.fromJSDate(value, { zone: 'utc' })
    : DateTime.fromSQL(value, { zone: 'utc' })
}

/** A JSON column as an object (MySQL may hand it parsed already); null when it is not one. */
function parseObject(raw: unknown): Record<string, any> | null {
  if (!raw) return null
  if (typeof raw === 'object') return raw as Record<string, any>
  try {
    const value = JSON.parse(String(raw))
    return value && typeof value === 'object' && !Array.isArray(value) ? value : null
  } catch {
    return null
  }
}
