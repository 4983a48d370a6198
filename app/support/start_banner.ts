import { networkInterfaces } from 'node:os'
import router from '@adonisjs/core/services/router'
import { appUrlChoice } from '#config/app'
import DemoData, { DEMO_PASSWORD } from '#database/demo_data'
import DemoField from '#database/demo_field'
import { type AppUrlChoice, isLoopbackHost, lanAddress } from '#support/app_url'

/**
 * What `npm start` prints once the server listens (bin/server.ts `--banner`): where to open Loket
 * on this computer and from the shop's network, and, on the first run, the demo's links and
 * accounts. Short: it is read in a terminal, once.
 */

export interface DemoGuide {
  links: { label: string; path: string }[]
  accounts: { email: string; role: string }[]
  password: string
}

export interface BannerInput {
  /** HOST and PORT the server listens on. */
  host: string
  port: number
  /** The machine's LAN IPv4 address, if any. */
  lan: string | null
  /** The address of links that leave the request (config/app.ts). */
  links: AppUrlChoice
  /** The demo's links and accounts, on the run that created them. */
  demo: DemoGuide | null
}

const ROLE_ORDER = [
  'owner',
  'admin',
  'supervisor',
  'operator',
  'cs',
  'sales',
  'technician',
  'super_admin',
]
const ROLE_LABELS: Record<string, string> = { super_admin: 'platform admin' }

/** The demo as the seeder makes it (database/demo_data.ts), its links from the router. */
export function demoGuide(): DemoGuide {
  const byRole = <T extends { role: string }>(staff: T[]) =>
    [...staff].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role))
  const accounts = [
    ...byRole(DemoData.CLINIC_STAFF),
    ...byRole(DemoData.BOOTH_STAFF),
    ...byRole(DemoField.STAFF),
  ]
  return {
    links: [
      {
        label: 'take a number',
        path: router.makeUrl('visitor.branch', { slug: DemoData.TENANT_SLUG }),
      },
      { label: 'TV display', path: router.makeUrl('display.show', { token: DemoData.TV_TOKEN }) },
      { label: 'kiosk', path: router.makeUrl('kiosk.show', { token: DemoData.KIOSK_TOKEN }) },
      { label: 'counter console', path: router.makeUrl('counter.show') },
      { label: 'admin', path: router.makeUrl('admin.dashboard') },
      { label: 'platform admin', path: router.makeUrl('platform.tenants.index') },
    ],
    accounts: [...accounts, DemoData.PLATFORM_ADMIN].map(({ email, role }) => ({
      email,
      role: ROLE_LABELS[role] ?? role,
    })),
    password: DEMO_PASSWORD,
  }
}

/** Two columns, the first padded to its longest entry. */
function table(rows: [string, string][]) {
  const width = Math.max(...rows.map(([left]) => left.length))
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`)
}

export function formatStartBanner(input: BannerInput) {
  const anywhere = ['0.0.0.0', '::', ''].includes(input.host)
  const local = anywhere || isLoopbackHost(input.host) ? `http://localhost:${input.port}` : null
  const network = anywhere
    ? input.lan && `http://${input.lan}:${input.port}`
    : isLoopbackHost(input.host)
      ? null
      : `http://${input.host}:${input.port}`
  const addresses: [string, string][] = []
  if (local) addresses.push(['on this computer', local])
  addresses.push(['on the network', network ?? '(none: phones and TVs cannot reach this server)'])

  const lines = ['', 'Loket is running. Open it:', ...table(addresses)]
  if (input.links.source === 'app_url') {
    lines.push(`Links in messages and QR codes use APP_URL: ${input.links.url}`)
  } else if (input.links.source === 'lan') {
    lines.push(
      `Links in messages and QR codes use ${input.links.url} (set APP_URL in .env to change it).`
    )
  } else {
    lines.push(
      `Links in messages and QR codes say ${input.links.url}, which phones cannot open: set APP_URL in .env.`
    )
  }

  if (input.demo) {
    const base = input.links.url
    lines.push('', 'The demo:')
    lines.push(...table(input.demo.links.map(({ label, path }) => [label, `${base}${path}`])))
    lines.push(`Demo accounts, password ${input.demo.password}:`)
    lines.push(...table(input.demo.accounts.map(({ email, role }) => [email, role])))
  }
  lines.push('', 'Ctrl+C to stop.', '')
  return lines.join('\n')
}

/** The banner for this server: its HOST and PORT, this machine's network, the demo when asked. */
export function startBanner(options: { host: string; port: number; demo: boolean }) {
  return formatStartBanner({
    host: options.host,
    port: options.port,
    lan: lanAddress(networkInterfaces()),
    links: appUrlChoice,
    demo: options.demo ? demoGuide() : null,
  })
}
