/*
| Edge globals used by every view: versioned asset URLs, time formatting in a branch's zone.
*/
import { createHash, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import edge from 'edge.js'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import { appUrl } from '#config/app'
import { formatMoney } from '#support/money'
import { formatPrice } from '#support/prices'

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

/** An absolute URL for links that leave the browser (QR codes, messages). */
edge.global('absoluteUrl', (path: string) => `${appUrl}${path}`)

/*
| Moments as the views write them, always in a branch's time zone. The format strings live here and
| nowhere else: a view names the kind of moment (`clockTime`, `localDateTime`...), never a format.
| Each gives '' for a missing moment. Month names follow `locale` when given (a booking's page),
| otherwise the server's default, as the admin pages always have.
*/
type Moment = DateTime | null | undefined

function inZone(moment: Moment, zone: string, format: string, locale?: string) {
  if (!moment) return ''
  const local = moment.setZone(zone)
  return (locale ? local.setLocale(locale) : local).toFormat(format)
}

/** `09:30`, or `09:30:15` with `{ seconds: true }`. */
edge.global('clockTime', (moment: Moment, zone: string, options: { seconds?: boolean } = {}) => {
  return inZone(moment, zone, options.seconds ? 'HH:mm:ss' : 'HH:mm')
})

/** `22 Nov 2026`. */
edge.global('localDate', (moment: Moment, zone: string, locale?: string) =>
  inZone(moment, zone, 'dd LLL yyyy', locale)
)

/** `22 Nov 2026 09:30`; `{ seconds: true }` adds the seconds, `{ year: false }` leaves out the year. */
edge.global(
  'localDateTime',
  (
    moment: Moment,
    zone: string,
    options: { seconds?: boolean; year?: boolean; locale?: string } = {}
  ) => {
    const date = options.year === false ? 'dd LLL' : 'dd LLL yyyy'
    return inZone(moment, zone, `${date} ${options.seconds ? 'HH:mm:ss' : 'HH:mm'}`, options.locale)
  }
)

/** `22-11-2026 09:30`, all in digits (the payments' lists); the same options as `localDateTime`. */
edge.global(
  'numericDateTime',
  (moment: Moment, zone: string, options: { seconds?: boolean; year?: boolean } = {}) => {
    const date = options.year === false ? 'dd-LL' : 'dd-LL-yyyy'
    return inZone(moment, zone, `${date} ${options.seconds ? 'HH:mm:ss' : 'HH:mm'}`)
  }
)

/** `2026-11-22 09:30:15`: a log's timestamp (the audit trail, the outbox), sortable as text. */
edge.global('logTime', (moment: Moment, zone: string) =>
  inZone(moment, zone, 'yyyy-LL-dd HH:mm:ss')
)

/** `Minggu, 22 November · 09:30` in the reader's language: when a closed branch opens again. */
edge.global('longDateTime', (moment: Moment, zone: string, locale: string) => {
  return inZone(moment, zone, 'cccc, d LLLL · HH:mm', locale)
})

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
