import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import logger from '@adonisjs/core/services/logger'
import { inject } from '@adonisjs/core'
import type { DateTime } from 'luxon'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import DomainError from '#exceptions/domain_error'
import AuditTrail, { type Actor } from '#services/platform/audit_trail'
import clock from '#support/clock'
import { withTransaction } from '#support/database'
import { normalizePhone } from '#support/phone'
import { toSqlDateTime } from '#models/columns'
import { tenantRows } from '#models/mixins/tenant_owned'
import {
  ERASED_JSON,
  ERASED_NAME,
  ERASED_TEXT,
  PERSONAL_DATA,
  PLACEHOLDER_PREFIX,
  type PersonalTable,
  type Rule,
} from '#services/privacy/personal_data_map'
import consentLedger from '#services/privacy/consent_ledger'

/** One person, as an admin names them: a phone number (E.164) or an email address. */
export interface Person {
  phone: string | null
  email: string | null
}

/** The ids of a person's rows, per table. */
export type Found = Map<string, (string | number)[]>

/** whereIn lists stay under every database's limit on bound values. */
const CHUNK = 500

/**
 * The person an admin typed: an email address (lower case) or a phone number read in the
 * branch's country (`0812...` in Indonesia, `012...` in Malaysia). Null when it is neither.
 */
export function personOf(input: string, country: 'ID' | 'MY' = 'ID'): Person | null {
  const text = String(input ?? '').trim()
  if (text.length === 0 || text.length > 254) return null
  if (text.includes('@')) {
    const email = text.toLowerCase()
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? { phone: null, email } : null
  }
  const phone = normalizePhone(text, country)
  return phone ? { phone, email: null } : null
}

/** What a person's identifier reads as, the same however it was typed. */
export function identifierOf(person: Person) {
  return person.phone ?? person.email ?? ''
}

/** The value an erased column is written, as SQL for one row (null: the column becomes null). */
export function erasedValue(rule: Rule) {
  switch (rule) {
    case 'name':
      return ERASED_NAME
    case 'text':
      return ERASED_TEXT
    case 'json':
      return ERASED_JSON
    default:
      return null
  }
}

/** Whether a value is already what erasure writes (nothing personal left in it). */
export function isErasedValue(rule: Rule, value: unknown) {
  if (value === null || value === undefined) return true
  if (rule === 'placeholder') return String(value).startsWith(PLACEHOLDER_PREFIX)
  return value === erasedValue(rule)
}

function chunks<T>(items: T[]) {
  const out: T[][] = []
  for (let index = 0; index < items.length; index += CHUNK)
    out.push(items.slice(index, index + CHUNK))
  return out
}

let tables: Promise<Set<string>> | undefined

/** The tables of the database (a module's tables may be absent), read once per process. */
export function presentTables(): Promise<Set<string>> {
  tables ??= db
    .connection()
    .getAllTables()
    .then((names: string[]) => new Set(names))
    .catch((error: unknown) => {
      tables = undefined
      throw error
    })
  return tables
}

/**
 * Finds the rows of `entries` (in order) within one tenant: by the person's phone or email, and
 * through the parents found before. `seeds` are rows already known (a retention batch's roots).
 */
export async function locate(
  client: QueryClientContract,
  tenantId: number,
  person: Person | null,
  present: Set<string>,
  entries: PersonalTable[] = PERSONAL_DATA,
  seeds: Found = new Map()
): Promise<Found> {
  const found: Found = new Map(seeds)
  for (const entry of entries) {
    if (found.has(entry.table) || !present.has(entry.table)) continue
    const ids = new Set<string | number>()
    const collect = (rows: Record<string, any>[]) => {
      for (const row of rows) ids.add(row[entry.key])
    }
    for (const finder of entry.find) {
      const base = () => tenantRows(client, entry.table, tenantId).select(entry.key)
      if ('phone' in finder) {
        if (person?.phone) collect(await base().where(finder.phone, person.phone))
      } else if ('email' in finder) {
        if (person?.email)
          collect(await base().whereRaw('LOWER(??) = ?', [finder.email, person.email]))
      } else {
        const parentIds = found.get(finder.parent)
        if (!parentIds?.length) continue
        for (const chunk of chunks(parentIds)) {
          const query = base().whereIn(finder.column, finder.type ? chunk.map(String) : chunk)
          if (finder.type) query.where(finder.type.column, finder.type.value)
          collect(await query)
        }
      }
    }
    found.set(entry.table, [...ids])
  }
  return found
}

/** Rows per table. */
export function countsOf(found: Found) {
  const counts: Record<string, number> = {}
  for (const entry of PERSONAL_DATA) {
    const ids = found.get(entry.table)
    if (ids) counts[entry.table] = ids.length
  }
  return counts
}

/**
 * Writes the erased values over the found rows (one UPDATE per table and chunk) and marks the
 * roots anonymized. Returns the keys of the stored files to delete once the transaction commits.
 */
