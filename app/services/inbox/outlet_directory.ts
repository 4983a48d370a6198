import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import { Exception } from '@adonisjs/core/exceptions'
import logger from '@adonisjs/core/services/logger'
import type { I18n } from '@adonisjs/i18n'
import i18nManager from '@adonisjs/i18n/services/main'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Branch from '#models/branch'
import Contact from '#models/contact'
import ContactOutlet from '#models/contact_outlet'
import Conversation from '#models/conversation'
import Outlet, { OUTLET_ID_PATTERN } from '#models/outlet'
import type User from '#models/user'
import type { TenantRef } from '#models/mixins/tenant_owned'
import { toSqlDateTime } from '#models/columns'
import DomainError from '#exceptions/domain_error'
import Configuration from '#services/platform/configuration'
import AuditTrail, { type Actor } from '#services/platform/audit_trail'
import {
  ImportRefused,
  decodeCsv,
  headerKey,
  parseCsv,
  unguard,
  type CsvRecord,
} from '#services/field/customer_import'
import { applyScope, type Scope } from '#services/inbox/user_scopes'
import { hasRowLocks, isUniqueViolation, withTransaction } from '#support/database'
import { countryOfTimezone, normalizePhone } from '#support/phone'
import { withoutWildcards } from '#support/sql'
import clock from '#support/clock'
import { OUTLET_STATUSES, type OutletStatus } from '#enums/inbox'

/*
|--------------------------------------------------------------------------
| The business's outlets and which contacts speak for them (seed 004)
|--------------------------------------------------------------------------
| Outlets are a franchise's shops, known by franchise id (`fid`) and outlet id (`oid`), unique per
| tenant; CS keep them by hand or by CSV here (the next issue's POS sync fills them too). A contact
| who writes on WhatsApp is resolved to outlets: the outlets already linked to them win; otherwise
| a phone that matches exactly one outlet links itself, several are offered to the agent to pick
| (and the pick is remembered), none leaves the contact "unknown" with a way to link.
*/

/** An outlet as the form, the API or a CSV row describes it; the phone as typed. */
export interface OutletInput {
  fid: string
  oid: string
  name: string
  address?: string | null
  phone?: string | null
  /** `YYYY-MM-DD`. */
  expiresOn?: string | null
  status?: OutletStatus
}

/** What a contact resolves to (see OutletDirectory.resolve). */
export interface Resolution {
  linked: Outlet[]
  candidates: Outlet[]
  state: 'linked' | 'choose' | 'unknown'
}

/** What an import did: rows read, outlets created, changed and left as they were, rows skipped and why. */
export interface ImportReport {
  rows: number
  created: number
  updated: number
  unchanged: number
  errors: { line: number; message: string }[]
  /** Columns of the file no field takes. */
  ignored: string[]
}

/** A CSV to import: its text, its bytes (any encoding decodeCsv reads), or an upload. */
export type CsvSource = string | Uint8Array | { fileName?: string; bytes: Uint8Array }

/** The fields a CSV column can fill. */
export type OutletField = 'fid' | 'oid' | 'name' | 'address' | 'phone' | 'expires_on' | 'status'

/** Column names a file may use, compared as headerKey() writes them (`No. HP` -> `no_hp`). */
const HEADER_NAMES: Record<OutletField, readonly string[]> = {
  fid: ['fid', 'franchise_id', 'id_franchise', 'kode_franchise', 'franchise'],
  oid: ['oid', 'outlet_id', 'id_outlet', 'kode_outlet', 'outlet'],
  name: ['name', 'nama', 'outlet_name', 'nama_outlet', 'nama_toko'],
  address: ['address', 'alamat'],
  phone: [
    'phone',
    'telepon',
    'telpon',
    'telp',
    'hp',
    'no_hp',
    'no_telp',
    'whatsapp',
    'wa',
    'mobile',
  ],
  expires_on: [
    'expires_on',
    'expiry',
    'expiry_date',
    'expires',
    'expires_at',
    'expired_at',
    'tanggal_berakhir',
    'berlaku_sampai',
    'masa_berlaku',
    'tarikh_tamat',
  ],
  status: ['status'],
}

