import app from '@adonisjs/core/services/app'
import env from '#start/env'
import { BlockList, isIP } from 'node:net'

/** Why a webhook URL is refused; each has a message in resources/lang/<locale>/webhooks.json. */
export type WebhookUrlProblem = 'invalid' | 'scheme' | 'https' | 'local_host'

/**
 * Addresses that are not somebody else's server on the internet: this machine, private and
 * carrier-grade NAT networks, link-local, multicast and reserved ranges. IPv4-mapped IPv6
 * addresses (`::ffff:10.0.0.1`) are checked against the IPv4 ranges too.
 */
const NON_PUBLIC = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4')
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6')
}

/** Whether `address` (an IP literal, IPv6 with or without brackets) is loopback, private, link-local or reserved. */
export function isNonPublicAddress(address: string) {
  const bare = address.replace(/^\[|\]$/g, '')
  const family = isIP(bare)
  if (family === 0) return false
  return NON_PUBLIC.check(bare, family === 4 ? 'ipv4' : 'ipv6')
}

/**
 * Whether webhook URLs must be public https ones: in production, unless the platform runs inside
 * a business's own network and says so with WEBHOOK_ALLOW_PRIVATE_URLS=true.
 */
export function strictWebhookUrls() {
  return app.inProduction && !env.get('WEBHOOK_ALLOW_PRIVATE_URLS', false)
}

/**
 * What is wrong with `value` as a webhook URL, or null when nothing is. Anywhere: an absolute
 * http or https URL. In production also https only, and no `localhost` or address literal of
 * this machine or a private network (the server would otherwise post into its own network).
 * The URL parser normalizes the host first, so `http://2130706433/` is seen as 127.0.0.1.
 */
export function webhookUrlProblem(
  value: string,
  options: { production: boolean }
): WebhookUrlProblem | null {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'invalid'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'scheme'
  if (!url.hostname) return 'invalid'
  if (!options.production) return null
  if (url.protocol !== 'https:') return 'https'
  const host = url.hostname.toLowerCase().replace(/\.$/, '')
  if (host === 'localhost' || host.endsWith('.localhost') || isNonPublicAddress(host))
    return 'local_host'
  return null
}
