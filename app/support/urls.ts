import router from '@adonisjs/core/services/router'
import QRCode from 'qrcode'
import { appUrl } from '#config/app'
import { isLoopbackUrl, pageOrigin } from '#support/app_url'

/**
 * Absolute links, one way: `origin` followed by the router's path, so that no link is written by
 * hand. `origin` defaults to the address of links that leave the request (APP_URL, else the LAN
 * address: config/app.ts), which is right for messages, printed QR codes, `.ics` files and a
 * gateway sending the customer back. A page's own links pass `linkOrigin(request)` instead; views
 * get that as `absoluteUrl(path)` (start/view.ts).
 */
export function absoluteUrl(
  routeName: string,
  params: Record<string, string | number> = {},
  origin = appUrl
) {
  return `${origin}${router.makeUrl(routeName, params)}`
}

/** The origin of a page's own absolute links: the address its browser used (app/support/app_url.ts). */
export function linkOrigin(request: { protocol(): string; host(): string | null }) {
  return pageOrigin(request, appUrl)
}

/**
 * Whether links that leave the request point at this machine only (APP_URL unset and no LAN
 * address, or APP_URL set to localhost): the admin dashboard then asks the owner to set APP_URL.
 */
export function outgoingLinksAreLocal(origin = appUrl) {
  return isLoopbackUrl(origin)
}

/** A QR code as an inline SVG: crisp on a screen and on a thermal printer. */
export function qrSvg(text: string, margin = 0) {
  return QRCode.toString(text, { type: 'svg', margin, errorCorrectionLevel: 'M' })
}

/** The visitor's page of a ticket (what its QR code holds). */
export function ticketUrl(ticketId: string, origin = appUrl) {
  return absoluteUrl('visitor.ticket', { id: ticketId }, origin)
}

/** The customer's page of a booking. */
export function bookingUrl(bookingId: string, origin = appUrl) {
  return absoluteUrl('booking.show', { id: bookingId }, origin)
}