/** Columns a file must have. */
const REQUIRED: readonly OutletField[] = ['fid', 'oid', 'name']

/** Status words a file may use (any case), beside the statuses themselves. */
const STATUS_WORDS: Record<string, OutletStatus> = {
  aktif: 'active',
  nonaktif: 'inactive',
  non_aktif: 'inactive',
  tidak_aktif: 'inactive',
  tak_aktif: 'inactive',
  suspended: 'inactive',
  churn: 'churned',
  berhenti: 'churned',
}

/** What a row may hold, as the outlet form allows it (the migration's column sizes). */
export const OUTLET_LIMITS = { name: 160, address: 500 } as const

/** Rows written per transaction (one read and one upsert statement each). */
export const IMPORT_BATCH = 400

/** The most data rows and bytes one file may hold. */
export const MAX_IMPORT_ROWS = 50_000
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024

/** Outlets a contact's phone may offer to pick from (a franchise owner's number on many shops). */
export const MAX_CANDIDATES = 50

/** Page size of the outlet list and the agent's picker. */
export const OUTLETS_PER_PAGE = 25

/** Links an outlet's page lists. */
export const LINKS_SHOWN = 200

/**
 * Why a file cannot be imported at all (422); its message is `outlets.import.refused.<key>`.
 * Rows with problems do not refuse the file: they are skipped and reported.
 */
export class OutletImportRefused extends Exception {
  static status = 422

  constructor(
    public key:
      'not_text' | 'too_large' | 'empty' | 'missing_columns' | 'unclosed_quote' | 'too_many_rows',
    public params: Record<string, string | number> = {}
  ) {
    super(`outlet CSV refused: ${key}`, {
      status: 422,
      code: `E_OUTLET_IMPORT_${key.toUpperCase()}`,
    })
  }
}

/** What is wrong with a row; its message is `outlets.import.problems.<key>`. */
export interface RowProblem {
  key:
    | 'missing_fid'
    | 'bad_fid'
    | 'missing_oid'
    | 'bad_oid'
    | 'missing_name'
    | 'name_too_long'
    | 'address_too_long'
    | 'bad_phone'
    | 'bad_date'
    | 'bad_status'
    | 'duplicate_row'
    | 'not_saved'
  params?: Record<string, string | number>
}

/** A data row as read and checked: null fields were left empty (an update keeps what is stored). */
export interface CheckedRow {
  line: number
  fid: string
  oid: string
  name: string
  address: string | null
  phone: string | null
  expiresOn: string | null
  status: OutletStatus | null
  problems: RowProblem[]
}

/**
 * The tenant's outlets: kept by hand (create, update: audited, phone in E.164, a franchise and
 * outlet id pair once per tenant) or by CSV (importCsv); contacts resolved to them while an inbound
 * message is stored (resolve), linked and unlinked by staff (link, unlink); the list and the
 * agent's picker (search).
 */
@inject()
export default class OutletDirectory {
  constructor(
    protected configuration: Configuration,
    protected auditTrail: AuditTrail
  ) {}

  /** A new outlet. A 422 for bad input, a 409 when the tenant has this fid/oid already. */
  async create(tenant: TenantRef, input: OutletInput, actor: Actor) {
    const tenantId = idOf(tenant)
    const fields = await this.#fields(tenantId, input)
    await this.#assertFree(tenantId, fields, null)
    try {
      return await this.configuration.create(
        Outlet,
        { tenantId, ...fields, status: fields.status ?? 'active' },
        { subject: 'outlet', tenantId, branchId: null },
        actor
      )
    } catch (error) {
      throw taken(error, fields)
    }
  }

