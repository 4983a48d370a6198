import Booking from '#models/booking'

/** What a scanner or a person typed, read as a booking reference. */
export type BookingReference = { id: string } | { code: string }

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i
/** The letters and digits of booking codes (no I, O, 0 or 1: see BookingService). */
const CODE = /^(?:BK)?([A-HJ-NP-Z2-9]{5})$/

/**
 * Reads a booking reference: the customer's link (`https://…/booking/<uuid>`, what the QR code
 * holds and what a keyboard-wedge scanner types) or the short code (`BK7Q3XM`, spaces, dashes and
 * case ignored; the `BK` may be left out). Anything else is null.
 */
export function parseBookingReference(text: string): BookingReference | null {
  const id = UUID.exec(text)
  if (id) return { id: id[0].toLowerCase() }
  const code = CODE.exec(text.toUpperCase().replace(/[\s-]/g, ''))
  return code ? { code: `BK${code[1]}` } : null
}

/** The tenant's booking a scan or a typed code names, or null (another tenant's never matches). */
export async function findBookingByReference(tenantId: number, text: string) {
  const reference = parseBookingReference(text)
  if (!reference) return null
  const query = Booking.forTenant(tenantId)
  if ('id' in reference) query.where('id', reference.id)
  else query.where('code', reference.code)
  return query.first()
}
