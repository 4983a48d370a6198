import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'

const RETRYABLE_CODES = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY'])
const UNIQUE_CODES = new Set([
  'ER_DUP_ENTRY',
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
])

function errorCode(error: unknown) {
  return (error as { code?: string } | null)?.code ?? ''
}

/** A unique index refused the insert: the "never twice" rules are backed by these. */
export function isUniqueViolation(error: unknown) {
  return UNIQUE_CODES.has(errorCode(error))
}

/** A row of `table` refers to one that is not there (MySQL's foreign keys). */
export function isForeignKeyViolation(error: unknown, table: string) {
  return (
    errorCode(error) === 'ER_NO_REFERENCED_ROW_2' &&
    String((error as Error).message).includes(`\`${table}\``)
  )
}

/**
 * Runs a whole transaction again when the database picked it as a deadlock victim (MySQL does
 * when many requests lock the same rows at once) or was busy; nothing of a failed attempt stays.
 */
export async function retryOnDeadlock<T>(transaction: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction()
    } catch (error) {
      if (attempt >= attempts || !RETRYABLE_CODES.has(errorCode(error))) throw error
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt))
    }
  }
}

/** Runs `work` in one Lucid transaction, retried as a whole on a deadlock. */
export function withTransaction<T>(work: (trx: TransactionClientContract) => Promise<T>) {
  return retryOnDeadlock(() => db.transaction(work))
}

/**
 * Whether the database takes row locks (`SELECT ... FOR UPDATE`). SQLite does not need them:
 * it runs one write transaction at a time.
 */
export function hasRowLocks(client: QueryClientContract) {
  return client.dialect.name === 'mysql' || client.dialect.name === 'postgres'
}
