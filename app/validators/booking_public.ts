import vine from '@vinejs/vine'

const date = () => vine.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/)
const time = () => vine.string().trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/)

/** The day a customer looks at (`?date=`), optional: today when missing. */
export const bookingDayValidator = vine.compile(vine.object({ date: date().optional() }))

/** A customer books a time: the service, the day and time, who they are, and an id that makes a double tap harmless. */
export const publicBookingValidator = vine.compile(
  vine.object({
    service_id: vine.number().positive().withoutDecimals(),
    date: date(),
    time: time(),
    name: vine.string().trim().minLength(2).maxLength(120),
    phone: vine.string().trim().maxLength(30),
    email: vine.string().trim().email().maxLength(190).optional(),
    note: vine.string().trim().maxLength(255).optional(),
    request_id: vine.string().trim().uuid(),
  })
)

/** The customer moves their booking to another time. */
export const publicRescheduleValidator = vine.compile(vine.object({ date: date(), time: time() }))

/** The customer cancels, optionally saying why. */
export const publicCancelValidator = vine.compile(vine.object({ reason: vine.string().trim().maxLength(255).optional() }))
