import vine from '@vinejs/vine'

/** A visitor takes a number at a kiosk: the service, an optional phone, and the kiosk's id for this tap. */
export const kioskTakeValidator = vine.compile(
  vine.object({
    service_id: vine.number().positive().withoutDecimals(),
    phone: vine.string().trim().maxLength(30).optional(),
    request_id: vine.string().trim().uuid(),
  })
)

/** Tickets a kiosk printed while offline, sent once its network is back (at most 100 at a time). */
export const kioskSyncValidator = vine.compile(
  vine.object({
    tickets: vine
      .array(
        vine.object({
          id: vine.string().trim().uuid(),
          service_id: vine.number().positive().withoutDecimals(),
          sequence: vine.number().positive().withoutDecimals(),
          taken_at: vine.date({ formats: ['iso8601'] }),
          phone: vine.string().trim().maxLength(30).optional(),
        })
      )
      .maxLength(100),
  })
)

/** "I have a booking": the link the scanner read from the booking's QR code, or the code typed in. */
export const kioskCheckInValidator = vine.compile(
  vine.object({
    code: vine.string().trim().maxLength(40).optional().requiredIfMissing('url'),
    url: vine.string().trim().maxLength(300).optional(),
    request_id: vine.string().trim().uuid().optional(),
  })
)
