import type { Session } from '@adonisjs/session'

/*
| What a form sends back to itself through the session when it is refused (a validation error, a
| stale CSRF token, a login that ran out): the session lives in a cookie, a browser drops a cookie
| over 4 KB, and a proxy may refuse a response whose headers run to hundreds of kilobytes.
*/

/** The longest message kept (a validation message, cut beyond it). */
export const MAX_FLASHED_TEXT = 200
/** The longest typed text kept; a longer one is left out whole, never cut. */
const MAX_FLASHED_FIELD = 1_000
/** The most items of a list (or fields of a group) kept; a longer one is left out whole. */
const MAX_FLASHED_ITEMS = 20
/** What a form's typed values may take of the session, in UTF-8 bytes (the cookie's whole budget is 4 KB). */
const FLASHED_INPUT_BUDGET = 1_500
/** Fields never sent back to the browser: secrets are typed again. */
const SECRET_FIELD = /password|secret|token|_key$|^_csrf$|^_method$/i

/**
 * The form's values to show again, within FLASHED_INPUT_BUDGET, shortest first: secrets left out,
 * and a value too long or too deep to keep whole is left out rather than cut (the form shows that
 * field empty, where a cut text could be sent again unnoticed). Better than a session the browser
 * throws away.
 */
export function flashInput(input: Record<string, unknown>) {
  const candidates: { key: string; value: unknown; bytes: number }[] = []
  for (const [key, value] of Object.entries(input ?? {}).slice(0, 100)) {
    if (SECRET_FIELD.test(key)) continue
    const whole = wholeValue(value, 0)
    if (whole === undefined) continue
    candidates.push({
      key,
      value: whole,
      bytes: Buffer.byteLength(JSON.stringify({ [key]: whole })),
    })
  }
  const kept: Record<string, unknown> = {}
  let size = 2
  for (const { key, value, bytes } of candidates.sort((a, b) => a.bytes - b.bytes)) {
    if (size + bytes > FLASHED_INPUT_BUDGET) break
    kept[key] = value
    size += bytes
  }
  return kept
}

/** `value` as it was typed, or undefined when it is too long, too big or too deep to keep whole. */
function wholeValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.length <= MAX_FLASHED_FIELD ? value : undefined
  if (value === null || typeof value !== 'object') return value
  if (depth >= 3) return undefined
  if (Array.isArray(value)) {
    if (value.length > MAX_FLASHED_ITEMS) return undefined
    // A list keeps its places: an item that cannot be kept shows empty.
    return value.map((item) => wholeValue(item, depth + 1) ?? null)
  }
  const fields = Object.entries(value).filter(([key]) => !SECRET_FIELD.test(key))
  if (fields.length > MAX_FLASHED_ITEMS) return undefined
  return Object.fromEntries(
    fields
      .map(([key, item]) => [key, wholeValue(item, depth + 1)])
      .filter(([, item]) => item !== undefined)
  )
}

/**
 * Bounds the typed values flashed by this response (`flashInput`), whoever flashed them: Loket's
 * exception handler, or the session, shield and auth packages, which flash everything that was
 * posted (shield on a stale CSRF token, auth on a login that ran out).
 */
export function boundFlashedInput(session: Session) {
  const input = session.responseFlashMessages.get('input')
  if (input !== null && typeof input === 'object')
    session.responseFlashMessages.set('input', flashInput(input as Record<string, unknown>))
}
