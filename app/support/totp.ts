import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * Time-based one-time passwords (RFC 6238) as authenticator apps make them: HMAC-SHA1 over the
 * count of 30-second steps since the epoch (RFC 4226's dynamic truncation), six digits, the secret
 * shared as base32 (RFC 4648) in an `otpauth://` link or QR code.
 */
export const TOTP_STEP_SECONDS = 30
export const TOTP_DIGITS = 6

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** A new secret: 20 random bytes (160 bits, RFC 4226's recommendation), in base32. */
export function newTotpSecret() {
  return base32Encode(randomBytes(20))
}

export function base32Encode(bytes: Buffer) {
  let bits = 0
  let value = 0
  let output = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      output += BASE32[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) output += BASE32[(value << (5 - bits)) & 31]
  return output
}

export function base32Decode(text: string) {
  const clean = text.toUpperCase().replace(/[\s=-]+/g, '')
  const bytes: number[] = []
  let bits = 0
  let value = 0
  for (const character of clean) {
    const index = BASE32.indexOf(character)
    if (index === -1) throw new Error('Not a base32 secret')
    value = (value << 5) | index
    bits += 5
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  return Buffer.from(bytes)
}

/** RFC 4226: the code of `counter` for `key`, `digits` long. */
export function hotp(key: Buffer, counter: number, digits = TOTP_DIGITS) {
  const message = Buffer.alloc(8)
  message.writeBigUInt64BE(BigInt(counter))
  const digest = createHmac('sha1', key).update(message).digest()
  const offset = digest[digest.length - 1] & 15
  const binary = digest.readUInt32BE(offset) & 0x7fffffff
  return String(binary % 10 ** digits).padStart(digits, '0')
}

/** The 30-second step `unixSeconds` falls in. */
export function totpStep(unixSeconds: number) {
  return Math.floor(unixSeconds / TOTP_STEP_SECONDS)
}

/** The code for `secret` (base32) at `unixSeconds`. */
export function totp(secret: string, unixSeconds: number, digits = TOTP_DIGITS) {
  return hotp(base32Decode(secret), totpStep(unixSeconds), digits)
}

/**
 * The step a typed code belongs to, when it is the code of the current step or of one step on
 * either side (a phone's clock a little off, a code typed as it turned), and later than
 * `lastStep` (a code is good once: a code seen over a shoulder cannot be used again). Null otherwise.
 */
export function verifyTotp(
  secret: string,
  code: string,
  unixSeconds: number,
  lastStep: number | null = null
) {
  const typed = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(typed)) return null
  const key = base32Decode(secret)
  const now = totpStep(unixSeconds)
  for (const step of [now - 1, now, now + 1]) {
    if (lastStep !== null && step <= lastStep) continue
    if (timingSafeEqual(Buffer.from(hotp(key, step)), Buffer.from(typed))) return step
  }
  return null
}

/** The link an authenticator app reads from the QR code (Google's Key Uri Format). */
export function otpauthUri(secret: string, account: string, issuer: string) {
  const label = encodeURIComponent(`${issuer}:${account}`)
  const query = new URLSearchParams({
    secret,
    issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_SECONDS),
  })
  return `otpauth://totp/${label}?${query}`
}
