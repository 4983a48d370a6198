import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import env from '#start/env'
import clock from '#support/clock'
import jobs from '#support/jobs'
import { withTransaction } from '#support/database'
import { withSqlTransaction, type SqlFragment, type SqlRunner, type SqlValue } from '#support/sql'
import { toSqlDateTime } from '#models/columns'
import type { DeliveryStatus } from '#enums/messaging'
import Notification from '#models/notification'
import WebhookDelivery from '#models/webhook_delivery'

/*
| The outbox: messages (`notifications`) and webhook calls (`webhook_deliveries`) are rows written
| in the same transaction as the change that causes them. Once that transaction commits, a job
| per row is dispatched (Bull on Redis, or in-process). A worker claims the row, delivers it and
| records the outcome; a failed attempt is retried with exponential backoff, and after the last
| attempt the row is `dead` until an admin retries or drops it.
|
| Nothing is lost: a row whose job never ran (Redis was down, the server died) is found by the
| sweeper and dispatched again. Nothing goes twice: a row is claimed by one atomic UPDATE from a
| waiting status to `sending`, so two jobs for one row send it once.
*/

export type OutboxTable = 'notifications' | 'webhook_deliveries'

/** Attempts per row, the first included; then it is dead. */
export const MAX_ATTEMPTS = 5

/** How long a claimed row belongs to its worker; a row still `sending` after that is retried. */
const LOCK_MS = 2 * 60_000

/** A waiting row this far past its attempt time has lost its job (or never had one): the sweeper dispatches it. */
const OVERDUE_MS = 30_000

/** The model of each outbox table, for the tenant-scoped reads of the admin pages. */
const MODEL_OF_TABLE = { notifications: Notification, webhook_deliveries: WebhookDelivery }

const JOB_OF_TABLE: Record<OutboxTable, string> = {
  notifications: 'deliver-notification',
  webhook_deliveries: 'deliver-webhook',
}

/** First retry delay; each later one waits twice as long (30 s, 1, 2, 4 min by default). */
export function backoffMs() {
  return env.get('OUTBOX_BACKOFF_MS', 30_000)
}

/** What a channel or an endpoint answered when a delivery did not go through. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    /** False when trying again cannot help (an invalid number, a refused template): the row is dead at once. */
    public retryable = true,
    /** The provider's own error code, kept in the row's last error. */
    public code: string | null = null
  ) {
    super(message)
  }
}

/** The ids of outbox rows a transaction wrote; their jobs are dispatched once it has committed. */
export class OutboxBatch {
  readonly rows: { table: OutboxTable; id: number }[] = []
  /** Rows written or on their way (a deferred write reports its id once it has run). */
  writes = 0

  add(table: OutboxTable, id: number) {
    this.rows.push({ table, id })
  }

  /** Never blocks the caller: a dispatch that fails (Redis down) leaves the row to the sweeper. */
  dispatch() {
    for (const { table, id } of this.rows) dispatchDelivery(table, id)
  }
}

/**
 * Dispatches the delivery job of one row, without waiting for the queue to accept it. While the
 * queue cannot be reached (Redis down) the row just waits: the sweeper hands it out once it can.
 * A server's first rows, written while its queue is still making its first connection, are
 * dispatched too: they would otherwise wait for the sweeper (30 s and more, or for ever where
 * no server runs the scheduler).
 */
function dispatchDelivery(table: OutboxTable, id: number) {
  if (!jobs.accepting()) return
  jobs.dispatch(JOB_OF_TABLE[table], { id }).catch((error) => {
    logger.warn({ err: error, table, id }, 'outbox dispatch failed; the sweeper will retry it')
  })
}

/** `withTransaction` with an outbox batch of its own (a fresh one for each retry of the transaction). */
export async function transactionWithOutbox<T>(
  work: (trx: TransactionClientContract, outbox: OutboxBatch) => Promise<T>
) {
  let outbox = new OutboxBatch()
  const result = await withTransaction((trx) => {
    outbox = new OutboxBatch()
    return work(trx, outbox)
  })
  outbox.dispatch()
  return result
}

/** `withSqlTransaction` (the plain-SQL hot path) with an outbox batch of its own. */
export async function sqlTransactionWithOutbox<T>(
  work: (sql: SqlRunner, outbox: OutboxBatch) => Promise<T>
) {
  let outbox = new OutboxBatch()
  const result = await withSqlTransaction((sql) => {
    outbox = new OutboxBatch()
    return work(sql, outbox)
  })
  outbox.dispatch()
  return result
}

/** A claimed row: the columns every outbox table has, plus the table's own. */
export type ClaimedRow = Record<string, any> & {
  id: number
  tenant_id: number
  attempts: number
  created_at: unknown
}

