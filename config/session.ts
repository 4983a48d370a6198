import env from '#start/env'
import { defineConfig } from '@adonisjs/session'
import { secureCookies } from '#config/app'
import SessionCookieStore from '#http/session_cookie_store'

/**
 * Sessions live in an encrypted cookie: nothing is kept in server memory, so servers stay
 * stateless. A session ends 12 hours after it last changed (app/services/session_cookie_store.ts).
 */
const sessionConfig = defineConfig({
  enabled: true,
  cookieName: 'loket-session',
  clearWithBrowser: false,
  age: '12h',
  cookie: {
    path: '/',
    httpOnly: true,
    secure: secureCookies,
    sameSite: 'lax',
  },
  /** `memory` is built in (tests only: it lets the test client read and write the session). */
  store: env.get('SESSION_DRIVER', 'cookie'),
  stores: {
    cookie: (ctx, config) => new SessionCookieStore(ctx, config.cookie),
  },
})

export default sessionConfig
