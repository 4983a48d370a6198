import router from '@adonisjs/core/services/router'
import QRCode from 'qrcode'
import { appUrl } from '#config/app'

/** The visitor's page of a ticket as an absolute URL (what its QR code holds). */
export function ticketUrl(ticketId: string) {
  return `${appUrl}${router.makeUrl('visitor.ticket', { id: ticketId })}`
}

/** A QR code as an inline SVG: crisp on a screen and on a thermal printer. */
export function qrSvg(text: string) {
  return QRCode.toString(text, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' })
}

/** The QR code of a ticket's page. */
export function ticketQrSvg(ticketId: string) {
  return qrSvg(ticketUrl(ticketId))
}
