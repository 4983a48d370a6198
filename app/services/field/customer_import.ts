import { FORMULA_START } from '#support/csv'
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { inject } from '@adonisjs/core'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import { errors as lucidErrors } from '@adonisjs/lucid'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Customer from '#models/customer'
import User from '#models/user'
import CustomerDirectory, { type CustomerInput } from '#services/field/customer_directory'
import AuditTrail from '#services/platform/audit_trail'
import { normalizePhone } from '#support/phone'
import { detectUploadType } from '#support/uploads'

/*
|--------------------------------------------------------------------------
| CSV of customers: reading, checking, applying (seed 003, MDM)
|--------------------------------------------------------------------------
| A file is read as CSV text (RFC 4180; commas, or the semicolons Excel writes in Indonesian and
| Malay settings), its header row mapped to name, phone, address and notes (English or
| Indonesian column names, any case), and every row checked before anything is written: the
| preview says what is new, what updates a customer with the same phone, and what is wrong on
| which line. Committing applies the good rows in the background, 200 per transaction; the page
| polls the progress. There is no table for imports: the file and its state (a JSON file with the
| tenant's id inside) wait in tmp/imports under an unguessable token.
*/

/** The customer fields a column can fill. */
export type ImportField = 'name' | 'phone' | 'address' | 'notes'

/** Column names a file may use, compared in lower case with spaces, dots and dashes as `_`. */
const HEADER_NAMES: Record<ImportField, readonly string[]> = {
  name: [
    'name',
    'nama',
    'nama_pelanggan',
    'nama_lengkap',
    'full_name',
    'customer',
    'customer_name',
  ],
  phone: [
    'phone',
    'telepon',
    'telpon',
    'telp',
    'tel',
    'hp',
    'no_hp',
    'nomor_hp',
    'no_telp',
    'no_telepon',
    'nomor_telepon',
    'phone_number',
    'mobile',
    'whatsapp',
    'wa',
    'no_wa',
  ],
  address: ['address', 'alamat', 'alamat_lengkap'],
  notes: ['notes', 'note', 'catatan', 'keterangan', 'remarks'],
}

/** What a row may hold, as the customer form allows it. */
export const IMPORT_LIMITS = { name: 120, address: 500, notes: 2000 } as const

/** Rows applied per transaction. */
export const IMPORT_BATCH = 200

/** The most data rows one file may hold (5 MB is about this many customers). */
export const MAX_IMPORT_ROWS = 50_000

/** Rows the preview shows, and rows with problems it lists. */
const SAMPLE_ROWS = 20
const LISTED_PROBLEMS = 100

/** An import whose runner stopped writing for this long (the server restarted) is resumed by the next poll. */
const STALE_MS = 30_000

/** Imports and their files are forgotten after a day. */
const KEEP_MS = 24 * 60 * 60 * 1000

/*
| Reading and writing CSV
*/

/** Why a file cannot be read at all; its message is `customers.import.refused.<key>`. */
export class ImportRefused extends Error {
  constructor(
    public key: 'not_text' | 'empty' | 'no_name_column' | 'unclosed_quote' | 'too_many_rows',
    public params: Record<string, string | number> = {}
  ) {
    super(`CSV refused: ${key}`)
  }
}

/** A record of a CSV file and the line it starts on. */
export interface CsvRecord {
  line: number
  cells: string[]
}

/**
 * The text of an uploaded file, or null when it is not text: a known binary format (images,
 * PDF, the zip of an .xlsx, an old .xls), NUL bytes or control characters. UTF-8 (with or
 * without its byte-order mark) is read as such, UTF-16 by its mark; anything else as Windows-1252,
 * what older Excel versions write.
 */
export function decodeCsv(bytes: Uint8Array): string | null {
  const starts = (...signature: number[]) => signature.every((byte, at) => bytes[at] === byte)
  let text: string
  if (starts(0xff, 0xfe)) text = new TextDecoder('utf-16le').decode(bytes.subarray(2))
  else if (starts(0xfe, 0xff)) text = new TextDecoder('utf-16be').decode(bytes.subarray(2))
  else {
    if (
      detectUploadType(bytes) ||
      starts(0x50, 0x4b, 0x03, 0x04) ||
      starts(0xd0, 0xcf, 0x11, 0xe0) ||
      starts(0x1f, 0x8b) ||
      bytes.includes(0)
    )
      return null
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
    } catch {
      text = new TextDecoder('windows-1252').decode(bytes)
    }
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1)
  return hasControlCharacters(text) ? null : text
}

