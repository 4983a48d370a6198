import { createHash, randomBytes } from 'node:crypto'
import ApiKey from '#models/api_key'
import Tenant from '#models/tenant'
import User from '#models/user'
import { toSqlDateTime } from '#models/columns'
import AuditTrail, { type Actor } from '#services/platform/audit_trail'
import clock from '#support/clock'
import { withTransaction } from '#support/database'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { apiKeyCache } from '#support/api_key_cache'

/** Every key starts with this, so that a leaked key is easy to recognise. */
const KEY_PREFIX = 'lk_'

/** Random bytes in a key (base64url after the prefix). */
const KEY_BYTES = 32

/** How much of a key stays readable in lists: the prefix and 8 characters. */
const DISPLAY_LENGTH = KEY_PREFIX.length + 8

/** `last_used_at` is written at most this often per key. */
const TOUCH_INTERVAL_MS = 60_000

/** What is stored of a key: its SHA-256, hex. */
export function hashKey(plainKey: string) {
  return createHash('sha256').update(plainKey).digest('hex')
}

/**
 * A tenant's keys for the REST API. A key is shown once, when it is created; only its SHA-256
 * and its first characters are kept. Creating and revoking are recorded in the audit log.
 */
@inject()
export default class ApiKeys {
  constructor(protected auditTrail: AuditTrail) {}

  list(tenantId: number) {
    return ApiKey.forTenant(tenantId).orderBy('revoked_at').orderBy('id', 'desc')
  }

  /** A new key for `tenant`, named `name`. Returns the plain key: it cannot be read again later. */
  async create(tenant: Tenant, name: string, actor: Actor) {
    const plainKey = KEY_PREFIX + randomBytes(KEY_BYTES).toString('base64url')
    const apiKey = await withTransaction(async (trx) => {
      const created = await ApiKey.create(
        {
          tenantId: tenant.id,
          name,
          prefix: plainKey.slice(0, DISPLAY_LENGTH),
          tokenHash: hashKey(plainKey),
          createdBy: actor.user?.id ?? null,
        },
        { client: trx }
      )
      await this.auditTrail.record(
        {
          action: 'api_key.created',
          tenantId: tenant.id,
          subject: { type: 'api_key', id: created.id },
          changes: { name, prefix: created.prefix },
        },
        actor,
        trx
      )
      return created
    })
    return { apiKey, plainKey }
  }

  /**
   * The key stops working at once on this server and within VERIFIED_FOR_MS on the others (they
   * remember verified keys that long: api_key_cache.ts). Revoking a revoked key changes nothing.
   */
  async revoke(apiKey: ApiKey, actor: Actor) {
    if (apiKey.revokedAt) return apiKey
    apiKeyCache.forget()
    await withTransaction(async (trx) => {
      apiKey.useTransaction(trx)
      apiKey.revokedAt = clock.now()
      await apiKey.save()
      await this.auditTrail.record(
        {
          action: 'api_key.revoked',
          tenantId: apiKey.tenantId,
          subject: { type: 'api_key', id: apiKey.id },
          changes: { name: apiKey.name, prefix: apiKey.prefix },
        },
        actor,
        trx
      )
    })
    return apiKey
  }

  /**
   * The active key `plainKey` is, with its tenant; null for an unknown or revoked key or a
   * disabled tenant. The key is found by its hash, so no secret is compared character by character.
   * The answer (its rows) is remembered for VERIFIED_FOR_MS (app/support/api_key_cache.ts): a busy integration costs no query per
   * request, and each request gets model instances of its own.
   */
  async verify(plainKey: string) {
    if (!plainKey.startsWith(KEY_PREFIX) || plainKey.length > 128) return null
    const hash = hashKey(plainKey)
    const now = clock.now().toMillis()
    let rows = apiKeyCache.get(hash, now)?.rows
    if (rows === undefined) {
      rows = await this.#rows(hash)
      apiKeyCache.set(hash, now, rows)
    }
    if (!rows) return null
    return {
      apiKey: ApiKey.$createFromAdapterResult(rows.key)!,
      tenant: Tenant.$createFromAdapterResult(rows.tenant)!,
    }
  }

  async #rows(hash: string) {
    const key = await db.from('api_keys').where('token_hash', hash).whereNull('revoked_at').first()
    if (!key) return null
    const tenant = await db.from('tenants').where('id', key.tenant_id).first()
    if (!tenant || !tenant.is_active) return null
    return { key, tenant }
  }

  /**
   * The owner who created `apiKey`, while they are still an active owner of its tenant; null for a
   * key made by an admin, by the command line, or by someone who is no longer an owner. Tenant-wide
   * settings change only through such a key.
   */
  async ownerWhoCreated(apiKey: ApiKey) {
    if (!apiKey.createdBy) return null
    return User.forTenant(apiKey.tenantId)
      .where('id', apiKey.createdBy)
      .where('role', 'owner')
      .where('is_active', true)
      .first()
  }

  /** Records that `apiKey` was just used: at most one write a minute per key, on any number of servers. */
  async touch(apiKey: ApiKey) {
    const now = clock.now()
    const last = Math.max(apiKey.lastUsedAt?.toMillis() ?? 0, apiKeyCache.lastTouched(apiKey.id))
    if (now.toMillis() - last < TOUCH_INTERVAL_MS) return
    apiKeyCache.touched(apiKey.id, now.toMillis())
    const staleBefore = toSqlDateTime(now.minus({ milliseconds: TOUCH_INTERVAL_MS }))
    await ApiKey.query()
      .where('id', apiKey.id)
      .where((query) => query.whereNull('last_used_at').orWhere('last_used_at', '<', staleBefore))
      .update({ last_used_at: toSqlDateTime(now) })
    apiKey.lastUsedAt = now
  }
}
