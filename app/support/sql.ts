import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { RawQueryBindings } from '@adonisjs/lucid/types/querybuilder'
import { retryOnDeadlock } from '#support/database'

export type SqlValue = string | number | null

/** Plain SQL statements, written once for MySQL and SQLite alike (only the dialect name tells them apart). */
export interface SqlRunner {
  readonly dialect: 'mysql' | 'sqlite'
  run(sql: string, values?: SqlValue[]): Promise<{ changes: number; insertId: number }>
  all<Row = Record<string, unknown>>(sql: string, values?: SqlValue[]): Promise<Row[]>
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

function mysqlRunner(connection: MysqlConnection): SqlRunner {
  const query = (sql: string, values: SqlValue[] = []) =>
    new Promise<any>((resolve, reject) =>
      connection.query(sql, values, (error, result) => (error ? reject(error) : resolve(result)))
    )
  return {
    dialect: 'mysql',
    async run(sql, values) {
      const result = await query(sql, values)
      return { changes: result.affectedRows, insertId: Number(result.insertId) }
    },
    all: (sql, values) => query(sql, values),
  }
}

function sqliteRunner(connection: SqliteConnection): SqlRunner {
  return {
    dialect: 'sqlite',
    async run(sql, values = []) {
      const result = connection.prepare(sql).run(values)
      return { changes: result.changes, insertId: Number(result.lastInsertRowid) }
    },
    async all(sql, values = []) {
      return connection.prepare(sql).all(values)
    },
  }
}

/**
 * Runs `work` in one transaction on a connection taken straight from Lucid's pool, with plain
 * SQL. This is for the hottest write in Loket (taking a number): it skips the query builder and
 * knex's transaction bookkeeping, which cost more CPU than the statements themselves (see the
 * README's benchmark notes). Everything else uses Lucid's `withTransaction`.
 */
export function withSqlTransaction<T>(work: (sql: SqlRunner) => Promise<T>): Promise<T> {
  return retryOnDeadlock(async () => {
    const knex = db.connection().getWriteClient() as any
    const connection = await knex.client.acquireConnection()
    const sql = knex.client.dialect === 'mysql' ? mysqlRunner(connection) : sqliteRunner(connection)
    try {
      await sql.run(sql.dialect === 'mysql' ? 'START TRANSACTION' : 'BEGIN IMMEDIATE')
      const result = await work(sql)
      await sql.run('COMMIT')
      return result
    } catch (error) {
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
  return {
    dialect,
    async run(sql, values = []) {
      const result = await trx.rawQuery(sql, values as RawQueryBindings)
      if (dialect === 'mysql')
        return { changes: result[0].affectedRows, insertId: Number(result[0].insertId) }
      return { changes: result.changes, insertId: Number(result.lastInsertRowid) }
    },
    async all(sql, values = []) {
      const result = await trx.rawQuery(sql, values as RawQueryBindings)
      return dialect === 'mysql' ? result[0] : result
    },
  }
}

/** A search text safe inside a LIKE pattern: its own wildcards dropped. */
export function withoutWildcards(text: string) {
  return text.replace(/[%_\\]/g, '')
}