export async function anonymize(
  trx: TransactionClientContract,
  tenantId: number,
  found: Found,
  now: DateTime = clock.now()
) {
  const media: string[] = []
  for (const entry of PERSONAL_DATA) {
    const ids = found.get(entry.table)
    if (!ids?.length) continue
    const sets: Record<string, unknown> = {}
    for (const [column, rule] of Object.entries(entry.columns))
      sets[column] = sqlFor(trx, rule, column, entry.key)
    if (entry.marker) sets.anonymized_at = toSqlDateTime(now)
    if (Object.keys(sets).length === 0) continue
    const mediaColumns = Object.entries(entry.columns)
      .filter(([, rule]) => rule === 'media')
      .map(([column]) => column)
    for (const chunk of chunks(ids)) {
      for (const column of mediaColumns) {
        const rows = await tenantRows(trx, entry.table, tenantId)
          .whereIn(entry.key, chunk)
          .whereNotNull(column)
          .select(column)
        for (const row of rows) media.push(String(row[column]))
      }
      await tenantRows(trx, entry.table, tenantId).whereIn(entry.key, chunk).update(sets)
    }
  }
  return media
}

function sqlFor(trx: TransactionClientContract, rule: Rule, column: string, key: string) {
  if (rule === 'null' || rule === 'media') return null
  if (rule === 'placeholder') {
    return trx.dialect.name === 'mysql'
      ? trx.knexRawQuery('CONCAT(?, ??)', [PLACEHOLDER_PREFIX, key])
      : trx.knexRawQuery('(? || ??)', [PLACEHOLDER_PREFIX, key])
  }
  return trx.knexRawQuery('CASE WHEN ?? IS NULL THEN NULL ELSE ? END', [
    column,
    erasedValue(rule) ?? '',
  ])
}

/** Deletes stored files of erased rows; a file already gone is no error. */
export async function deleteMedia(keys: string[]) {
  for (const key of keys) {
    try {
      await drive.use().delete(key)
    } catch (error) {
      logger.warn({ err: error, key }, 'erased media file not deleted')
    }
  }
}

/**
 * A person's data within one tenant (seed 004, PDPA and UU PDP): where it is (rows per table),
 * its export, and its erasure. Another tenant's rows are never read: every query is scoped by
 * the tenant.
 */
@inject()
export default class PersonalData {
  constructor(protected auditTrail: AuditTrail) {}

  async find(tenantId: number, person: Person) {
    const found = await locate(db.connection(), tenantId, person, await presentTables())
    return { found, counts: countsOf(found), total: total(found) }
  }

  /** The person's rows (personal and context columns) and their consent history, for the export. */
  async export(tenantId: number, person: Person) {
    const present = await presentTables()
    const client = db.connection()
    const found = await locate(client, tenantId, person, present)
    if (total(found) === 0) throw new DomainError('privacy_nothing_found', {}, 404)
    const sections: { table: string; rows: Record<string, unknown>[] }[] = []
    for (const entry of PERSONAL_DATA) {
      const ids = found.get(entry.table)
      if (!ids?.length) continue
      const columns = [
        ...new Set([
          entry.key,
          ...entry.context,
          ...Object.keys(entry.columns),
          ...entry.find.flatMap((finder) =>
            'phone' in finder ? [finder.phone] : 'email' in finder ? [finder.email] : []
          ),
        ]),
      ]
      const rows: Record<string, unknown>[] = []
      for (const chunk of chunks(ids)) {
        const part = await tenantRows(client, entry.table, tenantId)
          .whereIn(entry.key, chunk)
          .select(columns)
          .orderBy(entry.key)
        rows.push(...part.map(plain))
      }
      sections.push({ table: entry.table, rows })
    }
    return {
      subject: identifierOf(person),
      generatedAt: clock.now().toISO(),
      counts: countsOf(found),
      consents: await consentLedger.history(tenantId, person),
      sections,
    }
  }

  /**
   * Anonymizes every row of the person in the map, in one transaction with its audit entry (the
   * counts, never the data); their media files are deleted once it commits. Irreversible.
   */
  async erase(tenantId: number, person: Person, actor: Actor) {
    const present = await presentTables()
    const { counts, media } = await withTransaction(async (trx) => {
      const found = await locate(trx, tenantId, person, present)
      const rows = total(found)
      if (rows === 0) throw new DomainError('privacy_nothing_found', {}, 404)
      const files = await anonymize(trx, tenantId, found)
      const tableCounts = Object.fromEntries(
        Object.entries(countsOf(found)).filter(([, count]) => count > 0)
      )
      await this.auditTrail.record(
        {
          action: 'privacy.erased',
          tenantId,
          changes: { rows, tables: tableCounts, files: files.length },
        },
        actor,
        trx
      )
      return { counts: tableCounts, media: files }
    })
    await deleteMedia(media)
    return { counts, files: media.length }
  }
}

function total(found: Found) {
  let sum = 0
  for (const ids of found.values()) sum += ids.length
  return sum
}

/** A row as JSON shows it: dates as ISO text. */
function plain(row: Record<string, unknown>) {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(row))
    out[key] = value instanceof Date ? value.toISOString() : value
  return out
}