  /**
   * Applies `input` to `outlet` and records what changed. When its fid or oid changes, its
   * conversations follow in the same transaction: they carry the ids a scoped agent is matched by.
   */
  async update(outlet: Outlet, input: OutletInput, actor: Actor) {
    const fields = await this.#fields(outlet.tenantId, input)
    await this.#assertFree(outlet.tenantId, fields, outlet.id)
    const moved = fields.fid !== outlet.fid || fields.oid !== outlet.oid
    try {
      return await this.configuration.update(
        outlet,
        { ...fields, status: fields.status ?? outlet.status },
        { subject: 'outlet', tenantId: outlet.tenantId, branchId: null },
        actor,
        {
          also: moved
            ? async (trx) => {
                await Conversation.forTenant(outlet.tenantId, { client: trx })
                  .where('outlet_id', outlet.id)
                  .update({ fid: fields.fid, oid: fields.oid })
              }
            : undefined,
        }
      )
    } catch (error) {
      throw taken(error, fields)
    }
  }

  /**
   * Imports outlets from a CSV file: a header row naming fid, oid and name (required) and
   * optionally address, phone, expires_on and status, in any order (Indonesian names such as
   * nama, alamat, telepon work too); commas, semicolons or tabs; UTF-8 (with or without BOM),
   * UTF-16 or Windows-1252. Dates as `YYYY-MM-DD` or `DD/MM/YYYY`. Rows are upserted by (tenant,
   * fid, oid), IMPORT_BATCH to a transaction: an outlet already there is updated, or left alone
   * when the row says nothing new; an empty cell keeps what is stored (an import never erases).
   * A row with problems is skipped and reported with its line; the file is refused (422,
   * OutletImportRefused) only when it cannot be read at all. One audit entry records the counts.
   * `i18n` words the problems (the tenant's language by default).
   */
  async importCsv(
    tenant: number | { id: number; locale?: string },
    source: CsvSource,
    actor: Actor,
    options: { i18n?: I18n; fileName?: string } = {}
  ): Promise<ImportReport> {
    const tenantId = idOf(tenant)
    const i18n =
      options.i18n ??
      i18nManager.locale(typeof tenant === 'object' && tenant.locale ? tenant.locale : 'id')
    const text = readText(source)
    const { rows, ignored } = readOutletCsv(text, await this.#country(tenantId))

    const report: ImportReport = {
      rows: rows.length,
      created: 0,
      updated: 0,
      unchanged: 0,
      errors: [],
      ignored,
    }
    const problems = new Map<number, RowProblem[]>()
    const valid = rows.filter((row) => {
      if (row.problems.length) problems.set(row.line, row.problems)
      return row.problems.length === 0
    })

    const counts = await this.upsertRows(tenantId, valid, problems)
    report.created = counts.created
    report.updated = counts.updated
    report.unchanged = counts.unchanged

    report.errors = [...problems.entries()]
      .sort(([a], [b]) => a - b)
      .map(([line, list]) => ({
        line,
        message: list
          .map((problem) => i18n.t(`outlets.import.problems.${problem.key}`, problem.params ?? {}))
          .join('; '),
      }))
    await this.auditTrail.record(
      {
        action: 'outlet.imported',
        tenantId,
        changes: {
          file: fileNameOf(source) ?? options.fileName ?? null,
          rows: report.rows,
          created: report.created,
          updated: report.updated,
          unchanged: report.unchanged,
          errors: report.errors.length,
        },
      },
      actor
    )
    return report
  }

  /**
   * Upserts checked rows (checkRows) IMPORT_BATCH to a transaction and counts what they did; a
   * batch that fails is tried again a row per transaction, and a row that still fails is put in
   * `problems` (`not_saved`) under its line. The CSV import and the POS sync (renewals) share it.
   */
  async upsertRows(
    tenantId: number,
    valid: readonly CheckedRow[],
    problems: Map<number, RowProblem[]>
  ) {
    const report = { created: 0, updated: 0, unchanged: 0 }
    for (let start = 0; start < valid.length; start += IMPORT_BATCH) {
      const batch = valid.slice(start, start + IMPORT_BATCH)
      try {
        const counts = await withTransaction((trx) => this.#upsert(trx, tenantId, batch))
        report.created += counts.created
        report.updated += counts.updated
        report.unchanged += counts.unchanged
      } catch (error) {
        // One bad row must cost only itself: the batch again, a row per transaction.
        logger.warn({ err: error, tenantId }, 'outlet import batch failed, row by row')
        for (const row of batch) {
          try {
            const counts = await withTransaction((trx) => this.#upsert(trx, tenantId, [row]))
            report.created += counts.created
            report.updated += counts.updated
            report.unchanged += counts.unchanged
          } catch {
            problems.set(row.line, [{ key: 'not_saved' }])
          }
        }
      }
    }

    return report
  }

  /**
   * Which outlets `contact` speaks for, inside the caller's transaction `trx` (the inbox stores an
   * inbound message in it; every query here goes through it, or SQLite would wait on itself):
   * the outlets linked to the contact already (picked by an agent, or matched before) win;
   * otherwise the outlets with the contact's phone: exactly one is linked now (source `phone`)
   * and returned as linked, several are the candidates an agent picks from (`choose`, at most
   * MAX_CANDIDATES), none leaves the contact `unknown`. Two deliveries racing to link the same
   * contact both succeed: the unique (contact, outlet) index refuses the second insert, which
   * means the link is there.
   */
  async resolve(
    trx: TransactionClientContract,
    tenantId: number,
    contact: { id: number; phone: string | null }
  ): Promise<Resolution> {
    const linked = await Outlet.forTenant(tenantId, { client: trx })
      .join('contact_outlets', 'contact_outlets.outlet_id', 'outlets.id')
      .where('contact_outlets.contact_id', contact.id)
      .orderBy('outlets.fid')
      .orderBy('outlets.oid')
      .select('outlets.*')
    if (linked.length) return { linked, candidates: [], state: 'linked' }
    if (!contact.phone) return { linked: [], candidates: [], state: 'unknown' }

    const matches = await Outlet.forTenant(tenantId, { client: trx })
      .where('phone', contact.phone)
      .orderBy('fid')
      .orderBy('oid')
      .limit(MAX_CANDIDATES)
    if (matches.length === 0) return { linked: [], candidates: [], state: 'unknown' }
    if (matches.length > 1) return { linked: [], candidates: matches, state: 'choose' }

    const [outlet] = matches
    try {
      await ContactOutlet.create(
        { tenantId, contactId: contact.id, outletId: outlet.id, source: 'phone', linkedBy: null },
        { client: trx }
      )
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
    }
    return { linked: [outlet], candidates: [], state: 'linked' }
  }

  /**
   * `by` links a contact to an outlet (source `agent`): remembered, so the contact resolves to it
   * from now on. Linking twice changes nothing. Another tenant's contact or outlet answers 404.
   * Audited in the same transaction: `trx` when the caller's step goes on in it, else its own.
   */
  async link(
    tenantId: number,
    contactId: number,
    outletId: number,
    by: User,
    trx?: TransactionClientContract
  ): Promise<{ link: ContactOutlet; outlet: Outlet; created: boolean }> {
    if (!trx) return withTransaction((own) => this.link(tenantId, contactId, outletId, by, own))
    const contact = await Contact.findForTenantOrFail(tenantId, contactId, { client: trx })
    const outlet = await Outlet.findForTenantOrFail(tenantId, outletId, { client: trx })
    const existing = await this.#link(trx, tenantId, contact.id, outlet.id)
    if (existing) return { link: existing, outlet, created: false }
    let link: ContactOutlet
    try {
      link = await ContactOutlet.create(
        {
          tenantId,
          contactId: contact.id,
          outletId: outlet.id,
          source: 'agent',
          linkedBy: by.id,
        },
        { client: trx }
      )
    } catch (error) {
      // A link made at the same moment (an inbound message matched the phone): it is there.
      // A locking read sees it: MySQL's plain reads keep to the transaction's first snapshot.
      if (!isUniqueViolation(error)) throw error
      const made = await this.#link(trx, tenantId, contact.id, outlet.id, { latest: true })
      return { link: made!, outlet, created: false }
    }
    await this.auditTrail.record(
      {
        action: 'outlet.linked',
        tenantId,
        subject: { type: 'outlet', id: outlet.id },
        changes: { contact: contact.phone, contact_id: contact.id },
      },
      { user: by },
      trx
    )
    return { link, outlet, created: true }
  }

  /**
   * Removes a contact's link to an outlet (404 when there is none, or for another tenant's ids).
   * A link the phone made comes back on the contact's next message while the outlet still has
   * that phone: correct the outlet's phone to stop it.
   */
  async unlink(tenantId: number, contactId: number, outletId: number, by: User) {
    await withTransaction(async (trx) => {
      const link = await ContactOutlet.forTenant(tenantId, { client: trx })
        .where('contact_id', contactId)
        .where('outlet_id', outletId)
        .preload('contact')
        .firstOrFail()
      await link.useTransaction(trx).delete()
      await this.auditTrail.record(
        {
          action: 'outlet.unlinked',
          tenantId,
          subject: { type: 'outlet', id: outletId },
          changes: { contact: link.contact.phone, contact_id: contactId, source: link.source },
        },
        { user: by },
        trx
      )
    })
  }

  /**
   * The tenant's contact with this phone (as typed, read in the tenant's country), to link it to
   * an outlet: 422 when it is no phone number, or nobody with it has written yet.
   */
  async contactByPhone(tenantId: number, phone: string) {
    const normalized = normalizePhone(phone, await this.#country(tenantId))
    if (!normalized) throw new DomainError('invalid_phone', {}, 422)
    const contact = await Contact.forTenant(tenantId).where('phone', normalized).first()
    if (!contact) throw new DomainError('contact_unknown', { phone: normalized }, 422)
    return contact
  }

  /**
   * The outlet list and the agent's picker, by fid and oid: `q` matches the start of a fid or an
   * oid (`F01/O2` both), a part of the name, or (three digits or more) a part of the phone.
   * `scopes` (UserScopes.of) narrows it to what a scoped agent works for. Each outlet carries
   * `$extras.links_count`, how many contacts speak for it.
   */
  search(
    tenantId: number,
    q: string | null | undefined,
    page = 1,
    options: { scopes?: readonly Scope[] | null; perPage?: number } = {}
  ) {
    const query = Outlet.forTenant(tenantId).withCount('links').orderBy('fid').orderBy('oid')
    applyScope(query, options.scopes ?? null, 'outlets')
    const text = q?.trim()
    if (text) {
      const term = withoutWildcards(text)
      const digits = text.replace(/\D/g, '').replace(/^0+/, '')
      const [fid, oid] = term.split('/', 2).map((part) => part.trim())
      query.where((where) => {
        if (oid !== undefined && fid)
          where.orWhere((both) => both.where('fid', fid).where('oid', 'like', `${oid}%`))
        where
          .orWhere('fid', text)
          .orWhere('oid', text)
          .orWhere('fid', 'like', `${term}%`)
          .orWhere('oid', 'like', `${term}%`)
          .orWhere('name', 'like', `%${term}%`)
        if (digits.length >= 3) where.orWhere('phone', 'like', `%${digits}%`)
      })
    }
    return query.paginate(page, options.perPage ?? OUTLETS_PER_PAGE)
  }

  /** The contacts who speak for `outlet`, newest link first, with who linked them. */
  contactsOf(outlet: Outlet) {
    return ContactOutlet.forTenant(outlet.tenantId)
      .where('outlet_id', outlet.id)
      .preload('contact')
      .preload('linker')
      .orderBy('id', 'desc')
      .limit(LINKS_SHOWN)
  }

  /** The form's fields checked and cleaned; a 422 for anything the validator would refuse. */
  async #fields(tenantId: number, input: OutletInput) {
    const fid = input.fid.trim()
    const oid = input.oid.trim()
    const name = input.name.trim().replace(/\s+/g, ' ')
    const address = input.address?.trim() || null
    const expiresOn = input.expiresOn?.trim() || null
    if (
      !OUTLET_ID_PATTERN.test(fid) ||
      !OUTLET_ID_PATTERN.test(oid) ||
      !name ||
      [...name].length > OUTLET_LIMITS.name ||
      (address && [...address].length > OUTLET_LIMITS.address) ||
      (expiresOn && parseDay(expiresOn) !== expiresOn) ||
      (input.status && !OUTLET_STATUSES.includes(input.status))
    )
      throw new DomainError('invalid', {}, 422)
    let phone: string | null = null
    if (input.phone?.trim()) {
      phone = normalizePhone(input.phone, await this.#country(tenantId))
      if (!phone) throw new DomainError('invalid_phone', {}, 422)
    }
    return { fid, oid, name, address, phone, expiresOn, status: input.status ?? null }
  }

  async #assertFree(tenantId: number, ids: { fid: string; oid: string }, exceptId: number | null) {
    const query = Outlet.forTenant(tenantId).where('fid', ids.fid).where('oid', ids.oid)
    if (exceptId) query.whereNot('id', exceptId)
    if (await query.select('id').first())
      throw new DomainError('outlet_taken', { fid: ids.fid, oid: ids.oid }, 409)
  }

  /**
   * Writes a batch of checked rows in `trx`: one read of the outlets they name, then one upsert
   * statement for the new and the changed (ON DUPLICATE KEY UPDATE on MySQL, ON CONFLICT on
   * SQLite, so that a concurrent import of the same outlets updates instead of failing). A row
   * finds its outlet as the unique index would: exactly, and on MySQL also in another case.
   */
  async #upsert(trx: TransactionClientContract, tenantId: number, rows: readonly CheckedRow[]) {
    const counts = { created: 0, updated: 0, unchanged: 0 }
    const stored = await Outlet.forTenant(tenantId, { client: trx })
      .whereIn('fid', [...new Set(rows.map((row) => row.fid))])
      .whereIn('oid', [...new Set(rows.map((row) => row.oid))])
    const exact = new Map(stored.map((outlet) => [`${outlet.fid}\u0000${outlet.oid}`, outlet]))
    const caseless = new Map(stored.map((outlet) => [keyOf(outlet), outlet]))
    const ignoresCase = trx.dialect.name === 'mysql'
    const now = toSqlDateTime(clock.now())
    const writes: Record<string, string | number | null>[] = []
    for (const row of rows) {
      const outlet =
        exact.get(`${row.fid}\u0000${row.oid}`) ??
        (ignoresCase ? caseless.get(keyOf(row)) : undefined)
      const values = {
        name: row.name,
        address: row.address ?? outlet?.address ?? null,
        phone: row.phone ?? outlet?.phone ?? null,
        expires_on: row.expiresOn ?? outlet?.expiresOn ?? null,
        status: row.status ?? outlet?.status ?? 'active',
      }
      if (
        outlet &&
        outlet.name === values.name &&
        outlet.address === values.address &&
        outlet.phone === values.phone &&
        outlet.expiresOn === values.expires_on &&
        outlet.status === values.status
      ) {
        counts.unchanged++
        continue
      }
      counts[outlet ? 'updated' : 'created']++
      writes.push({
        tenant_id: tenantId,
        fid: outlet?.fid ?? row.fid,
        oid: outlet?.oid ?? row.oid,
        ...values,
        created_at: now,
        updated_at: now,
      })
    }
    if (writes.length)
      await trx
        .knexQuery()
        .table('outlets')
        .insert(writes)
        .onConflict(['tenant_id', 'fid', 'oid'])
        .merge(['name', 'address', 'phone', 'expires_on', 'status', 'updated_at'])
    return counts
  }

  /** The link of a contact and an outlet; `latest` reads it locked, as last committed. */
  async #link(
    trx: TransactionClientContract,
    tenantId: number,
    contactId: number,
    outletId: number,
    options: { latest?: boolean } = {}
  ) {
    const query = ContactOutlet.forTenant(tenantId, { client: trx })
      .where('contact_id', contactId)
      .where('outlet_id', outletId)
    if (options.latest && hasRowLocks(trx)) query.forShare()
    return query.first()
  }

  /** The country whose numbers the tenant's staff type with a leading 0 (its first branch's zone). */
  async #country(tenantId: number) {
    const branch = await Branch.forTenant(tenantId).orderBy('id').select('timezone').first()
    return countryOfTimezone(branch?.timezone ?? 'Asia/Jakarta')
  }
}

