import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { RawQueryBindings } from '@adonisjs/lucid/types/querybuilder'
import { retryOnDeadlock } from '#support/database'

export type SqlValue = string | number | null

/** A piece of SQL with its bindings, for a statement to embed. */
export interface SqlFragment {
  sql: string
  bindings: SqlValue[]
}

/**
 * The JSON text `json` with the values at some of its paths (`$.data.ticket.number`) written in by
 * the database as the statement runs (`JSON_SET`): for a row whose JSON says what only the
 * database knows yet, such as a ticket's number on MySQL's one-round-trip take. Plain `json`
 * without `filled`.
 */
export function jsonSet(json: string, filled: Record<string, SqlFragment> = {}): SqlFragment {
  const paths = Object.entries(filled)
  if (paths.length === 0) return { sql: '?', bindings: [json] }
  return {
    sql: `JSON_SET(?, ${paths.map(([, value]) => `?, ${value.sql}`).join(', ')})`,
    bindings: [json, ...paths.flatMap(([path, value]) => [path, ...value.bindings])],
  }
}

export interface SqlResult {
  changes: number
  insertId: number
}

/** Plain SQL statements, written once for MySQL and SQLite alike (only the dialect name tells them apart). */
export interface SqlRunner {
  readonly dialect: 'mysql' | 'sqlite'
  run(sql: string, values?: SqlValue[]): Promise<SqlResult>
  all<Row = Record<string, unknown>>(sql: string, values?: SqlValue[]): Promise<Row[]>
  /**
   * A write whose answer nobody waits for (a ticket's event row, an outbox row). On the hot path's
   * MySQL connection it travels with the next statement, in the same round trip, and if it fails,
   * that statement fails with it (so the transaction rolls back); elsewhere it runs at once.
   * `written` hears its result once it has run.
   */
  defer(sql: string, values?: SqlValue[], written?: (result: SqlResult) => void): Promise<void>
  /** A read that travels like `defer`: `read` hears its rows once it has run. */
  deferRead<Row = Record<string, unknown>>(
    sql: string,
    values: SqlValue[],
    read: (rows: Row[]) => void
  ): Promise<void>
}

interface MysqlConnection {
  query(sql: string, values: SqlValue[], callback: (error: Error | null, result: any) => void): void
}

interface SqliteConnection {
  prepare(sql: string): {
    reader: boolean
    run(values: SqlValue[]): any
    all(values: SqlValue[]): any[]
  }
  exec(sql: string): void
}

interface Queued {
  sql: string
  values: SqlValue[]
  resolve: (result: any) => void
  reject: (error: unknown) => void
}

const written = (result: any): SqlResult => ({
  changes: result.affectedRows,
  insertId: Number(result.insertId),
})

/**
 * Plain SQL on one MySQL connection that accepts several statements at once: statements asked for
 * in the same tick (`Promise.all`) and the deferred writes before them go to the server as one
 * multi-statement query, one round trip. The server runs them in order and stops at the first
 * error, which fails every statement of the batch.
 */
class MysqlBatches implements SqlRunner {
  readonly dialect = 'mysql'
  #queued: Queued[] = []
  #scheduled = false

  constructor(protected connection: MysqlConnection) {}

  run(sql: string, values: SqlValue[] = []) {
    return this.#send(sql, values).then(written)
  }

  all<Row>(sql: string, values: SqlValue[] = []) {
    return this.#send(sql, values) as Promise<Row[]>
  }

  async defer(sql: string, values: SqlValue[] = [], done?: (result: SqlResult) => void) {
    this.#queued.push({
      sql,
      values,
      resolve: (result) => done?.(written(result)),
      // The statement sent with it fails with the same error.
      reject: () => {},
    })
  }

  async deferRead<Row>(sql: string, values: SqlValue[], read: (rows: Row[]) => void) {
    this.#queued.push({ sql, values, resolve: read, reject: () => {} })
  }

  /** Drops the deferred writes (the transaction is rolling back). */
  discard() {
    this.#queued = []
  }

  #send(sql: string, values: SqlValue[]) {
    return new Promise<any>((resolve, reject) => {
      this.#queued.push({ sql, values, resolve, reject })
      if (this.#scheduled) return
      this.#scheduled = true
      queueMicrotask(() => this.#flush())
    })
  }

  #flush() {
    this.#scheduled = false
    const batch = this.#queued
    this.#queued = []
    this.connection.query(
      batch.map((statement) => statement.sql).join(';\n'),
      batch.flatMap((statement) => statement.values),
      (error, result) => {
        if (error) return batch.forEach((statement) => statement.reject(error))
        const results = batch.length === 1 ? [result] : result
        batch.forEach((statement, index) => statement.resolve(results[index]))
      }
    )
  }
}

