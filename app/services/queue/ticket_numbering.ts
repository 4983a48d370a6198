import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Service from '#models/service'
import type { SqlRunner } from '#support/sql'

/** Numbers `first`..`last` of a service's day, in numbering cycle `cycle`. */
export interface ReservedBlock {
  cycle: number
  first: number
  last: number
}

/**
 * Hands out ticket numbers: 1, 2, 3... per service per local day, never skipping and never
 * repeating. One upsert bumps the (service, day) row, returns the new number, and keeps the row
 * locked until the caller's transaction ends, so parallel takers line up on it. An admin reset
 * starts a new cycle of the day (the ticket's unique key includes it).
 *
 * This is the hottest write in Loket, so it is one statement per database: MySQL reports the
 * new number through LAST_INSERT_ID(expr); SQLite returns it with RETURNING.
 */
export default class TicketNumbering {
  async next(sql: SqlRunner, service: Service, serviceDate: string): Promise<number> {
    const values = [service.tenantId, service.id, serviceDate]
    if (sql.dialect === 'mysql') {
      const result = await sql.run(
        `INSERT INTO ticket_sequences (tenant_id, service_id, service_date, cycle, last_number) VALUES (?, ?, ?, 1, 1)
         ON DUPLICATE KEY UPDATE last_number = LAST_INSERT_ID(last_number + 1)`,
        values
      )
      return result.changes === 1 ? 1 : result.insertId
    }
    const [row] = await sql.all<{ last_number: number }>(
      `INSERT INTO ticket_sequences (tenant_id, service_id, service_date, cycle, last_number) VALUES (?, ?, ?, 1, 1)
       ON CONFLICT (service_id, service_date) DO UPDATE SET last_number = last_number + 1
       RETURNING last_number`,
      values
    )
    return Number(row.last_number)
  }

  /**
   * `next` as a deferred write (SqlRunner.defer) for a take that needs its number only once it
   * has committed: `numbered` hears the number when the batch has run. MySQL only (it reads the
   * number from LAST_INSERT_ID, which the deferred write's result carries).
   */
  bump(
    sql: SqlRunner,
    service: Service,
    serviceDate: string,
    numbered: (sequence: number) => void
  ) {
    return sql.defer(
      `INSERT INTO ticket_sequences (tenant_id, service_id, service_date, cycle, last_number) VALUES (?, ?, ?, 1, 1)
       ON DUPLICATE KEY UPDATE last_number = LAST_INSERT_ID(last_number + 1)`,
      [service.tenantId, service.id, serviceDate],
      (result) => numbered(result.changes === 1 ? 1 : result.insertId)
    )
  }

  /**
   * Sets `size` numbers of the day aside at once (a kiosk's offline block): one statement bumps
   * the (service, day) row by `size` and leaves it locked until the caller's transaction ends.
   * MySQL reports the new last number through LAST_INSERT_ID and the cycle is read back from the
   * row this transaction holds; SQLite returns both with RETURNING. Numbers of a block that are
   * never printed are skipped: the one exception to gapless numbering (app/services/kiosk_issuer.ts).
   */
  async reserve(
    sql: SqlRunner,
    service: Service,
    serviceDate: string,
    size: number
  ): Promise<ReservedBlock> {
    const values = [service.tenantId, service.id, serviceDate, size, size]
    let cycle: number
    let last: number
    if (sql.dialect === 'mysql') {
      const result = await sql.run(
        `INSERT INTO ticket_sequences (tenant_id, service_id, service_date, cycle, last_number) VALUES (?, ?, ?, 1, ?)
         ON DUPLICATE KEY UPDATE last_number = LAST_INSERT_ID(last_number + ?)`,
        values
      )
      last = result.changes === 1 ? size : result.insertId
      const [row] = await sql.all<{ cycle: number }>(
        'SELECT cycle FROM ticket_sequences WHERE service_id = ? AND service_date = ?',
        [service.id, serviceDate]
      )
      cycle = Number(row.cycle)
    } else {
      const [row] = await sql.all<{ cycle: number; last_number: number }>(
        `INSERT INTO ticket_sequences (tenant_id, service_id, service_date, cycle, last_number) VALUES (?, ?, ?, 1, ?)
         ON CONFLICT (service_id, service_date) DO UPDATE SET last_number = last_number + ?
         RETURNING cycle, last_number`,
        values
      )
      cycle = Number(row.cycle)
      last = Number(row.last_number)
    }
    return { cycle, first: last - size + 1, last }
  }

  /** Restarts numbering at 1 for the given services today, in a new cycle. */
  async restart(trx: TransactionClientContract, serviceIds: number[], serviceDate: string) {
    if (serviceIds.length === 0) return
    await trx
      .from('ticket_sequences')
      .whereIn('service_id', serviceIds)
      .where('service_date', serviceDate)
      .update({ cycle: trx.knexRawQuery('cycle + 1'), last_number: 0 })
  }
}

/**
 * `service.formatNumber(last_number)` as a MySQL expression over ticket_sequences' `last_number`,
 * so that a ticket row can be written before Node knows its number (`bump`). `{n:3}` pads to 3
 * digits and never cuts a longer number, like formatTicketNumber.
 */
export function numberExpression(service: Service) {
  const format = service.numberFormat ?? '{code}{n:3}'
  const parts: string[] = []
  const bindings: string[] = []
  let at = 0
  const literal = (text: string) => {
    if (text === '') return
    parts.push('?')
    bindings.push(text)
  }
  for (const match of format.matchAll(/\{code\}|\{n(?::(\d))?\}/g)) {
    literal(format.slice(at, match.index))
    at = match.index! + match[0].length
    if (match[0] === '{code}') literal(service.code)
    else {
      const width = Number(match[1] ?? 0)
      parts.push(
        width > 1
          ? `IF(CHAR_LENGTH(last_number) >= ${width}, last_number, LPAD(last_number, ${width}, '0'))`
          : 'CAST(last_number AS CHAR)'
      )
    }
  }
  literal(format.slice(at))
  return { sql: parts.length === 0 ? "''" : `CONCAT(${parts.join(', ')})`, bindings }
}