/*
| Reading a CSV of outlets
*/

/** The text of a CSV source; OutletImportRefused when it is too large or not text. */
function readText(source: CsvSource) {
  if (typeof source === 'string') {
    if (source.length > MAX_IMPORT_BYTES) throw new OutletImportRefused('too_large', { mb: 5 })
    return source.startsWith('\uFEFF') ? source.slice(1) : source
  }
  const bytes = source instanceof Uint8Array ? source : source.bytes
  if (bytes.length > MAX_IMPORT_BYTES) throw new OutletImportRefused('too_large', { mb: 5 })
  const text = decodeCsv(bytes)
  if (text === null) throw new OutletImportRefused('not_text')
  return text
}

/**
 * A file's rows, read and checked (CustomerImport's CSV reader: RFC 4180, the separator its first
 * line uses most): which column holds each field, the columns ignored, every data row with its
 * problems. Throws OutletImportRefused when the file cannot be used at all.
 */
export function readOutletCsv(text: string, country: 'ID' | 'MY') {
  let records: CsvRecord[]
  try {
    records = parseCsv(text)
  } catch (error) {
    if (error instanceof ImportRefused && error.key === 'unclosed_quote')
      throw new OutletImportRefused('unclosed_quote', error.params)
    throw error
  }
  if (records.length < 2) throw new OutletImportRefused('empty')
  const columns: Partial<Record<OutletField, number>> = {}
  const ignored: string[] = []
  records[0].cells.forEach((cell, index) => {
    const key = headerKey(cell)
    const field = (Object.keys(HEADER_NAMES) as OutletField[]).find((candidate) =>
      HEADER_NAMES[candidate].includes(key)
    )
    if (field && columns[field] === undefined) columns[field] = index
    else if (cell.trim()) ignored.push(cell.trim().slice(0, 40))
  })
  const missing = REQUIRED.filter((field) => columns[field] === undefined)
  if (missing.length)
    throw new OutletImportRefused('missing_columns', { columns: missing.join(', ') })
  if (records.length - 1 > MAX_IMPORT_ROWS)
    throw new OutletImportRefused('too_many_rows', { max: MAX_IMPORT_ROWS })
  return { columns, ignored, rows: checkRows(records.slice(1), columns, country) }
}

