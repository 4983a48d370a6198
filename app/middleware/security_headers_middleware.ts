import type { ServerResponse } from 'node:http'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { secureCookies } from '#config/app'

/**
 * Loket's one content security policy: scripts only from Loket itself (no inline script, no eval:
 * htmx runs with eval off, the rest is plain modules), nothing may frame a page, forms post only
 * back to Loket. Inline styles stay allowed (style attributes in the templates carry no script).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ')

/**
 * Browser features no Loket page uses are switched off; the ones it does use stay for Loket
 * itself: full screen (booth board, TV), and location (technicians checking in, later).
 */
const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'camera=()',
  'display-capture=()',
  'fullscreen=(self)',
  'geolocation=(self)',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'usb=()',
].join(', ')

/** Loket's security headers, on a raw Node response (also answers written before AdonisJS, app/http/early_shedding.ts). */
export function setSecurityHeaders(raw: ServerResponse) {
  raw.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY)
  raw.setHeader('Permissions-Policy', PERMISSIONS_POLICY)
  raw.setHeader('Referrer-Policy', 'same-origin')
  raw.setHeader('X-Frame-Options', 'DENY')
  raw.setHeader('X-Content-Type-Options', 'nosniff')
  raw.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  if (secureCookies) raw.setHeader('Strict-Transport-Security', 'max-age=15552000')
}

/**
 * Security headers on every answer, pages and files, JSON and the screens' polls alike: set on
 * the raw response first, so that an answer that needs another policy (an uploaded file served
 * sandboxed) replaces it with its own, and an answer written by the file server keeps them.
 */
export default class SecurityHeadersMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    setSecurityHeaders(ctx.response.response)
    return next()
  }
}
