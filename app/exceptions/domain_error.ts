import { Exception } from '@adonisjs/core/exceptions'

/**
 * A request that breaks a business rule (calling a ticket that is already done, a counter
 * that already has someone at it). Carries a translation key so that the exception handler
 * can answer in the user's language: `errors.<key>` in resources/lang.
 */
export default class DomainError extends Exception {
  constructor(
    public key: string,
    public params: Record<string, string | number> = {},
    status = 409
  ) {
    super(key, { status, code: `E_${key.toUpperCase()}` })
  }
}
