import type Booking from '#models/booking'

/** Text of an iCalendar property value: backslash, semicolon, comma and newlines escaped (RFC 5545 3.3.11). */
function text(value: string) {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r?\n/g, '\\n')
}

/** Lines longer than 75 octets are folded with CRLF + space (RFC 5545 3.1). */
function fold(line: string) {
  const bytes = Buffer.from(line)
  if (bytes.length <= 75) return line
  const parts: string[] = []
  let start = 0
  while (start < bytes.length) {
    let end = Math.min(bytes.length, start + (start === 0 ? 75 : 74))
    // Never split a UTF-8 character: back off to the start of one.
    while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--
    parts.push(bytes.subarray(start, end).toString())
    start = end
  }
  return parts.join('\r\n ')
}

function stamp(moment: { toUTC(): { toFormat(format: string): string } }) {
  return moment.toUTC().toFormat("yyyyLLdd'T'HHmmss'Z'")
}

/** An .ics file with the booking as one event, for "add to calendar" on any phone or desktop. */
export function bookingCalendar(
  booking: Booking,
  details: { title: string; location: string; description: string; url: string; organizer: string }
) {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Loket//Bookings//ID',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${booking.id}@loket`,
    `DTSTAMP:${stamp(booking.updatedAt)}`,
    `DTSTART:${stamp(booking.startsAt)}`,
    `DTEND:${stamp(booking.endsAt)}`,
    `SUMMARY:${text(details.title)}`,
    `LOCATION:${text(details.location)}`,
    `DESCRIPTION:${text(details.description)}`,
    `URL:${details.url}`,
    `ORGANIZER;CN=${text(details.organizer)}:mailto:noreply@loket.invalid`,
    `STATUS:${booking.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`,
    'BEGIN:VALARM',
    'TRIGGER:-PT1H',
    'ACTION:DISPLAY',
    `DESCRIPTION:${text(details.title)}`,
    'END:VALARM',
    'END:VEVENT',
    'END:VCALENDAR',
  ]
  return lines.map(fold).join('\r\n') + '\r\n'
}
