import type { NetworkInterfaceInfo } from 'node:os'

/**
 * Where Loket's links point. Plain functions of their inputs (no framework imports), so that
 * config/app.ts can choose the address at boot and the unit tests can try every case.
 */

export type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>

export interface AppUrlChoice {
  url: string
  /** `app_url`: set explicitly; `lan`: the machine's network address; `localhost`: neither. */
  source: 'app_url' | 'lan' | 'localhost'
}

/** The machine's address on the shop's network: the first non-internal IPv4 address, or null. */
export function lanAddress(interfaces: Interfaces): string | null {
  for (const addresses of Object.values(interfaces)) {
    for (const address of addresses ?? []) {
      // Node 18.0-18.3 reported the family as a number.
      const ipv4 = address.family === 'IPv4' || (address.family as unknown) === 4
      if (ipv4 && !address.internal) return address.address
    }
  }
  return null
}

/**
 * The address of links that leave the request (messages, printed QR codes, `.ics` files, a payment
 * gateway sending the customer back): APP_URL when it is set; otherwise the address Loket listens
 * on when HOST names one; otherwise the machine's LAN address, which the phones and the TV on the
 * shop's Wi-Fi can open, unlike `localhost`.
 */
export function chooseAppUrl(options: {
  setting?: string
  host?: string
  port: number
  interfaces: Interfaces
}): AppUrlChoice {
  const setting = options.setting?.trim()
  if (setting) return { url: setting.replace(/\/+$/, ''), source: 'app_url' }
  const localhost = { url: `http://localhost:${options.port}`, source: 'localhost' } as const
  const host = options.host?.trim()
  if (host && !['0.0.0.0', '::', '[::]'].includes(host)) {
    if (isLoopbackHost(host)) return localhost
    const name = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
    return { url: `http://${name}:${options.port}`, source: 'lan' }
  }
  const lan = lanAddress(options.interfaces)
  return lan ? { url: `http://${lan}:${options.port}`, source: 'lan' } : localhost
}

/** `localhost`, `127.x.x.x`, `::1` (with or without a port): an address only this machine can open. */
export function isLoopbackHost(host: string) {
  const name = host
    .toLowerCase()
    .replace(/^\[(.*)\](:\d+)?$/, '$1')
    .replace(/^([^:]*):\d+$/, '$1')
    .replace(/\.$/, '')
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(name) ||
    name === '::1' ||
    name === '0.0.0.0'
  )
}

/** Whether a URL points at this machine only (`http://localhost:3333`, `http://127.0.0.1`). */
export function isLoopbackUrl(url: string) {
  try {
    return isLoopbackHost(new URL(url).host)
  } catch {
    return false
  }
}

/** A host as a browser may send it: a hostname or IP address, with an optional port. */
const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?|\[[0-9a-f:.]{2,45}\])(?::(\d{1,5}))?$/i

/**
 * The origin the browser used (`http://192.168.1.20:3333`), from the request's protocol and host
 * as AdonisJS reads them (X-Forwarded-Proto and X-Forwarded-Host only from TRUSTED_PROXIES), or
 * null when the host is not a plain hostname or IP address with a port.
 */
export function requestOrigin(request: { protocol(): string; host(): string | null }) {
  const protocol = request.protocol()
  const host = request.host()
  if (protocol !== 'http' && protocol !== 'https') return null
  if (!host || host.length > 260) return null
  const match = HOST.exec(host)
  if (!match || (match[1] && Number(match[1]) > 65535)) return null
  return `${protocol}://${host.toLowerCase()}`
}

/**
 * The origin of a page's own absolute links: the address its browser used, so that the TV's
 * footer and the dashboard's share link name an address the shop's devices reach. A page opened
 * on the server itself (`localhost`) shows `fallback` (the links' address) instead, when that is
 * one other devices can open. A Host header is only ever trusted for the page it asked for.
 */
export function pageOrigin(
  request: { protocol(): string; host(): string | null },
  fallback: string
) {
  const origin = requestOrigin(request)
  if (!origin || (isLoopbackUrl(origin) && !isLoopbackUrl(fallback))) return fallback
  return origin
}
