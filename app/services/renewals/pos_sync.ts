import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import type { I18n } from '@adonisjs/i18n'
import i18nManager from '@adonisjs/i18n/services/main'
import Branch from '#models/branch'
import OutletSyncRun, { type SyncRowError } from '#models/outlet_sync_run'
import Outlet from '#models/outlet'
import PosSource, { type PosMapping } from '#models/pos_source'
import Tenant from '#models/tenant'
import type User from '#models/user'
import OutletDirectory, {
  checkRows,
  type CheckedRow,
  type CsvSource,
  type ImportReport,
  type RowProblem,
} from '#services/inbox/outlet_directory'
import AuditTrail, { type Actor } from '#services/platform/audit_trail'
import {
  pullOutlets,
  PosUnavailable,
  mapRow,
  type PosPull,
  type PosRow,
} from '#services/renewals/pos_adapter'
import clock from '#support/clock'
import { countryOfTimezone } from '#support/phone'
import { POS_FIELDS, type SyncSource } from '#enums/renewals'

/** Row errors a sync run keeps (the counts cover them all). */
export const KEPT_ERRORS = 200

/** What a sync did, as the sync log keeps it. */
export interface SyncCounts {
  rows: number
  pages: number
  created: number
  updated: number
  expired: number
  unchanged: number
  errors: SyncRowError[]
  errorCount: number
}

/** A webhook push the service did not take (422), with why. */
export class PosWebhookRefused extends Error {
  constructor(
    public key: 'unknown_event' | 'bad_row' | 'unknown_outlet' | 'bad_date',
    public detail: string | null = null
  ) {
    super(`POS webhook refused: ${key}`)
  }
}

/**
 * The outlet sync (seed 004, POS sync): the daily pull of a tenant's POS feed (pos_adapter),
 * the CSV import as the fallback and the POS's pushes to the signed webhook all upsert `outlets`
 * through OutletDirectory (the same checks and batches as the CSV import: an empty field keeps
 * what is stored, a bad row is skipped and reported) and write a run of the sync log with what
 * changed: new, updated, expired (an expiry date already past), unchanged, and each bad row.
 */
@inject()
export default class PosSync {
  constructor(
    protected outlets: OutletDirectory,
    protected auditTrail: AuditTrail
  ) {}

  /** The tenant's POS source, or null when none is set up. */
  source(tenantId: number) {
    return PosSource.forTenant(tenantId).first()
  }

  /** The tenant's POS source, made (disabled, no secret yet) when it has none. */
  async sourceOrNew(tenantId: number) {
    const found = await this.source(tenantId)
    if (found) return found
    return PosSource.firstOrCreate(
      { tenantId },
      {
        tenantId,
        secrets: {},
        pageParam: 'page',
        timeoutSeconds: 30,
        isEnabled: false,
      }
    )
  }

