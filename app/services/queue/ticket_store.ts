import type { DateTime } from 'luxon'
import type Ticket from '#models/ticket'
import type Counter from '#models/counter'
import type User from '#models/user'
import { rowOf, toSqlDateTime } from '#models/columns'
import type { SqlFragment, SqlRunner } from '#support/sql'
import type { TicketEventType } from '#enums/ticket'

/** Who did a step of a ticket's life, where, and what they said about it. */
export interface Step {
  by: User | null
  requestId?: string | null
  counter?: Counter | null
  note?: string | null
  data?: Record<string, unknown> | null
}

/** How `insertTicket` writes a ticket whose row the database completes. */
export interface TicketInsert {
  /**
   * The database numbers it: its `sequence` is the day's row `last_number` (TicketNumbering.bump)
   * and its `number` this expression (numberExpression), for a take that learns its number only
   * once the batch has run.
   */
  numbered?: SqlFragment
  /** Columns whose value only the database knows yet (a count made earlier in the batch). */
  computed?: Record<string, SqlFragment>
  /** Written only while this holds; otherwise the statement inserts nothing. */
  onlyIf?: SqlFragment
}

/**
 * Inserts a new ticket in one statement; its `cycle` is copied from the (service, day) sequence
 * row that the same transaction has just bumped and locked. The model is then marked persisted.
 * Deferred (SqlRunner.defer): on the hot path the row travels with the take's next statement.
 */
export async function insertTicket(sql: SqlRunner, ticket: Ticket, options: TicketInsert = {}) {
  const row = rowOf(ticket)
  const computed: Record<string, SqlFragment> = { ...options.computed }
  if (options.numbered) {
    computed.sequence = { sql: 'last_number', bindings: [] }
    computed.number = options.numbered
  }
  for (const column of Object.keys(computed)) delete row[column]
  const columns = Object.keys(row)
  const fromDatabase = Object.entries(computed)
  const onlyIf = options.onlyIf
  await sql.defer(
    `INSERT INTO tickets (${[...columns, ...fromDatabase.map(([column]) => column)].join(', ')}, cycle)
     SELECT ${[...columns.map(() => '?'), ...fromDatabase.map(([, value]) => value.sql)].join(', ')}, cycle
       FROM ticket_sequences WHERE service_id = ? AND service_date = ?${onlyIf ? ` AND ${onlyIf.sql}` : ''}`,
    [
      ...Object.values(row),
      ...fromDatabase.flatMap(([, value]) => value.bindings),
      ticket.originServiceId,
      ticket.serviceDate,
      ...(onlyIf?.bindings ?? []),
    ]
  )
  ticket.$isPersisted = true
  if (!options.numbered) ticket.$hydrateOriginals()
}

/** Appends the ticket's event row: a plain INSERT, since it runs on every ticket action (deferred, as above). */
export async function appendEvent(
  sql: SqlRunner,
  ticket: Ticket,
  type: TicketEventType,
  from: Ticket['status'] | null,
  context: Step,
  now: DateTime
) {
  await sql.defer(
    `INSERT INTO ticket_events (tenant_id, branch_id, ticket_id, type, from_status, to_status, counter_id, user_id, request_id, note, data, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      ticket.tenantId,
      ticket.branchId,
      ticket.id,
      type,
      from,
      ticket.status,
      context.counter?.id ?? ticket.counterId,
      context.by?.id ?? null,
      context.requestId ?? null,
      context.note ?? null,
      context.data ? JSON.stringify(context.data) : null,
      toSqlDateTime(now),
    ]
  )
}
