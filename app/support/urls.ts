import router from '@adonisjs/core/services/router'
import QRCode from 'qrcode'
import { appUrl } from '#config/app'

/**
 * A route's address as people reach it from outside (QR codes, messages, a gateway sending the
 * customer back): APP_URL followed by the router's path, so that no link is written by hand.
 */
export function absoluteUrl(routeName: string, params: Record<string, string | number> = {}) {
  return `${appUrl}${router.makeUrl(routeName, params)}`
}

/** A QR code as an inline SVG: crisp on a screen and on a thermal printer. */
export function qrSvg(text: string, margin = 0) {
  return QRCode.toString(text, { type: 'svg', margin, errorCorrectionLevel: 'M' })
}

/** The visitor's page of a ticket (what its QR code holds). */
export function ticketUrl(ticketId: string) {
  return absoluteUrl('visitor.ticket', { id: ticketId })
}

/** The customer's page of a booking. */
export function bookingUrl(bookingId: string) {
  return absoluteUrl('booking.show', { id: bookingId })
}
