import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { boolean, dateTime, encryptedJson, json } from '#models/columns'
import { TenantOwned } from '#models/mixins/tenant_owned'
import type { PosField } from '#enums/renewals'

/** Where each outlet field is in a POS row (dot paths), where the rows are, and the last page. */
export type PosMapping = Record<PosField, string> & {
  /** The dot path of the rows' list in a page (empty: the page is the list). */
  items: string
  /** The dot path of the last page's number, when the POS says it (else: until an empty page). */
  last_page: string
}

export const DEFAULT_POS_MAPPING: PosMapping = {
  fid: 'fid',
  oid: 'oid',
  name: 'name',
  address: 'address',
  phone: 'phone',
  expires_on: 'expires_on',
  status: 'status',
  items: 'data',
  last_page: 'meta.last_page',
}

/** The secrets of a POS source: the auth header's value and the inbound webhook's signing secret. */
export interface PosSecrets {
  auth_value?: string
  webhook_secret?: string
}

/**
 * A tenant's POS (seed 004, POS sync): the HTTP JSON endpoint the daily sync pulls outlets from,
 * page by page, with the auth header it wants and how its fields map to an outlet's; and the
 * secret its pushes to `/webhooks/pos/:slug` are signed with. Secrets are encrypted with APP_KEY
 * (as messaging channels' settings are) and never serialized.
 */
export default class PosSource extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare endpointUrl: string | null

  @column()
  declare authHeader: string | null

  @encryptedJson()
  declare secrets: PosSecrets

  @json()
  declare mapping: Partial<PosMapping> | null

  @column()
  declare pageParam: string

  @column()
  declare timeoutSeconds: number

  @boolean()
  declare isEnabled: boolean

  @dateTime()
  declare lastSyncedAt: DateTime | null

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /** The mapping with defaults for the fields left empty. */
  get fields(): PosMapping {
    const stored = this.mapping ?? {}
    const merged = { ...DEFAULT_POS_MAPPING }
    for (const key of Object.keys(merged) as (keyof PosMapping)[]) {
      const value = stored[key]
      if (typeof value === 'string') merged[key] = value.trim()
    }
    return merged
  }
}
