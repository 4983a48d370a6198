/*
|--------------------------------------------------------------------------
| Middleware stacks shared by the route files
|--------------------------------------------------------------------------
*/
import { middleware } from '#start/kernel'
import { throttleApi } from '#start/limiter'

/** Public pages with forms: session, CSRF and security headers, language. */
export const publicWeb = [middleware.session(), middleware.shield(), middleware.locale()]

/** Pages that may show who is logged in: the same plus auth (when logged in) and bouncer. */
export const web = [
  middleware.session(),
  middleware.shield(),
  middleware.initializeAuth(),
  middleware.initializeBouncer(),
  middleware.locale(),
]

/** A logged-in member of a tenant's staff (from an address the tenant's IP allow-list admits). */
export const staff = [...web, middleware.auth(), middleware.staff(), middleware.ipAllowList()]

/** A tenant's owner or admin (the `administer` ability). */
export const admins = [...staff, middleware.role({ ability: 'administer' })]

/** The REST API: an API key (no session, no CSRF), rate limited per key, Idempotency-Key on every POST. */
export const apiClients = [
  middleware.shedLoad(),
  middleware.apiKey(),
  throttleApi,
  middleware.apiIdempotency(),
]
