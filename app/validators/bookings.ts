import vine from '@vinejs/vine'
import { BLENDING_MODES, BOOKING_STATUSES, RESOURCE_KINDS } from '#enums/booking'
import {
  recordId,
  isoDate,
  clockTime,
  uniqueInBranch,
  weekHours,
  type BranchMeta,
} from '#validators/fields'

const requestId = () => vine.string().trim().maxLength(64).optional()

/*
|--------------------------------------------------------------------------
| Staff: /app/bookings
|--------------------------------------------------------------------------
*/
/** The day list: `?date=&status=&resource_id=&q=`. */
export const bookingDayValidator = vine.compile(
  vine.object({
    date: isoDate().optional(),
    status: vine.enum(BOOKING_STATUSES).optional(),
    resource_id: recordId().optional(),
    q: vine.string().trim().maxLength(80).optional(),
  })
)

/**
 * What a scanner typed (the booking's link) or a person typed (its code). No request id: one
 * scan box checks in booking after booking, and scanning the same one twice is refused anyway.
 */
export const bookingScanValidator = vine.compile(
  vine.object({
    reference: vine.string().trim().minLength(5).maxLength(300),
  })
)

/** Who the booking is for, when staff or another system books (the phone is checked and stored in E.164 later). */
function customerFields() {
  return {
    name: vine.string().trim().minLength(2).maxLength(120),
    phone: vine.string().trim().maxLength(30).optional(),
    email: vine.string().trim().email().maxLength(190).optional(),
    note: vine.string().trim().maxLength(255).optional(),
  }
}

/** A booking made at the desk for a walk-in or a phone call. */
export const staffBookingValidator = vine.compile(
  vine.object({
    service_id: recordId(),
    date: isoDate(),
    time: clockTime(),
    resource_id: recordId().optional(),
    ...customerFields(),
    request_id: requestId(),
  })
)

/** Free times of a service on a day (the desk's and the reschedule form's time picker). */
export const bookingTimesValidator = vine.compile(
  vine.object({
    service_id: recordId().optional(),
    date: isoDate().optional(),
  })
)

export const bookingActionValidator = vine.compile(vine.object({ request_id: requestId() }))

/**
 * Starting a session: `outside_window` asks to start it outside the arrival window, with a
 * reason (BookingService.start refuses the override without one, 422).
 */
export const startBookingValidator = vine.compile(
  vine.object({
    outside_window: vine.boolean().optional(),
    reason: vine.string().trim().maxLength(255).nullable().optional(),
    request_id: requestId(),
  })
)

export const cancelBookingValidator = vine.compile(
  vine.object({
    reason: vine.string().trim().minLength(2).maxLength(255),
    request_id: requestId(),
  })
)

export const rescheduleBookingValidator = vine.compile(
  vine.object({
    date: isoDate(),
    time: clockTime(),
    request_id: requestId(),
  })
)

/** An admin sets a status by hand; the reason is required and kept on the booking's history. */
export const overrideBookingValidator = vine.compile(
  vine.object({
    status: vine.enum(BOOKING_STATUSES),
    reason: vine.string().trim().minLength(3).maxLength(255),
    request_id: requestId(),
  })
)

/*
|--------------------------------------------------------------------------
| Admin: resources and booking settings
|--------------------------------------------------------------------------
*/
/** A bookable resource; its name is unique in the branch (`branchId`, and the edited `id`, in meta). */
export const resourceValidator = vine.withMetaData<BranchMeta>().compile(
  vine.object({
    kind: vine.enum(RESOURCE_KINDS),
    name: vine
      .string()
      .trim()
      .minLength(1)
      .maxLength(80)
      .unique(uniqueInBranch('resources', 'name')),
    service_ids: vine.array(recordId()).distinct().optional(),
    days: weekHours().distinct('weekday').optional(),
    is_active: vine.boolean().optional(),
  })
)