function sqliteRunner(connection: SqliteConnection): SqlRunner {
  const run = async (sql: string, values: SqlValue[] = []) => {
    const result = connection.prepare(sql).run(values)
    return { changes: result.changes, insertId: Number(result.lastInsertRowid) }
  }
  return {
    dialect: 'sqlite',
    run,
    async all(sql, values = []) {
      return connection.prepare(sql).all(values)
    },
    async defer(sql, values, done) {
      const result = await run(sql, values)
      done?.(result)
    },
    async deferRead(sql, values, read) {
      read(await this.all(sql, values))
    },
  }
}

/**
 * The connection name of the hot path's plain-SQL transactions: on MySQL a pool of its own whose
 * connections accept several statements per query (config/database.ts); the rest of Loket never
 * sends more than one.
 */
function batchingConnection() {
  const primary = db.primaryConnectionName
  return db.manager.has(`${primary}_batches`) ? `${primary}_batches` : primary
}

/**
 * Runs `work` in one transaction on a connection taken straight from Lucid's pool, with plain
 * SQL. This is for the hottest writes in Loket (taking a number, payment notifications): it
 * skips the query builder and knex's transaction bookkeeping, which cost more CPU than the
 * statements themselves (see the README's benchmark notes), and on MySQL it sends the statements
 * that do not wait for each other in one round trip (MysqlBatches): taking a number is one, its
 * message and webhook calls included, or two when a daily cap must see the number first (the
 * day's number with what the visitor's message needs, then the ticket, its event, its messages
 * and the commit).
 * Everything else uses Lucid's `withTransaction`.
 */
export function withSqlTransaction<T>(work: (sql: SqlRunner) => Promise<T>): Promise<T> {
  return retryOnDeadlock(async () => {
    const knex = db.connection(batchingConnection()).getWriteClient() as any
    const connection = await knex.client.acquireConnection()
    const mysql = knex.client.dialect === 'mysql'
    const sql = mysql ? new MysqlBatches(connection) : sqliteRunner(connection)
    try {
      await sql.defer(mysql ? 'START TRANSACTION' : 'BEGIN IMMEDIATE')
      const result = await work(sql)
      await sql.run('COMMIT')
      return result
    } catch (error) {
      if (sql instanceof MysqlBatches) sql.discard()
      await sql.run('ROLLBACK').catch(() => {})
      throw error
    } finally {
      knex.client.releaseConnection(connection)
    }
  })
}

/** The same plain-SQL interface over a Lucid transaction or connection, so helpers serve both paths. */
export function sqlOf(trx: QueryClientContract): SqlRunner {
  const dialect = trx.dialect.name === 'mysql' ? 'mysql' : 'sqlite'
  const run = async (sql: string, values: SqlValue[] = []) => {
    const result = await trx.rawQuery(sql, values as RawQueryBindings)
    if (dialect === 'mysql')
      return { changes: result[0].affectedRows, insertId: Number(result[0].insertId) }
    return { changes: result.changes, insertId: Number(result.lastInsertRowid) }
  }
  return {
    dialect,
    run,
    async all(sql, values = []) {
      const result = await trx.rawQuery(sql, values as RawQueryBindings)
      return dialect === 'mysql' ? result[0] : result
    },
    async defer(sql, values, done) {
      const result = await run(sql, values)
      done?.(result)
    },
    async deferRead(sql, values, read) {
      read(await this.all(sql, values))
    },
  }
}

/** A search text safe inside a LIKE pattern: its own wildcards dropped. */
export function withoutWildcards(text: string) {
  return text.replace(/[%_\\]/g, '')
}
