import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { createInterface } from 'node:readline'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { createGunzip, createGzip } from 'node:zlib'
import drive from '@adonisjs/drive/services/main'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/** The format's version: a restore refuses what it does not know. */
const FORMAT = 1
/** Lucid's own bookkeeping: the target database is migrated already, these stay as they are. */
const SKIPPED_TABLES = new Set(['adonis_schema', 'adonis_schema_versions'])
const INSERT_BATCH = 500
const READ_PAGE = 5000

export interface BackupSummary {
  path: string
  tables: number
  rows: number
  files: number
  bytes: number
}

/**
 * Backups of a whole Loket (issue 16): every table's rows, read in one transaction (a consistent
 * snapshot: InnoDB's repeatable read on MySQL, one read transaction on SQLite, so a ticket taken
 * during the backup is either wholly in it or not at all), and every uploaded file on the drive
 * disk (local or S3), written as one gzipped file of JSON lines: a header (format, dialect,
 * migrations, time), then per table its columns and rows, then each file's key and bytes. The same
 * format for MySQL and SQLite; a restore needs a database migrated to the same migrations.
 * A restore replaces everything in one transaction (foreign keys checked at its end), then puts the
 * files back: what was there and is not in the backup is gone.
 */
export default class Backups {
  /** `connectionName`: the database to back up or restore into (the default connection unless told). */
  constructor(protected connectionName?: string) {}

  async create(path: string): Promise<BackupSummary> {
    await mkdir(dirname(path), { recursive: true })
    const summary = { path, tables: 0, rows: 0, files: 0, bytes: 0 }
    const lines = this.#lines(summary)
    await pipeline(Readable.from(lines), createGzip(), createWriteStream(path))
    summary.bytes = (await stat(path)).size
    return summary
  }