  /**
   * Pulls the tenant's POS feed and applies it (see the class). A feed that breaks off (a
   * timeout, an HTTP error) still applies the rows of the pages read before, and the run is
   * `failed` with the reason; rows refused make it `partial`.
   */
  async pull(tenant: Tenant, actor: Actor = { user: null }) {
    const source = await this.source(tenant.id)
    const run = await this.#start(tenant.id, 'pos', actor.user)
    if (!source?.endpointUrl) return this.#fail(run, tenant, 'no_endpoint', {})
    let pulled: PosPull
    let failure: PosUnavailable | null = null
    try {
      pulled = await pullOutlets({
        url: source.endpointUrl,
        authHeader: source.authHeader,
        authValue: source.secrets.auth_value ?? null,
        mapping: source.fields,
        pageParam: source.pageParam,
        timeoutMs: source.timeoutSeconds * 1000,
      })
    } catch (error) {
      if (!(error instanceof PosUnavailable)) throw error
      failure = error
      pulled = error.partial
    }
    const i18n = i18nManager.locale(tenant.locale ?? 'id')
    const adapterErrors: SyncRowError[] = pulled.errors.map((error) => ({
      row: error.row,
      fid: error.fid,
      oid: error.oid,
      message: i18n.t(`renewals.sync.row_errors.${error.key}`, { field: error.field ?? '' }),
    }))
    const counts = await this.applyRows(tenant.id, pulled.rows, i18n)
    counts.pages = pulled.pages
    counts.rows += pulled.errors.length
    counts.errors = [...adapterErrors, ...counts.errors].sort((a, b) => a.row - b.row)
    counts.errorCount += adapterErrors.length
    source.lastSyncedAt = clock.now()
    await source.save()
    const finished = await this.#finish(
      run,
      counts,
      failure ? 'failed' : null,
      failure ? i18n.t(`renewals.sync.failures.${failure.key}`, failure.params) : null
    )
    await this.#audit(tenant.id, run, actor)
    return finished
  }

  /**
   * Checks and upserts POS rows (fields by outlet field) as the CSV import does, and counts what
   * changed. Row errors are worded in `i18n`'s language.
   */
  async applyRows(tenantId: number, rows: readonly PosRow[], i18n: I18n): Promise<SyncCounts> {
    const country = await this.#country(tenantId)
    const columns = Object.fromEntries(POS_FIELDS.map((field, index) => [field, index]))
    const checked = checkRows(
      rows.map((row) => ({ line: row.row, cells: POS_FIELDS.map((field) => row.fields[field]) })),
      columns,
      country
    )
    return this.#apply(tenantId, checked, i18n)
  }

  /**
   * The CSV import (the fallback when the POS has no feed): OutletDirectory.importCsv, with a
   * run in the sync log. A file refused as a whole throws as importCsv does, and logs a failed run.
   */
  async importCsv(
    tenant: Tenant,
    file: CsvSource,
    actor: Actor,
    options: { i18n?: I18n } = {}
  ): Promise<{ report: ImportReport; run: OutletSyncRun }> {
    const run = await this.#start(tenant.id, 'csv', actor.user)
    let report: ImportReport
    try {
      report = await this.outlets.importCsv(tenant, file, actor, options)
    } catch (error) {
      await this.#finish(run, emptyCounts(), 'failed', (error as Error).message.slice(0, 500))
      throw error
    }
    const counts: SyncCounts = {
      ...emptyCounts(),
      rows: report.rows,
      created: report.created,
      updated: report.updated,
      unchanged: report.unchanged,
      errorCount: report.errors.length,
      errors: report.errors
        .slice(0, KEPT_ERRORS)
        .map((error) => ({ row: error.line, fid: null, oid: null, message: error.message })),
    }
    return { report, run: await this.#finish(run, counts, null, null) }
  }

  /** Every tenant with an enabled POS source, pulled one after the other (the daily cron). */
  async syncAll() {
    const sources = await PosSource.query()
      .where('is_enabled', true)
      .whereNotNull('endpoint_url')
      .select('tenant_id')
    let runs = 0
    for (const { tenantId } of sources) {
      const tenant = await Tenant.find(tenantId)
      if (!tenant?.isActive) continue
      try {
        await this.pull(tenant)
        runs++
      } catch (error) {
        logger.error({ err: error, tenantId }, 'POS sync failed')
      }
    }
    return runs
  }

  /**
   * A push's signature (`X-Loket-Signature: sha256=<hex>`): HMAC-SHA256 of the raw body with the
   * tenant's webhook secret, compared in constant time.
   */
  validSignature(rawBody: Buffer, header: string | null | undefined, secret: string | undefined) {
    if (!header || !secret || !header.startsWith('sha256=')) return false
    const given = Buffer.from(header.slice('sha256='.length), 'hex')
    const expected = createHmac('sha256', secret).update(rawBody).digest()
    return given.length === expected.length && timingSafeEqual(given, expected)
  }

  /** `outlet.updated`: one outlet in the feed's shape, upserted and logged as a webhook run. */
  async pushOutlet(tenant: Tenant, data: unknown) {
    const source = await this.sourceOrNew(tenant.id)
    const i18n = i18nManager.locale(tenant.locale ?? 'id')
    const mapped = mapRow(data, { ...source.fields, items: '', last_page: '' }, 1)
    if ('error' in mapped)
      throw new PosWebhookRefused(
        'bad_row',
        i18n.t(`renewals.sync.row_errors.${mapped.error.key}`, { field: mapped.error.field ?? '' })
      )
    const run = await this.#start(tenant.id, 'webhook', null)
    const counts = await this.applyRows(tenant.id, [mapped.row], i18n)
    counts.pages = 1
    await this.#finish(run, counts, null, null)
    if (counts.errorCount) throw new PosWebhookRefused('bad_row', counts.errors[0].message)
    return Outlet.forTenant(tenant.id)
      .where('fid', mapped.row.fields.fid)
      .where('oid', mapped.row.fields.oid)
      .firstOrFail()
  }

  /**
   * Saves the tenant's POS source. `authValue` null keeps the stored value, '' removes it. The
   * audit entry names what changed, never the secrets' values.
   */
  async updateSource(
    tenantId: number,
    input: {
      endpointUrl: string | null
      authHeader: string | null
      authValue: string | null
      pageParam: string
      timeoutSeconds: number
      isEnabled: boolean
      mapping: Partial<PosMapping>
    },
    actor: Actor
  ) {
    const source = await this.sourceOrNew(tenantId)
    const before = {
      endpoint_url: source.endpointUrl,
      auth_header: source.authHeader,
      page_param: source.pageParam,
      timeout_seconds: source.timeoutSeconds,
      is_enabled: source.isEnabled,
      mapping: JSON.stringify(source.fields),
    }
    const secrets = { ...source.secrets }
    if (input.authValue === '') delete secrets.auth_value
    else if (input.authValue) secrets.auth_value = input.authValue
    source.merge({
      endpointUrl: input.endpointUrl,
      authHeader: input.authHeader,
      secrets,
      pageParam: input.pageParam,
      timeoutSeconds: input.timeoutSeconds,
      isEnabled: input.isEnabled,
      mapping: input.mapping,
    })
    await source.save()
    const changes: Record<string, unknown> = this.auditTrail.diff(before, {
      endpoint_url: source.endpointUrl,
      auth_header: source.authHeader,
      page_param: source.pageParam,
      timeout_seconds: source.timeoutSeconds,
      is_enabled: source.isEnabled,
      mapping: JSON.stringify(source.fields),
    })
    if (input.authValue !== null)
      changes.auth_value = input.authValue === '' ? 'removed' : 'changed'
    await this.auditTrail.record(
      {
        action: 'tenant.pos_source_updated',
        tenantId,
        subject: { type: 'tenant', id: tenantId },
        changes,
      },
      actor
    )
    return source
  }

  /** A new webhook secret for the tenant's POS (the old one stops working at once). */
  async regenerateSecret(tenantId: number, actor: Actor) {
    const source = await this.sourceOrNew(tenantId)
    const secret = newSecret()
    source.secrets = { ...source.secrets, webhook_secret: secret }
    await source.save()
    await this.auditTrail.record(
      {
        action: 'tenant.pos_secret_regenerated',
        tenantId,
        subject: { type: 'tenant', id: tenantId },
      },
      actor
    )
    return secret
  }

  /** Logs a webhook run of one row (a payment that moved an outlet's expiry date). */
  async logPush(tenantId: number, changed: boolean) {
    const run = await this.#start(tenantId, 'webhook', null)
    await this.#finish(
      run,
      { ...emptyCounts(), rows: 1, pages: 1, updated: changed ? 1 : 0, unchanged: changed ? 0 : 1 },
      null,
      null
    )
  }

  async #apply(tenantId: number, checked: CheckedRow[], i18n: I18n): Promise<SyncCounts> {
    const problems = new Map<number, RowProblem[]>()
    const byLine = new Map(checked.map((row) => [row.line, row]))
    const valid = checked.filter((row) => {
      if (row.problems.length) problems.set(row.line, row.problems)
      return row.problems.length === 0
    })
    const counts = await this.outlets.upsertRows(tenantId, valid, problems)
    const today = await this.#today(tenantId)
    const errors = [...problems.entries()]
      .sort(([a], [b]) => a - b)
      .map(([line, list]) => ({
        row: line,
        fid: byLine.get(line)?.fid || null,
        oid: byLine.get(line)?.oid || null,
        message: list
          .map((problem) => i18n.t(`outlets.import.problems.${problem.key}`, problem.params ?? {}))
          .join('; '),
      }))
    return {
      rows: checked.length,
      pages: 0,
      ...counts,
      expired: valid.filter(
        (row) => row.expiresOn && row.expiresOn < today && !problems.has(row.line)
      ).length,
      errors: errors.slice(0, KEPT_ERRORS),
      errorCount: errors.length,
    }
  }

  #start(tenantId: number, source: SyncSource, user: User | null) {
    return OutletSyncRun.create({
      tenantId,
      source,
      status: 'running',
      userId: user?.id ?? null,
      rowsCount: 0,
      pagesCount: 0,
      createdCount: 0,
      updatedCount: 0,
      expiredCount: 0,
      unchangedCount: 0,
      errorCount: 0,
      errors: null,
      message: null,
      startedAt: clock.now(),
    })
  }

  async #finish(
    run: OutletSyncRun,
    counts: SyncCounts,
    status: 'failed' | null,
    message: string | null
  ) {
    run.merge({
      status: status ?? (counts.errorCount ? 'partial' : 'succeeded'),
      rowsCount: counts.rows,
      pagesCount: counts.pages,
      createdCount: counts.created,
      updatedCount: counts.updated,
      expiredCount: counts.expired,
      unchangedCount: counts.unchanged,
      errorCount: counts.errorCount,
      errors: counts.errors.length ? counts.errors.slice(0, KEPT_ERRORS) : null,
      message: message?.slice(0, 500) ?? null,
      finishedAt: clock.now(),
    })
    await run.save()
    return run
  }

  async #fail(
    run: OutletSyncRun,
    tenant: Tenant,
    key: string,
    params: Record<string, string | number>
  ) {
    const i18n = i18nManager.locale(tenant.locale ?? 'id')
    return this.#finish(
      run,
      emptyCounts(),
      'failed',
      i18n.t(`renewals.sync.failures.${key}`, params)
    )
  }

  async #audit(tenantId: number, run: OutletSyncRun, actor: Actor) {
    await this.auditTrail.record(
      {
        action: 'outlet.synced',
        tenantId,
        changes: {
          run: run.id,
          status: run.status,
          rows: run.rowsCount,
          created: run.createdCount,
          updated: run.updatedCount,
          errors: run.errorCount,
        },
      },
      actor
    )
  }

  async #branch(tenantId: number) {
    return Branch.forTenant(tenantId).orderBy('id').select('timezone').first()
  }

  async #country(tenantId: number) {
    return countryOfTimezone((await this.#branch(tenantId))?.timezone ?? 'Asia/Jakarta')
  }

  async #today(tenantId: number) {
    const zone = (await this.#branch(tenantId))?.timezone ?? 'Asia/Jakarta'
    return clock.now().setZone(zone).toISODate()!
  }
}

function emptyCounts(): SyncCounts {
  return {
    rows: 0,
    pages: 0,
    created: 0,
    updated: 0,
    expired: 0,
    unchanged: 0,
    errors: [],
    errorCount: 0,
  }
}

/** A webhook signing secret: 32 random bytes, hex. */
export function newSecret() {
  return randomBytes(32).toString('hex')
}
