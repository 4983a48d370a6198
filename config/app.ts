import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { Secret } from '@adonisjs/core/helpers'
import { defineConfig } from '@adonisjs/core/http'

export const appKey = new Secret(env.get('APP_KEY'))

/** Cookies are Secure in production unless COOKIE_SECURE=false says the site runs on plain HTTP. */
export const secureCookies = env.get('COOKIE_SECURE', app.inProduction)

/** The public address used in QR codes and links sent to visitors. */
export const appUrl = (env.get('APP_URL') ?? `http://localhost:${env.get('PORT', 3333)}`).replace(/\/$/, '')

export const http = defineConfig({
  /** Request ids come from app/middleware/request_id_middleware.ts. */
  generateRequestId: false,
  allowMethodSpoofing: true,
  useAsyncLocalStorage: false,
  trustProxy: () => true,
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: secureCookies,
    sameSite: 'lax',
  },
})