  async *#lines(summary: Omit<BackupSummary, 'bytes'>) {
    const client = db.connection(this.connectionName)
    const trx = await client.transaction(
      client.dialect.name === 'mysql' ? { isolationLevel: 'repeatable read' } : {}
    )
    try {
      const migrations = await this.#migrations(trx)
      yield json({
        loket_backup: FORMAT,
        dialect: client.dialect.name,
        created_at: new Date().toISOString(),
        migrations,
      })
      for (const table of await this.#tables(trx)) {
        const columns = await columnsOf(trx, table)
        yield json({ table, columns })
        for await (const rows of pages(trx, table, columns)) {
          for (const row of rows)
            yield json({ row: columns.map((column) => portable(row[column])) })
          summary.rows += rows.length
        }
        summary.tables++
      }
    } finally {
      await trx.commit()
    }
    const disk = drive.use()
    const listing = await disk.listAll('', { recursive: true })
    for (const entry of listing.objects) {
      if (entry.isDirectory) continue
      const bytes = Buffer.from(await disk.getBytes(entry.key))
      yield json({ file: entry.key, data: bytes.toString('base64') })
      summary.files++
    }
  }

  async restore(path: string): Promise<BackupSummary> {
    const summary = { path, tables: 0, rows: 0, files: 0, bytes: (await stat(path)).size }
    const files: { key: string; data: string }[] = []
    let header: { loket_backup?: number; migrations?: string[] } | null = null
    await db.connection(this.connectionName).transaction(async (trx) => {
      await this.#deferForeignKeys(trx)
      try {
        let table: string | null = null
        let columns: string[] = []
        let batch: Record<string, unknown>[] = []
        const flush = async () => {
          if (table && batch.length) await trx.insertQuery().table(table).multiInsert(batch)
          batch = []
        }
        // Read once the transaction is open: lines a reader emitted before its loop began would be lost.
        const input = createInterface({ input: createReadStream(path).pipe(createGunzip()) })
        for await (const line of input) {
          if (!line) continue
          const entry = JSON.parse(line)
          if (!header) {
            header = entry
            await this.#checkHeader(trx, entry)
            for (const existing of await this.#tables(trx)) await trx.from(existing).delete()
            continue
          }
          if (entry.table) {
            await flush()
            table = entry.table
            columns = entry.columns
            summary.tables++
          } else if (entry.row) {
            batch.push(
              Object.fromEntries(columns.map((column, index) => [column, entry.row[index]]))
            )
            summary.rows++
            if (batch.length >= INSERT_BATCH) await flush()
          } else if (entry.file) {
            files.push({ key: entry.file, data: entry.data })
          }
        }
        await flush()
        if (!header) throw new Error('This file is empty: not a Loket backup')
      } finally {
        // The setting outlives the transaction on its connection: it goes back before the pool has it.
        if (trx.dialect.name === 'mysql') await trx.rawQuery('SET FOREIGN_KEY_CHECKS = 1')
      }
    })
    const disk = drive.use()
    const listing = await disk.listAll('', { recursive: true })
    for (const entry of listing.objects) if (!entry.isDirectory) await disk.delete(entry.key)
    for (const file of files) {
      await disk.put(file.key, Buffer.from(file.data, 'base64'))
      summary.files++
    }
    return summary
  }

  async #checkHeader(trx: TransactionClientContract, header: any) {
    if (header?.loket_backup !== FORMAT) throw new Error('Not a Loket backup (or a newer format)')
    const here = await this.#migrations(trx)
    const theirs: string[] = header.migrations ?? []
    if (here.join('\n') !== theirs.join('\n')) {
      throw new Error(
        `The backup was made at migration ${theirs.at(-1) ?? '(none)'}, this database is at ${here.at(-1) ?? '(none)'}: run this Loket version's migrations on an empty database of the backup's version first`
      )
    }
  }

  /** Foreign keys are checked at the commit, once every table is back (rows come table by table). */
  async #deferForeignKeys(trx: TransactionClientContract) {
    if (trx.dialect.name === 'mysql') await trx.rawQuery('SET FOREIGN_KEY_CHECKS = 0')
    else await trx.rawQuery('PRAGMA defer_foreign_keys = ON')
  }

  async #migrations(trx: TransactionClientContract) {
    const rows = await trx.from('adonis_schema').orderBy('id').select('name')
    return rows.map((row) => String(row.name))
  }

  /** The tables, read through the transaction itself (SQLite has one connection: a query beside it would wait forever). */
  async #tables(trx: TransactionClientContract) {
    const rows =
      trx.dialect.name === 'mysql'
        ? await trx
            .from('information_schema.tables')
            .whereRaw('table_schema = database()')
            .where('table_type', 'BASE TABLE')
            .select('table_name as name')
        : await trx.from('sqlite_master').where('type', 'table').select('name')
    return rows
      .map((row) => String(row.name ?? row.NAME))
      .filter((table) => !SKIPPED_TABLES.has(table) && !table.startsWith('sqlite_'))
      .sort()
  }
}

/** A table's columns in their order, through the transaction. */
async function columnsOf(trx: TransactionClientContract, table: string) {
  if (trx.dialect.name === 'mysql') {
    const rows = await trx
      .from('information_schema.columns')
      .whereRaw('table_schema = database()')
      .where('table_name', table)
      .orderBy('ordinal_position')
      .select('column_name as name')
    return rows.map((row) => String(row.name ?? row.NAME))
  }
  const result = await trx.rawQuery(`PRAGMA table_info(${JSON.stringify(table)})`)
  return (result as { name: string }[]).map((row) => row.name)
}

/** A table's rows in pages of READ_PAGE by its `id` (a table of a million tickets never sits in memory at once). */
async function* pages(trx: TransactionClientContract, table: string, columns: string[]) {
  if (!columns.includes('id')) {
    yield await trx.from(table).select('*')
    return
  }
  let after: unknown = null
  for (;;) {
    const query = trx.from(table).select('*').orderBy('id').limit(READ_PAGE)
    if (after !== null) query.where('id', '>', after as string | number)
    const rows = await query
    if (rows.length === 0) return
    yield rows
    after = rows[rows.length - 1].id
    if (rows.length < READ_PAGE) return
  }
}

function json(value: unknown) {
  return `${JSON.stringify(value)}\n`
}

/** A value as both databases take it back: dates as UTC `YYYY-MM-DD HH:mm:ss.SSS`, bytes as base64. */
function portable(value: unknown) {
  if (value instanceof Date) return value.toISOString().slice(0, 23).replace('T', ' ')
  if (Buffer.isBuffer(value)) return value.toString('base64')
  if (typeof value === 'bigint') return value.toString()
  return value
}