/**
 * Each data row checked as the outlet form checks it: fid, oid (OUTLET_ID_PATTERN) and a name
 * required; an address of at most 500 characters; a phone that reads as one in `country` (kept
 * in E.164); a real date; a known status. A fid/oid pair met on an earlier row is a duplicate:
 * only the first is applied.
 */
export function checkRows(
  records: readonly CsvRecord[],
  columns: Partial<Record<OutletField, number>>,
  country: 'ID' | 'MY'
): CheckedRow[] {
  const seen = new Map<string, number>()
  const cell = (record: CsvRecord, field: OutletField) => {
    const index = columns[field]
    return index === undefined ? '' : unguard((record.cells[index] ?? '').trim())
  }
  return records.map((record) => {
    const problems: RowProblem[] = []
    const fid = cell(record, 'fid')
    const oid = cell(record, 'oid')
    const name = cell(record, 'name').replace(/\s+/g, ' ')
    const address = cell(record, 'address').replace(/\s+/g, ' ') || null
    const rawPhone = cell(record, 'phone')
    const rawDate = cell(record, 'expires_on')
    const rawStatus = cell(record, 'status')
    const phone = rawPhone ? normalizePhone(rawPhone, country) : null
    const expiresOn = rawDate ? parseDay(rawDate) : null
    const status = rawStatus ? statusOf(rawStatus) : null

    if (!fid) problems.push({ key: 'missing_fid' })
    else if (!OUTLET_ID_PATTERN.test(fid))
      problems.push({ key: 'bad_fid', params: { value: clip(fid) } })
    if (!oid) problems.push({ key: 'missing_oid' })
    else if (!OUTLET_ID_PATTERN.test(oid))
      problems.push({ key: 'bad_oid', params: { value: clip(oid) } })
    if (!name) problems.push({ key: 'missing_name' })
    else if ([...name].length > OUTLET_LIMITS.name)
      problems.push({ key: 'name_too_long', params: { max: OUTLET_LIMITS.name } })
    if (address && [...address].length > OUTLET_LIMITS.address)
      problems.push({ key: 'address_too_long', params: { max: OUTLET_LIMITS.address } })
    if (rawPhone && !phone) problems.push({ key: 'bad_phone', params: { value: clip(rawPhone) } })
    if (rawDate && !expiresOn) problems.push({ key: 'bad_date', params: { value: clip(rawDate) } })
    if (rawStatus && !status)
      problems.push({ key: 'bad_status', params: { value: clip(rawStatus) } })

    if (fid && oid) {
      const key = keyOf({ fid, oid })
      const first = seen.get(key)
      if (first !== undefined) problems.push({ key: 'duplicate_row', params: { line: first } })
      else if (problems.length === 0) seen.set(key, record.line)
    }
    return { line: record.line, fid, oid, name, address, phone, expiresOn, status, problems }
  })
}