/** Whether `text` holds a control character other than tab, line feed, form feed and carriage return. */
function hasControlCharacters(text: string) {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (
      (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) ||
      code === 0x7f
    )
      return true
  }
  return false
}

/** The separator of a CSV text: the one of comma, semicolon and tab its first line uses most outside quotes. */
export function detectSeparator(text: string) {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 }
  let quoted = false
  for (const char of text) {
    if (char === '"') quoted = !quoted
    else if (!quoted && (char === '\n' || char === '\r')) break
    else if (!quoted && char in counts) counts[char]++
  }
  return counts[';'] > counts[','] && counts[';'] >= counts['\t']
    ? ';'
    : counts['\t'] > counts[',']
      ? '\t'
      : ','
}

/**
 * The records of a CSV text (RFC 4180): fields split by `separator`; a field in double quotes may
 * hold separators, quotes (doubled) and line breaks; records end with CRLF, LF or CR. Kept lenient
 * where spreadsheets are sloppy: a quote inside an unquoted field is a character, text after a
 * closing quote joins the field. Blank lines are skipped. A quote never closed makes the file
 * unreadable (ImportRefused), with the line it opened on.
 */
export function parseCsv(text: string, separator = detectSeparator(text)): CsvRecord[] {
  const records: CsvRecord[] = []
  let cells: string[] = []
  let field = ''
  let line = 1
  let recordLine = 1
  let quotedSince = 0
  let index = 0
  let quoted = false

  const endRecord = () => {
    cells.push(field)
    if (cells.length > 1 || cells[0] !== '') records.push({ line: recordLine, cells })
    cells = []
    field = ''
  }

  while (index < text.length) {
    const char = text[index]
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          field += '"'
          index += 2
          continue
        }
        quoted = false
      } else {
        if (char === '\n' || (char === '\r' && text[index + 1] !== '\n')) line++
        field += char
      }
      index++
      continue
    }
    if (char === '"' && field === '') {
      quoted = true
      quotedSince = line
    } else if (char === separator) {
      cells.push(field)
      field = ''
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[index + 1] === '\n') index++
      endRecord()
      line++
      recordLine = line
    } else {
      field += char
    }
    index++
  }
  if (quoted) throw new ImportRefused('unclosed_quote', { line: quotedSince })
  if (field !== '' || cells.length) endRecord()
  return records
}

/** A cell as exported with the formula guard, without it: `'+62812...` reads as `+62812...`. */
export function unguard(cell: string) {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell
}

/** A header cell as compared with HEADER_NAMES: `No. HP` -> `no_hp`. */
export function headerKey(cell: string) {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[\s.\-/]+/g, '_')
    .replace(/[^\p{L}\d_]/gu, '')
    .replace(/^_+|_+$/g, '')
}

/**
 * Which column holds each customer field (the first column that names it), and the columns no
 * field takes (a file exported from Loket has status, source and created_at: they are ignored).
 */
export function mapHeader(cells: readonly string[]) {
  const columns: Partial<Record<ImportField, number>> = {}
  const ignored: string[] = []
  cells.forEach((cell, index) => {
    const key = headerKey(cell)
    const field = (Object.keys(HEADER_NAMES) as ImportField[]).find((candidate) =>
      HEADER_NAMES[candidate].includes(key)
    )
    if (field && columns[field] === undefined) columns[field] = index
    else if (cell.trim()) ignored.push(cell.trim().slice(0, 40))
  })
  return { columns, ignored }
}

/** What is wrong with a row; its message is `customers.import.problems_list.<key>`. */
export interface RowProblem {
  key:
    | 'missing_name'
    | 'name_too_long'
    | 'bad_phone'
    | 'duplicate_phone'
    | 'duplicate_row'
    | 'address_too_long'
    | 'notes_too_long'
  params?: Record<string, string | number>
}

/** A data row as read and checked. */
export interface CheckedRow {
  line: number
  name: string
  phone: string | null
  /** The phone as written, shown when it could not be read. */
  rawPhone: string
  address: string | null
  notes: string | null
  problems: RowProblem[]
}

