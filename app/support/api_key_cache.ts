import { BoundedMap } from '#support/bounded_map'

/**
 * Verified API keys, remembered by this server (app/services/platform/api_keys.ts): the rows of a
 * key and its tenant by the key's hash, for VERIFIED_FOR_MS. A revoked key, or a disabled tenant's,
 * stops working at once on the server that made the change (it forgets them) and within
 * VERIFIED_FOR_MS on the others.
 */
export const VERIFIED_FOR_MS = 5_000
/** Most keys remembered (a flood of made-up keys empties it instead of filling memory). */
const MAX_ENTRIES = 10_000

export interface VerifiedRows {
  key: Record<string, any>
  tenant: Record<string, any>
}

const verified = new BoundedMap<string, { at: number; rows: VerifiedRows | null }>(MAX_ENTRIES)
/** When this server last recorded each key's use (ms since the epoch). */
const touched = new BoundedMap<number, number>(MAX_ENTRIES)

export const apiKeyCache = {
  get(hash: string, now: number) {
    const entry = verified.get(hash)
    return entry && now - entry.at <= VERIFIED_FOR_MS ? entry : null
  },
  set(hash: string, now: number, rows: VerifiedRows | null) {
    verified.set(hash, { at: now, rows })
  },
  lastTouched(keyId: number) {
    return touched.get(keyId) ?? 0
  },
  touched(keyId: number, at: number) {
    touched.set(keyId, at)
  },
  /** Forgets every key: a key was revoked or a tenant changed on this server. */
  forget() {
    verified.clear()
  },
}