/**
 * A calendar day as `YYYY-MM-DD` from `2026-12-31` or the day-first way Indonesians and Malaysians
 * write it (`31/12/2026`, `31-12-2026`, `31.12.2026`, `1/2/2026`); null when it is no real day.
 */
export function parseDay(text: string): string | null {
  const value = text.trim()
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value)
  const local = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value)
  const [year, month, day] = iso
    ? [iso[1], iso[2], iso[3]]
    : local
      ? [local[3], local[2], local[1]]
      : []
  if (!year) return null
  const date = DateTime.fromObject(
    { year: Number(year), month: Number(month), day: Number(day) },
    { zone: 'utc' }
  )
  return date.isValid ? date.toISODate() : null
}

function statusOf(text: string): OutletStatus | null {
  const word = headerKey(text)
  if ((OUTLET_STATUSES as readonly string[]).includes(word)) return word as OutletStatus
  return STATUS_WORDS[word] ?? null
}

function fileNameOf(source: CsvSource) {
  return typeof source === 'object' && 'bytes' in source ? (source.fileName ?? null) : null
}

/** A fid/oid pair compared without case (duplicates inside a file; MySQL's unique index). */
function keyOf(ids: { fid: string; oid: string }) {
  return `${ids.fid.toLowerCase()}\u0000${ids.oid.toLowerCase()}`
}

function clip(value: string) {
  return value.length > 40 ? `${value.slice(0, 39)}…` : value
}

function idOf(tenant: TenantRef) {
  return typeof tenant === 'number' ? tenant : tenant.id
}

/** A unique violation of (tenant, fid, oid) as the 409 a form shows; anything else unchanged. */
function taken(error: unknown, ids: { fid: string; oid: string }) {
  return isUniqueViolation(error)
    ? new DomainError('outlet_taken', { fid: ids.fid, oid: ids.oid }, 409)
    : error
}