/**
 * The data rows of a file's records, each checked as the customer form checks it: a name (at
 * most 120 characters), a phone that reads as one in `country` (put in E.164), an address of at
 * most 500 and notes of at most 2000 characters. A phone (or, without one, the same name and
 * address) met on an earlier row is a duplicate: only the first is applied.
 */
export function checkRows(
  records: readonly CsvRecord[],
  columns: Partial<Record<ImportField, number>>,
  country: 'ID' | 'MY'
): CheckedRow[] {
  const seen = new Map<string, number>()
  const cell = (record: CsvRecord, field: ImportField) => {
    const index = columns[field]
    return index === undefined ? '' : unguard((record.cells[index] ?? '').trim())
  }
  return records.map((record) => {
    const problems: RowProblem[] = []
    const name = cell(record, 'name').replace(/\s+/g, ' ')
    const rawPhone = cell(record, 'phone')
    const address = cell(record, 'address').replace(/\s+/g, ' ') || null
    const notes = cell(record, 'notes').replace(/\r\n?/g, '\n') || null
    const phone = rawPhone ? normalizePhone(rawPhone, country) : null

    if (!name) problems.push({ key: 'missing_name' })
    else if ([...name].length > IMPORT_LIMITS.name)
      problems.push({ key: 'name_too_long', params: { max: IMPORT_LIMITS.name } })
    if (rawPhone && !phone) problems.push({ key: 'bad_phone', params: { phone: rawPhone } })
    if (address && [...address].length > IMPORT_LIMITS.address)
      problems.push({ key: 'address_too_long', params: { max: IMPORT_LIMITS.address } })
    if (notes && [...notes].length > IMPORT_LIMITS.notes)
      problems.push({ key: 'notes_too_long', params: { max: IMPORT_LIMITS.notes } })

    const key = phone ?? (name && !rawPhone ? `${name}\u0000${address ?? ''}` : null)
    if (key) {
      const first = seen.get(key)
      if (first !== undefined)
        problems.push({ key: phone ? 'duplicate_phone' : 'duplicate_row', params: { line: first } })
      else if (problems.length === 0) seen.set(key, record.line)
    }
    return { line: record.line, name, phone, rawPhone, address, notes, problems }
  })
}

/** A file read and checked: its header, its rows. Throws ImportRefused when it cannot be used. */
export function readCustomerCsv(text: string, country: 'ID' | 'MY') {
  const records = parseCsv(text)
  if (records.length < 2) throw new ImportRefused('empty')
  const { columns, ignored } = mapHeader(records[0].cells)
  if (columns.name === undefined) throw new ImportRefused('no_name_column')
  if (records.length - 1 > MAX_IMPORT_ROWS)
    throw new ImportRefused('too_many_rows', { max: MAX_IMPORT_ROWS })
  const header = (Object.keys(columns) as ImportField[])
    .sort((a, b) => columns[a]! - columns[b]!)
    .map((field) => ({ field, column: records[0].cells[columns[field]!].trim() }))
  return { header, ignored, rows: checkRows(records.slice(1), columns, country) }
}

/*
| Imports: preview, commit, progress
*/

export type ImportStatus = 'previewed' | 'running' | 'done' | 'failed'

/** A row as the preview shows it, with what committing would do to it. */
export interface PreviewRow {
  line: number
  name: string
  phone: string | null
  address: string | null
  action: 'create' | 'update' | null
  problems: RowProblem[]
}

/** An import's state, kept as JSON next to its file. */
export interface ImportState {
  token: string
  tenantId: number
  userId: number
  ip: string | null
  fileName: string
  status: ImportStatus
  createdAt: string
  updatedAt: string
  header: { field: ImportField; column: string }[]
  ignored: string[]
  /** Data rows in the file, rows that will be applied, and what the preview expects of them. */
  rows: number
  valid: number
  expected: { create: number; update: number; errors: number }
  sample: PreviewRow[]
  problems: PreviewRow[]
  /** The import as it runs: valid rows applied so far, and what they did. */
  progress: { processed: number; created: number; updated: number; failed: number }
  finishedAt: string | null
}

/** Imports this process is applying (a poll resumes only the others; tests await them). */
const running = new Map<string, Promise<void>>()

/** Resolves when every import this process runs has finished. */
export async function importsSettled() {
  while (running.size) await Promise.allSettled([...running.values()])
}

/** Whether `token` looks like one this service made (it becomes a file name). */
function validToken(token: string) {
  return /^[\w-]{24}$/.test(token)
}