export default class Outbox {
  /**
   * Takes a waiting row for one delivery attempt: one UPDATE moves it to `sending` and counts the
   * attempt, so of two workers only one gets it. Null when it is not waiting (sent, dead, taken).
   */
  async claim(table: OutboxTable, id: number): Promise<ClaimedRow | null> {
    const now = clock.now()
    const claimed = await db
      .from(table)
      .where('id', id)
      .whereIn('status', ['queued', 'failed'])
      .update({
        status: 'sending',
        attempts: db.knexRawQuery('attempts + 1'),
        locked_until: toSqlDateTime(now.plus({ milliseconds: LOCK_MS })),
        updated_at: toSqlDateTime(now),
      })
    if (Number(claimed) !== 1) return null
    return (await db.from(table).where('id', id).first()) as ClaimedRow
  }

  /** The attempt went through: the row is done. `fields` are the table's own columns to set too. */
  async succeed(
    table: OutboxTable,
    row: ClaimedRow,
    fields: Record<string, unknown>,
    client?: TransactionClientContract
  ) {
    const now = toSqlDateTime(clock.now())
    await (client ?? db)
      .from(table)
      .where('id', row.id)
      .update({
        ...fields,
        status: 'sent',
        sent_at: now,
        locked_until: null,
        last_error: null,
        updated_at: now,
      })
  }

  /**
   * The attempt failed. A retryable failure with attempts left waits for the next attempt
   * (`failed`, and the caller rethrows so that the job queue retries with backoff); otherwise the
   * row is `dead`. Returns which.
   */
  async fail(
    table: OutboxTable,
    row: ClaimedRow,
    error: unknown,
    fields: Record<string, unknown> = {}
  ): Promise<'retry' | 'dead'> {
    const now = clock.now()
    const retryable = !(error instanceof DeliveryError) || error.retryable
    const outcome = retryable && row.attempts < MAX_ATTEMPTS ? 'retry' : 'dead'
    const code = error instanceof DeliveryError && error.code ? `[${error.code}] ` : ''
    await db
      .from(table)
      .where('id', row.id)
      .update({
        ...fields,
        status: outcome === 'retry' ? 'failed' : 'dead',
        last_error: `${code}${(error as Error).message ?? String(error)}`.slice(0, 500),
        next_attempt_at:
          outcome === 'retry'
            ? toSqlDateTime(now.plus({ milliseconds: backoffMs() * 2 ** (row.attempts - 1) }))
            : null,
        locked_until: null,
        updated_at: toSqlDateTime(now),
      })
    return outcome
  }

  /** The row will not go: its recipient opted out after it was written. */
  async suppress(table: OutboxTable, row: ClaimedRow, reason: string) {
    await db
      .from(table)
      .where('id', row.id)
      .update({
        status: 'suppressed',
        last_error: reason,
        locked_until: null,
        updated_at: toSqlDateTime(clock.now()),
      })
  }

  /**
   * Finds what the jobs lost and hands it out again: rows still `sending` after their lock (the
   * worker died) go back to waiting, and waiting rows well past their attempt time are dispatched.
   * Safe to run on every server at once. Returns how many rows it dispatched.
   */
  async sweep(options: { overdueMs?: number; limit?: number } = {}) {
    if (!jobs.ready()) return 0
    const now = clock.now()
    const overdueBefore = toSqlDateTime(
      now.minus({ milliseconds: options.overdueMs ?? OVERDUE_MS })
    )
    let dispatched = 0
    for (const table of Object.keys(JOB_OF_TABLE) as OutboxTable[]) {
      await db
        .from(table)
        .where('status', 'sending')
        .where('locked_until', '<', toSqlDateTime(now))
        .update({
          status: 'failed',
          locked_until: null,
          next_attempt_at: toSqlDateTime(
            now.minus({ milliseconds: (options.overdueMs ?? OVERDUE_MS) + 1 })
          ),
          last_error: 'The worker stopped during the attempt',
          updated_at: toSqlDateTime(now),
        })
      const due = await db
        .from(table)
        .whereIn('status', ['queued', 'failed'])
        .where('next_attempt_at', '<=', overdueBefore)
        .orderBy('next_attempt_at')
        .limit(options.limit ?? 500)
        .select('id')
      for (const { id } of due) {
        await db
          .from(table)
          .where('id', id)
          .update({ next_attempt_at: toSqlDateTime(now) })
        dispatchDelivery(table, Number(id))
        dispatched++
      }
    }
    return dispatched
  }

