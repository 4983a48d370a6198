import type { HttpContext } from '@adonisjs/core/http'
import type { CookieOptions } from '@adonisjs/core/types/http'
import type { SessionData, SessionStoreContract } from '@adonisjs/session/types'

/**
 * Session data in an encrypted cookie, like the stock cookie store, except that a request which
 * changes nothing leaves the cookie alone. The stock store re-reads and re-encrypts the cookie on
 * every request just to push its expiry forward, which costs a visitor's "take a number" more CPU
 * than its database work. Sessions therefore end `age` (config/session.ts) after their last change.
 */
export default class SessionCookieStore implements SessionStoreContract {
  constructor(
    protected ctx: HttpContext,
    protected cookie: Partial<CookieOptions>
  ) {}

  read(sessionId: string): SessionData | null {
    const value = this.ctx.request.encryptedCookie(sessionId)
    return typeof value === 'object' && value !== null ? value : null
  }

  write(sessionId: string, values: SessionData) {
    this.ctx.response.encryptedCookie(sessionId, values, this.cookie)
  }

  destroy(sessionId: string) {
    if (this.ctx.request.cookiesList()[sessionId]) this.ctx.response.clearCookie(sessionId)
  }

  touch() {}
}