/**
 * Customer imports from CSV files: `preview` reads, checks and keeps an upload; `commit` starts
 * applying it in the background; `find` reads an import's state for its page (another tenant's
 * token answers 404, like an unknown one) and resumes one whose server stopped mid-way. Rows are
 * upserted by phone (CustomerDirectory), so a file imported twice creates nobody the second
 * time. When an import is done its file is deleted and one audit entry records its counts.
 */
@inject()
export default class CustomerImport {
  constructor(
    protected customers: CustomerDirectory,
    protected auditTrail: AuditTrail
  ) {}

  /** Reads an uploaded file, checks every row, and keeps it for the preview. */
  async preview(
    tenantId: number,
    actor: { user: User; ip?: string | null },
    upload: { fileName: string; bytes: Uint8Array }
  ): Promise<ImportState> {
    const text = decodeCsv(upload.bytes)
    if (text === null) throw new ImportRefused('not_text')
    const { header, ignored, rows } = readCustomerCsv(
      text,
      await this.customers.countryOf(tenantId)
    )
    const known = await this.#known(tenantId, rows)
    const action = (row: CheckedRow): PreviewRow['action'] =>
      row.problems.length ? null : known.has(matchKey(row)) ? 'update' : 'create'
    const preview = (row: CheckedRow): PreviewRow => ({
      line: row.line,
      name: row.name.slice(0, 200),
      phone: row.phone ?? (row.rawPhone.slice(0, 40) || null),
      address: row.address?.slice(0, 200) ?? null,
      action: action(row),
      problems: row.problems,
    })

    const expected = { create: 0, update: 0, errors: 0 }
    for (const row of rows) {
      const will = action(row)
      if (will === 'create') expected.create++
      else if (will === 'update') expected.update++
      else expected.errors++
    }
    const now = new Date().toISOString()
    const state: ImportState = {
      token: randomBytes(18).toString('base64url'),
      tenantId,
      userId: actor.user.id,
      ip: actor.ip ?? null,
      fileName: upload.fileName.replace(/[^\p{L}\d ._()-]+/gu, '_').slice(0, 100),
      status: 'previewed',
      createdAt: now,
      updatedAt: now,
      header,
      ignored,
      rows: rows.length,
      valid: expected.create + expected.update,
      expected,
      sample: rows.slice(0, SAMPLE_ROWS).map(preview),
      problems: rows
        .filter((row) => row.problems.length)
        .slice(0, LISTED_PROBLEMS)
        .map(preview),
      progress: { processed: 0, created: 0, updated: 0, failed: 0 },
      finishedAt: null,
    }
    await this.#sweep()
    await mkdir(directory(), { recursive: true })
    await writeFile(csvPath(state.token), text, 'utf8')
    await this.#save(state)
    return state
  }

  /** The tenant's import with `token`; 404 otherwise. A run whose server stopped is resumed here. */
  async find(tenantId: number, token: string) {
    const state = validToken(token) ? await readState(token) : null
    if (!state || state.tenantId !== tenantId) throw new lucidErrors.E_ROW_NOT_FOUND()
    if (
      state.status === 'running' &&
      !running.has(token) &&
      Date.now() - Date.parse(state.updatedAt) > STALE_MS
    )
      this.#start(state)
    return state
  }

  /**
   * Starts applying a previewed import in the background; committing it again (a double click,
   * two tabs) changes nothing: a lock file is created once.
   */
  async commit(state: ImportState) {
    if (state.status !== 'previewed') return state
    try {
      await (await open(lockPath(state.token), 'wx')).close()
    } catch {
      return state
    }
    state.status = 'running'
    await this.#save(state)
    this.#start(state)
    return state
  }

