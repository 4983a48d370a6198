import { Exception } from '@adonisjs/core/exceptions'
import type { PosMapping } from '#models/pos_source'
import { POS_FIELDS, type PosField } from '#enums/renewals'

/*
|--------------------------------------------------------------------------
| The POS adapter: a tenant's outlets from its HTTP JSON endpoint
|--------------------------------------------------------------------------
| GET <url>?<page param>=1, 2, 3 ... with the tenant's auth header, each page within the timeout,
| until a page has no rows or the page the POS names as its last. Each row becomes an outlet's
| fields through the tenant's mapping (dot paths: `outlet.code`, `contact.phone`); a row that is
| no object, or whose fields are objects, is reported with its place in the feed and skipped.
*/

/** The most pages one pull reads (a POS that never sends an empty page must not loop forever). */
export const MAX_POS_PAGES = 5_000

/** The most rows one pull keeps. */
export const MAX_POS_ROWS = 500_000

/** The most bytes one page may hold. */
export const MAX_PAGE_BYTES = 20 * 1024 * 1024

/** What the adapter needs to call a POS. */
export interface PosEndpoint {
  url: string
  /** The header the POS reads its key from (`Authorization`), and its value. */
  authHeader?: string | null
  authValue?: string | null
  mapping: PosMapping
  pageParam: string
  timeoutMs: number
}

/** A row of the feed as outlet fields (text, empty when the POS sent nothing), with its place. */
export interface PosRow {
  /** 1-based across pages. */
  row: number
  fields: Record<PosField, string>
}

/** A row the adapter could not read. */
export interface PosRowError {
  row: number
  fid: string | null
  oid: string | null
  key: 'not_an_object' | 'bad_value'
  field?: string
}

export interface PosPull {
  rows: PosRow[]
  errors: PosRowError[]
  pages: number
}

/**
 * The feed could not be read (on page `page`): a timeout, an HTTP error, not JSON, no list of
 * rows where the mapping says. Rows of the pages before it are in `partial`.
 */
export class PosUnavailable extends Exception {
  constructor(
    public key: 'timeout' | 'unreachable' | 'http_status' | 'not_json' | 'not_a_list' | 'too_large',
    public params: Record<string, string | number>,
    public partial: PosPull
  ) {
    super(`POS feed failed: ${key} on page ${params.page}`, { code: `E_POS_${key.toUpperCase()}` })
  }
}

/** The value at a dot path (`outlet.code`, `items.0.id`); the object itself for an empty path. */
export function valueAt(source: unknown, path: string): unknown {
  if (!path) return source
  let value: unknown = source
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

/** A field's value as text: strings trimmed, numbers and booleans written out, nothing as ''. */
function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value.trim()
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value === 'boolean') return value ? 'active' : 'inactive'
  return null
}

/**
 * One POS object as outlet fields through `mapping`; an ISO date-time (`2026-12-31T00:00:00Z`)
 * keeps its day. Returns the problem instead when it cannot be read.
 */
export function mapRow(
  item: unknown,
  mapping: PosMapping,
  row: number
): { row: PosRow } | { error: PosRowError } {
  if (item === null || typeof item !== 'object' || Array.isArray(item))
    return { error: { row, fid: null, oid: null, key: 'not_an_object' } }
  const fields = {} as Record<PosField, string>
  let bad: string | null = null
  for (const field of POS_FIELDS) {
    // A field left unmapped (empty path) is sent as nothing, not as the whole row.
    const text = mapping[field] ? textOf(valueAt(item, mapping[field])) : ''
    if (text === null) bad ??= field
    fields[field] = text ?? ''
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(fields.expires_on))
    fields.expires_on = fields.expires_on.slice(0, 10)
  if (bad)
    return {
      error: {
        row,
        fid: fields.fid || null,
        oid: fields.oid || null,
        key: 'bad_value',
        field: bad,
      },
    }
  return { row: { row, fields } }
}

/** Reads every page of the POS feed (see the top of this file). */
export async function pullOutlets(endpoint: PosEndpoint): Promise<PosPull> {
  const result: PosPull = { rows: [], errors: [], pages: 0 }
  let seen = 0
  for (let page = 1; page <= MAX_POS_PAGES; page++) {
    const body = await fetchPage(endpoint, page, result)
    result.pages = page
    const items = valueAt(body, endpoint.mapping.items)
    if (!Array.isArray(items)) throw new PosUnavailable('not_a_list', { page }, result)
    if (items.length === 0) break
    for (const item of items) {
      seen++
      if (seen > MAX_POS_ROWS) return result
      const mapped = mapRow(item, endpoint.mapping, seen)
      if ('row' in mapped) result.rows.push(mapped.row)
      else result.errors.push(mapped.error)
    }
    const last = Number(valueAt(body, endpoint.mapping.last_page))
    if (endpoint.mapping.last_page && Number.isFinite(last) && last > 0 && page >= last) break
  }
  return result
}

async function fetchPage(endpoint: PosEndpoint, page: number, partial: PosPull) {
  const url = new URL(endpoint.url)
  url.searchParams.set(endpoint.pageParam || 'page', String(page))
  const headers: Record<string, string> = { accept: 'application/json' }
  if (endpoint.authHeader && endpoint.authValue) headers[endpoint.authHeader] = endpoint.authValue
  let text: string
  try {
    const response = await fetch(url, {
      headers,
      redirect: 'error',
      signal: AbortSignal.timeout(endpoint.timeoutMs),
    })
    if (!response.ok) {
      await response.body?.cancel()
      throw new PosUnavailable('http_status', { page, status: response.status }, partial)
    }
    const length = Number(response.headers.get('content-length') ?? 0)
    if (length > MAX_PAGE_BYTES) {
      await response.body?.cancel()
      throw new PosUnavailable('too_large', { page }, partial)
    }
    text = await response.text()
  } catch (error) {
    if (error instanceof PosUnavailable) throw error
    const name = (error as Error)?.name
    if (name === 'TimeoutError' || name === 'AbortError')
      throw new PosUnavailable('timeout', { page, seconds: endpoint.timeoutMs / 1000 }, partial)
    throw new PosUnavailable('unreachable', { page }, partial)
  }
  if (text.length > MAX_PAGE_BYTES) throw new PosUnavailable('too_large', { page }, partial)
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new PosUnavailable('not_json', { page }, partial)
  }
}