/** Every booking setting but the payment gateway, with the bounds that keep bookings workable. */
const settingsFields = {
  session_duration_minutes: vine.number().withoutDecimals().range([1, 480]),
  arrival_tolerance_minutes: vine.number().withoutDecimals().range([0, 240]),
  early_checkin_minutes: vine.number().withoutDecimals().range([0, 1440]),
  slot_minutes: vine.number().withoutDecimals().range([5, 240]),
  quota_per_slot: vine.number().withoutDecimals().range([1, 100]),
  payment_minutes: vine.number().withoutDecimals().range([5, 1440]),
  cancellation_cutoff_minutes: vine.number().withoutDecimals().range([0, 10080]),
  no_show_grace_minutes: vine.number().withoutDecimals().range([0, 1440]),
  blending_mode: vine.enum(BLENDING_MODES),
  blending_auto_minutes: vine.number().withoutDecimals().range([1, 240]),
}

/** The admin form: every number and the blending mode; the reminder checkboxes are off when absent. */
export const bookingSettingsValidator = vine.compile(
  vine.object({
    ...settingsFields,
    reminder_day_before: vine.boolean().optional(),
    reminder_hour_before: vine.boolean().optional(),
  })
)

/*
|--------------------------------------------------------------------------
| REST API
|--------------------------------------------------------------------------
*/
/** `POST /api/v1/appointments`. */
export const appointmentValidator = vine.compile(
  vine.object({
    branch_id: recordId(),
    service_id: recordId(),
    date: isoDate(),
    time: clockTime(),
    resource_id: recordId().optional(),
    ...customerFields(),
  })
)

/** `GET /api/v1/bookings?status=&date=&branch_id=&page=&per_page=`. */
export const apiBookingsValidator = vine.compile(
  vine.object({
    status: vine.enum(BOOKING_STATUSES).optional(),
    date: isoDate().optional(),
    branch_id: recordId().optional(),
    page: recordId().optional(),
    per_page: vine.number().withoutDecimals().range([1, 500]).optional(),
  })
)

/** `POST /api/v1/sessions/:id/override`. */
export const apiOverrideValidator = vine.compile(
  vine.object({
    status: vine.enum(BOOKING_STATUSES),
    reason: vine.string().trim().minLength(3).maxLength(255),
  })
)

/** `PUT /api/v1/settings`: any of the settings; those left out keep their value. */
export const apiBookingSettingsValidator = vine.compile(
  vine.object({
    session_duration_minutes: settingsFields.session_duration_minutes.clone().optional(),
    arrival_tolerance_minutes: settingsFields.arrival_tolerance_minutes.clone().optional(),
    early_checkin_minutes: settingsFields.early_checkin_minutes.clone().optional(),
    slot_minutes: settingsFields.slot_minutes.clone().optional(),
    quota_per_slot: settingsFields.quota_per_slot.clone().optional(),
    payment_minutes: settingsFields.payment_minutes.clone().optional(),
    cancellation_cutoff_minutes: settingsFields.cancellation_cutoff_minutes.clone().optional(),
    no_show_grace_minutes: settingsFields.no_show_grace_minutes.clone().optional(),
    blending_mode: vine.enum(BLENDING_MODES).optional(),
    blending_auto_minutes: settingsFields.blending_auto_minutes.clone().optional(),
    reminder_day_before: vine.boolean({ strict: true }).optional(),
    reminder_hour_before: vine.boolean({ strict: true }).optional(),
  })
)

/** The day a customer looks at on the public booking pages. */
export const publicBookingDayValidator = vine.compile(vine.object({ date: isoDate().optional() }))

/** A customer books a time: the service, the day and time, who they are, and an id that makes a double tap harmless. */
export const publicBookingValidator = vine.compile(
  vine.object({
    service_id: vine.number().positive().withoutDecimals(),
    date: isoDate(),
    time: clockTime(),
    name: vine.string().trim().minLength(2).maxLength(120),
    phone: vine.string().trim().maxLength(30),
    email: vine.string().trim().email().maxLength(190).optional(),
    note: vine.string().trim().maxLength(255).optional(),
    request_id: vine.string().trim().uuid(),
  })
)

/** The customer moves their booking to another time. */
export const publicRescheduleValidator = vine.compile(
  vine.object({ date: isoDate(), time: clockTime() })
)

/** The customer cancels, optionally saying why. */
export const publicCancelValidator = vine.compile(
  vine.object({ reason: vine.string().trim().maxLength(255).optional() })
)
