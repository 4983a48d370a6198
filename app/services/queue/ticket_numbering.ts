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