  /**
   * Rows per status of each outbox table (every tenant), and how long the oldest waiting row has
   * waited: what /healthz and /metrics report.
   */
  async stats() {
    const now = clock.now()
    const tables = {} as Record<
      OutboxTable,
      { byStatus: Record<string, number>; oldestPendingSeconds: number }
    >
    for (const table of Object.keys(JOB_OF_TABLE) as OutboxTable[]) {
      const rows = await db
        .from(table)
        .whereIn('status', ['queued', 'sending', 'failed', 'dead'])
        .groupBy('status')
        .select('status')
        .count('* as total')
      const oldest = await db
        .from(table)
        .whereIn('status', ['queued', 'failed'])
        .min('created_at as at')
        .first()
      const at = oldest?.at
        ? oldest.at instanceof Date
          ? oldest.at.getTime()
          : Date.parse(`${String(oldest.at).replace(' ', 'T')}Z`)
        : null
      tables[table] = {
        byStatus: Object.fromEntries(rows.map((row) => [row.status, Number(row.total)])),
        oldestPendingSeconds: at ? Math.max(0, Math.round((now.toMillis() - at) / 1000)) : 0,
      }
    }
    return tables
  }

  /** An admin sends dead (or failed) rows of their tenant again, with a fresh set of attempts. */
  async retry(table: OutboxTable, tenantId: number, ids: number[]) {
    return this.#adminMove(table, tenantId, ids, ['dead', 'failed'], 'queued', { attempts: 0 })
  }

  /** An admin gives up on dead (or failed) rows of their tenant: they stay in the log as dropped. */
  async drop(table: OutboxTable, tenantId: number, ids: number[]) {
    return this.#adminMove(table, tenantId, ids, ['dead', 'failed'], 'dropped', {})
  }

  async #adminMove(
    table: OutboxTable,
    tenantId: number,
    ids: number[],
    from: DeliveryStatus[],
    to: DeliveryStatus,
    fields: Record<string, unknown>
  ) {
    if (ids.length === 0) return 0
    const now = toSqlDateTime(clock.now())
    const moved = await MODEL_OF_TABLE[table]
      .forTenant(tenantId)
      .whereIn('id', ids)
      .whereIn('status', from)
      .select('id')
    const movedIds = moved.map((row) => Number(row.id))
    if (movedIds.length === 0) return 0
    await db
      .from(table)
      .whereIn('id', movedIds)
      .whereIn('status', from)
      .update({
        ...fields,
        status: to,
        next_attempt_at: to === 'queued' ? now : null,
        updated_at: now,
      })
    if (to === 'queued') for (const id of movedIds) dispatchDelivery(table, id)
    return movedIds.length
  }
}

/**
 * An outbox column's value: a plain value, or SQL the database computes as it writes the row (a
 * ticket's number on MySQL's one-round-trip take, which Node learns only after the commit).
 */
export type OutboxValue = SqlValue | SqlFragment

/** Inserts one outbox row through the transaction's plain-SQL runner and adds it to the batch. */
export async function insertOutboxRow(
  sql: SqlRunner,
  outbox: OutboxBatch,
  table: OutboxTable,
  row: Record<string, SqlValue>
) {
  outbox.writes++
  const insert = insertStatement(table, row)
  const { insertId } = await sql.run(insert.sql, insert.bindings)
  outbox.add(table, insertId)
  return insertId
}

/**
 * `insertOutboxRow` for a caller that needs no id back: the row travels with the transaction's
 * next statement (SqlRunner.defer), one round trip less on the hot path. With `onlyIf` (MySQL),
 * the row is written only when that condition holds as the statement runs (the recipient has
 * not opted out), and joins the batch only if it was.
 */
export async function deferOutboxRow(
  sql: SqlRunner,
  outbox: OutboxBatch,
  table: OutboxTable,
  row: Record<string, OutboxValue>,
  onlyIf?: SqlFragment
) {
  outbox.writes++
  const insert = insertStatement(table, row, onlyIf)
  await sql.defer(insert.sql, insert.bindings, ({ insertId, changes }) => {
    if (changes > 0) outbox.add(table, insertId)
  })
}

function insertStatement(
  table: OutboxTable,
  row: Record<string, OutboxValue>,
  onlyIf?: SqlFragment
): SqlFragment {
  const bindings: SqlValue[] = []
  const values = Object.values(row).map((value) => {
    if (value === null || typeof value !== 'object') {
      bindings.push(value)
      return '?'
    }
    bindings.push(...value.bindings)
    return value.sql
  })
  const into = `INSERT INTO ${table} (${Object.keys(row).join(', ')})`
  if (!onlyIf) return { sql: `${into} VALUES (${values.join(', ')})`, bindings }
  return {
    sql: `${into} SELECT ${values.join(', ')} FROM DUAL WHERE ${onlyIf.sql}`,
    bindings: [...bindings, ...onlyIf.bindings],
  }
}
