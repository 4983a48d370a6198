import type { DateTime } from 'luxon'
import type Ticket from '#models/ticket'
import type Counter from '#models/counter'
import type User from '#models/user'
import { rowOf, toSqlDateTime } from '#models/columns'
import type { SqlRunner } from '#support/sql'
import type { TicketEventType } from '#enums/ticket'

/** Who did a step of a ticket's life, where, and what they said about it. */
export interface Step {
  by: User | null
  requestId?: string | null
  counter?: Counter | null
  note?: string | null
  data?: Record<string, unknown> | null
}

/**
 * Inserts a new ticket in one statement; its `cycle` is copied from the (service, day) sequence
 * row that the same transaction has just bumped and locked. The model is then marked persisted.
 * Deferred (SqlRunner.defer): on the hot path the row travels with the take's next statement.
 *
 * With `numbered`, the database numbers it: its `sequence` is that row's `last_number`
 * (TicketNumbering.bump) and its `number` the expression `numbered` (numberExpression), for a
 * take that learns its number only once the batch has run.
 */
export async function insertTicket(
  sql: SqlRunner,
  ticket: Ticket,
  numbered?: { sql: string; bindings: string[] }
) {
  const row = rowOf(ticket)
  let fromDay = 'cycle'
  if (numbered) {
    delete row.sequence
    delete row.number
    fromDay = `last_number, ${numbered.sql}, cycle`
  }
  const columns = Object.keys(row)
  await sql.defer(
    `INSERT INTO tickets (${columns.join(', ')}, ${numbered ? 'sequence, number, ' : ''}cycle)
     SELECT ${columns.map(() => '?').join(', ')}, ${fromDay} FROM ticket_sequences WHERE service_id = ? AND service_date = ?`,
    [
      ...Object.values(row),
      ...(numbered?.bindings ?? []),
      ticket.originServiceId,
      ticket.serviceDate,
    ]
  )
  ticket.$isPersisted = true
  if (!numbered) ticket.$hydrateOriginals()
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