  #start(state: ImportState) {
    const run = this.#run(state)
      .catch(async (error) => {
        logger.error({ err: error, token: state.token }, 'customer import failed')
        state.status = 'failed'
        state.finishedAt = new Date().toISOString()
        await this.#save(state).catch(() => {})
      })
      .finally(() => running.delete(state.token))
    running.set(state.token, run)
  }

  /**
   * Applies the valid rows after those already processed, 200 per transaction, saving the
   * progress after each batch. A batch that fails is applied again row by row, so that one bad
   * row costs only itself.
   */
  async #run(state: ImportState) {
    const text = await readFile(csvPath(state.token), 'utf8')
    const country = await this.customers.countryOf(state.tenantId)
    const valid = readCustomerCsv(text, country).rows.filter((row) => row.problems.length === 0)
    const progress = state.progress
    for (let start = progress.processed; start < valid.length; start += IMPORT_BATCH) {
      const batch = valid.slice(start, start + IMPORT_BATCH)
      try {
        const outcomes = await db.transaction(async (trx) => {
          const done: boolean[] = []
          for (const row of batch) done.push(await this.#apply(trx, state.tenantId, row))
          return done
        })
        for (const created of outcomes) progress[created ? 'created' : 'updated']++
      } catch (error) {
        logger.warn({ err: error, token: state.token }, 'customer import batch failed, row by row')
        for (const row of batch) {
          try {
            const created = await db.transaction((trx) => this.#apply(trx, state.tenantId, row))
            progress[created ? 'created' : 'updated']++
          } catch {
            progress.failed++
          }
        }
      }
      progress.processed = Math.min(start + batch.length, valid.length)
      await this.#save(state)
      // Other requests get the event loop between batches.
      await new Promise((resolve) => setImmediate(resolve))
    }

    state.status = 'done'
    state.finishedAt = new Date().toISOString()
    const user = await User.find(state.userId)
    await this.auditTrail.record(
      {
        action: 'customer.imported',
        tenantId: state.tenantId,
        changes: {
          file: state.fileName,
          rows: state.rows,
          created: progress.created,
          updated: progress.updated,
          errors: state.expected.errors + progress.failed,
        },
      },
      { user, ip: state.ip }
    )
    await this.#save(state)
    await rm(csvPath(state.token), { force: true })
  }

  /** Upserts one row; true when it created a customer. */
  async #apply(trx: TransactionClientContract, tenantId: number, row: CheckedRow) {
    const input: CustomerInput = { name: row.name, address: row.address, notes: row.notes }
    const { created } = row.phone
      ? await this.customers.upsertByPhone(trx, tenantId, row.phone, input, 'import')
      : await this.customers.upsertByNameAndAddress(trx, tenantId, input, 'import')
    return created
  }

  /** Which valid rows match a customer already there: by phone, or by name and address without one. */
  async #known(tenantId: number, rows: CheckedRow[]) {
    const known = new Set<string>()
    const valid = rows.filter((row) => row.problems.length === 0)
    const phones = valid.flatMap((row) => (row.phone ? [row.phone] : []))
    const names = [...new Set(valid.flatMap((row) => (row.phone ? [] : [row.name])))]
    for (let start = 0; start < phones.length; start += 500) {
      const found = await Customer.forTenant(tenantId)
        .whereIn('phone', phones.slice(start, start + 500))
        .select('phone')
      for (const customer of found) known.add(customer.phone!)
    }
    for (let start = 0; start < names.length; start += 500) {
      const found = await Customer.forTenant(tenantId)
        .whereNull('phone')
        .whereIn('name', names.slice(start, start + 500))
        .select('name', 'address')
      for (const customer of found) known.add(`${customer.name}\u0000${customer.address ?? ''}`)
    }
    return known
  }

  /** Writes the state atomically (a poll never reads half a file). */
  async #save(state: ImportState) {
    state.updatedAt = new Date().toISOString()
    const path = statePath(state.token)
    await writeFile(`${path}.tmp`, JSON.stringify(state), 'utf8')
    await rename(`${path}.tmp`, path)
  }

  /** Forgets imports older than a day (their files, states and locks). */
  async #sweep() {
    const names = await readdir(directory()).catch(() => [] as string[])
    const now = Date.now()
    for (const name of names) {
      const path = join(directory(), name)
      const info = await stat(path).catch(() => null)
      if (info && now - info.mtimeMs > KEEP_MS) await rm(path, { force: true })
    }
  }
}

function matchKey(row: CheckedRow) {
  return row.phone ?? `${row.name}\u0000${row.address ?? ''}`
}

function directory() {
  return app.tmpPath('imports')
}

function csvPath(token: string) {
  return join(directory(), `${token}.csv`)
}

function statePath(token: string) {
  return join(directory(), `${token}.json`)
}

function lockPath(token: string) {
  return join(directory(), `${token}.lock`)
}

async function readState(token: string): Promise<ImportState | null> {
  try {
    return JSON.parse(await readFile(statePath(token), 'utf8')) as ImportState
  } catch {
    return null
  }
}
