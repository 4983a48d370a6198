/*
| Edge globals used by every view: versioned asset URLs, time formatting in a branch's zone.
*/
import { createHash, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import edge from 'edge.js'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import { appUrl } from '#config/app'
import { HttpContext } from '@adonisjs/core/http'
import { linkOrigin, outgoingLinksAreLocal } from '#support/urls'
import { formatMoney } from '#support/money'
import { formatPrice } from '#support/prices'
import { dateFormats, LANGUAGE_NAMES } from '#support/dates'

/**
 * edge.js decides at construction whether its components plugin re-scans the views folders on
 * every renderer, and the default instance is built before `cache: true` is set in production.
 * So every request (every `ctx.view`) listed the component files from disk. Templates do not
 * change in production: list them once.
 */
if (app.inProduction) {
  const components = edge.loader.listComponents()
  edge.loader.listComponents = () => components
}

const assetVersions = new Map<string, string>()

/** `/css/app.css` -> `/css/app.css?v=<content hash>`, so files can be cached for a year. */
edge.global('asset', (path: string) => {
  if (!assetVersions.has(path) || !app.inProduction) {
    try {
      const content = readFileSync(app.publicPath(path.replace(/^\//, '')))
      assetVersions.set(path, createHash('sha1').update(content).digest('hex').slice(0, 10))
    } catch {
      assetVersions.set(path, '0')
    }
  }
  return `${path}?v=${assetVersions.get(path)}`
})

/**
 * `publicUrl(path)`: an absolute URL for links that leave the page (what a provider is told to
 * call, what gets printed): APP_URL, else the LAN address (config/app.ts).
 */
edge.global('publicUrl', (path: string) => `${appUrl}${path}`)

/** Outside a request (nothing renders there today) a page's links fall back to the public address. */
edge.global('absoluteUrl', (path: string) => `${appUrl}${path}`)

/** The admin dashboard warns when links that leave the request would point at localhost. */
edge.global('outgoingLinksAreLocal', outgoingLinksAreLocal())

/**
 * `absoluteUrl(path)` in a page rendered for a request: the address its browser used
 * (`linkOrigin`), so that the TV's footer and the share links name an address the shop's devices
 * reach. This is AdonisJS's own per-request renderer (its Edge provider shares `request`), with
 * that helper added; the origin is worked out once, on first use.
 */
HttpContext.getter(
  'view',
  function (this: HttpContext) {
    const request = this.request
    let origin: string | undefined
    return edge.createRenderer().share({
      request,
      absoluteUrl: (path: string) => `${(origin ??= linkOrigin(request))}${path}`,
    })
  },
  true
)

/*
| Moments as the views write them, always in a branch's time zone, through the one formatter
| (#support/dates): a view names the kind of moment (`clockTime`, `localDateTime`...), never a
| format. Month and day names follow the reader's language: useLocale shares the same helpers
| bound to the request's locale, which win over these Indonesian defaults (jobs, mails).
*/
for (const [name, helper] of Object.entries(dateFormats())) edge.global(name, helper)

/** `Bahasa Indonesia`, `English`, `Bahasa Melayu`: a language code as people read it. */
edge.global('languageName', (code: string | null | undefined) =>
  code ? (LANGUAGE_NAMES[code] ?? code) : ''
)

/** An amount in minor units as people read it: `Rp 25.000`, `RM 25.00`. */
edge.global('money', formatMoney)

/** A price as its currency's country writes it, whatever the reader's language: `Rp 25.000`, `RM 25.50`. */
edge.global('price', formatPrice)

/** A duration in seconds as `m:ss` or `h:mm:ss`. */
edge.global('duration', (seconds: number | null | undefined) => {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '–'
  const total = Math.round(seconds)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
})

edge.global('json', (value: unknown) => JSON.stringify(value))

const vendorManifest: Record<string, string> = JSON.parse(
  readFileSync(app.publicPath('vendor/manifest.json'), 'utf8')
)

/** The versioned URL of a browser library copied by bin/vendor.js: `vendor('htmx')`. */
edge.global('vendor', (name: string) => vendorManifest[name])

/** A fresh id for a form's request_id: submitting the same form twice changes nothing. */
edge.global('randomUUID', () => randomUUID())

/** The URL of a tenant's logo (versioned, so it can be cached for a year), or null without one. */
edge.global(
  'logoUrl',
  (tenant: { slug: string; logoMime: string | null; updatedAt: DateTime } | null | undefined) => {
    if (!tenant?.logoMime) return null
    return `/brand/${tenant.slug}/logo?v=${tenant.updatedAt.toMillis()}`
  }
)

/** A map search for an address (a visit job's), opened in the phone's map app. */
edge.global(
  'mapUrl',
  (address: string) =>
    `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(address)}`
)
