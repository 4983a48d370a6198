import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { Secret } from '@adonisjs/core/helpers'
import { defineConfig } from '@adonisjs/core/http'
import proxyAddr from 'proxy-addr'
import { networkInterfaces } from 'node:os'
import { chooseAppUrl } from '#support/app_url'

export const appKey = new Secret(env.get('APP_KEY'))

/** Cookies are Secure in production unless COOKIE_SECURE=false says the site runs on plain HTTP. */
export const secureCookies = env.get('COOKIE_SECURE', app.inProduction)

/**
 * The address of links that leave a request (messages, printed QR codes, `.ics` files, payment
 * return URLs): APP_URL, else the machine's LAN address, chosen once at boot
 * (app/support/app_url.ts). Pages use the address their browser used (app/support/urls.ts).
 */
export const appUrlChoice = chooseAppUrl({
  setting: env.get('APP_URL'),
  host: env.get('HOST'),
  port: env.get('PORT', 3333),
  interfaces: networkInterfaces(),
})

/** The public address used in QR codes and links sent to visitors. */
export const appUrl = appUrlChoice.url

/**
 * Which peers may tell Loket the client's address (`X-Forwarded-For`) and protocol
 * (`X-Forwarded-Proto`): none by default, so a client cannot choose its own IP and slip past the
 * per-IP limits or into the audit log as someone else. Behind a load balancer or reverse proxy,
 * TRUSTED_PROXIES lists its addresses or CIDRs, comma-separated (`10.0.0.0/8, 192.168.1.10`), or
 * proxy-addr's names `loopback`, `linklocal`, `uniquelocal`.
 */
export function trustedProxies(
  setting: string | undefined
): (address: string, hop: number) => boolean {
  const list = (setting ?? '')
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter(Boolean)
  return list.length > 0 ? proxyAddr.compile(list) : () => false
}

export const http = defineConfig({
  /** Request ids come from app/middleware/request_id_middleware.ts. */
  generateRequestId: false,
  allowMethodSpoofing: true,
  useAsyncLocalStorage: false,
  trustProxy: trustedProxies(env.get('TRUSTED_PROXIES')),
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: secureCookies,
    sameSite: 'lax',
  },
})
