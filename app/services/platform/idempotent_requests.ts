import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import ApiIdempotency from '#models/api_idempotency'
import DomainError from '#exceptions/domain_error'
import { isUniqueViolation } from '#support/database'
import Ticket from '#models/ticket'
import type { SqlFragment } from '#support/sql'

/** The status of a claimed key whose first request is still being answered. */
const PENDING = 0

/** How long a repeat waits for the first request's answer before giving up with 409. */
const WAIT_MS = 5_000
const POLL_MS = 50

/** A claim older than this without an answer belongs to a request that died (a crashed server). */
const ABANDONED_AFTER_MS = 60_000

export type Claim = { replay: false } | { replay: true; status: number; body: unknown }

/** A take through the API was refused: its Idempotency-Key already has an answer (`unanswered`). */
export class KeyAlreadyAnswered extends Error {
  constructor() {
    super('the Idempotency-Key already has an answer')
  }
}

/** Which request an answer belongs to. */
export interface AnswerRecord {
  apiKeyId: number
  key: string
  fingerprint: string
}

function sha256(text: string) {
  return createHash('sha256').update(text).digest('hex')
}

/** JSON with object keys sorted, so that `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/**
 * `Idempotency-Key` for the REST API: the first request with a key claims it, and its answer
 * (status and JSON body) is kept; a repeat of the same request gets that answer again, waiting
 * for it if the first is still running; the key with a different request is refused (422).
 * Keys are per API key (`api_idempotency` has a unique index on both).
 */
export default class IdempotentRequests {
  /**
   * The queue engine's request id for `key` sent with API key `apiKeyId` (64 characters, never
   * equal to another API key's), so that the engine itself acts once per key as well.
   */
  requestIdOf(apiKeyId: number, key: string) {
    return `api:${sha256(`${apiKeyId}:${key}`).slice(0, 60)}`
  }

  /** What makes two requests "the same": method, path and body. */
  fingerprint(method: string, path: string, body: unknown) {
    return sha256(`${method} ${path} ${canonicalJson(body)}`)
  }

  /**
   * Claims `key` for a new request, or returns the answer to replay. A key that took a number
   * (its answer kept on the ticket) is refused for any other request (422).
   */
  async claim(
    tenantId: number,
    apiKeyId: number,
    key: string,
    fingerprint: string
  ): Promise<Claim> {
    const giveUpAt = Date.now() + WAIT_MS
    for (;;) {
      if (await this.#reserve(apiKeyId, key, fingerprint)) {
        if (!(await this.ticketTakenWith(tenantId, apiKeyId, key))) return { replay: false }
        await this.release(apiKeyId, key)
        throw new DomainError('idempotency_key_reused', {}, 422)
      }

      const earlier = await this.#find(apiKeyId, key)
      if (earlier) {
        if (earlier.fingerprint !== fingerprint)
          throw new DomainError('idempotency_key_reused', {}, 422)
        if (earlier.status !== PENDING)
          return { replay: true, status: earlier.status, body: JSON.parse(earlier.body) }
        if (Date.now() - earlier.createdAt.toMillis() > ABANDONED_AFTER_MS) {
          await ApiIdempotency.query().where('id', earlier.id).where('status', PENDING).delete()
          continue
        }
      }
      if (Date.now() > giveUpAt) throw new DomainError('idempotency_key_in_use', {}, 409)
      await sleep(POLL_MS)
    }
  }

  /**
   * The answer already kept for `key` (to replay), or null: 422 when it answered another request;
   * waits while a request that claimed the key (on another route) is still being answered.
   */
  async earlier(apiKeyId: number, key: string, fingerprint: string): Promise<Claim | null> {
    const giveUpAt = Date.now() + WAIT_MS
    for (;;) {
      const earlier = await this.#find(apiKeyId, key)
      if (!earlier) return null
      if (earlier.fingerprint !== fingerprint)
        throw new DomainError('idempotency_key_reused', {}, 422)
      if (earlier.status !== PENDING)
        return { replay: true, status: earlier.status, body: JSON.parse(earlier.body) }
      if (Date.now() > giveUpAt) throw new DomainError('idempotency_key_in_use', {}, 409)
      await sleep(POLL_MS)
    }
  }

  /**
   * Whether `record`'s key has no answer kept in `api_idempotency` (by another route, or an error
   * answer), as SQL: a take through the API writes its ticket only while this holds, and keeps
   * its own answer on the ticket's row (`requestId`, `apiFingerprint`) rather than here. Read in
   * the take's transaction, the row a request on another route is claiming is waited for.
   */
  unanswered(record: AnswerRecord): SqlFragment {
    return {
      sql: 'NOT EXISTS (SELECT 1 FROM api_idempotency WHERE api_key_id = ? AND idempotency_key = ?)',
      bindings: [record.apiKeyId, record.key],
    }
  }

  /**
   * The ticket taken through the API with `key` (it keeps that request's answer, `apiFingerprint`
   * saying which request it was), or null.
   */
  ticketTakenWith(tenantId: number, apiKeyId: number, key: string) {
    return Ticket.forTenant(tenantId).where('request_id', this.requestIdOf(apiKeyId, key)).first()
  }

  /** Keeps an answer that no transaction of the request kept (an error answer); the first one kept wins. */
  async keep(record: AnswerRecord, status: number, body: unknown) {
    try {
      await ApiIdempotency.create({
        apiKeyId: record.apiKeyId,
        idempotencyKey: record.key,
        fingerprint: record.fingerprint,
        status,
        body: JSON.stringify(body ?? null),
      })
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
    }
  }

  /** Keeps the answer to the request that claimed `key`. */
  async complete(apiKeyId: number, key: string, status: number, body: unknown) {
    await ApiIdempotency.query()
      .where('api_key_id', apiKeyId)
      .where('idempotency_key', key)
      .update({ status, body: JSON.stringify(body ?? null) })
  }

  /** Gives the key up without an answer (the server failed): a retry runs the request again. */
  async release(apiKeyId: number, key: string) {
    await ApiIdempotency.query()
      .where('api_key_id', apiKeyId)
      .where('idempotency_key', key)
      .where('status', PENDING)
      .delete()
  }

  #find(apiKeyId: number, key: string) {
    return ApiIdempotency.query()
      .where('api_key_id', apiKeyId)
      .where('idempotency_key', key)
      .first()
  }

  /** Inserts the claim; false when the key is already claimed (the unique index refuses it). */
  async #reserve(apiKeyId: number, key: string, fingerprint: string) {
    try {
      await ApiIdempotency.create({
        apiKeyId,
        idempotencyKey: key,
        fingerprint,
        status: PENDING,
        body: '',
      })
      return true
    } catch (error) {
      if (isUniqueViolation(error)) return false
      throw error
    }
  }
}
