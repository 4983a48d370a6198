import vine from '@vinejs/vine'
import { isoDate, recordId } from '#validators/fields'
import { JOB_PRIORITIES, JOB_STATUSES, MAX_EXTENSION_DAYS, MAX_JOB_QUOTA } from '#enums/field'
import { REGISTRATION_SEPARATORS } from '#models/settings/field_settings'

/*
| Field service forms: a job (CS), the job list's filters, the steps technicians and CS take on a
| job, attendance with an optional location, and the admin's field settings.
*/

const requestId = () => vine.string().trim().maxLength(64).optional()
const reason = () => vine.string().trim().minLength(2).maxLength(255)

/** A visit job as CS types it; the address may be left empty to use the customer's. */
export const jobValidator = vine.compile(
  vine.object({
    customer_id: recordId(),
    title: vine.string().trim().minLength(3).maxLength(120),
    description: vine.string().trim().maxLength(2000).optional(),
    address: vine.string().trim().maxLength(500).optional(),
    planned_start: isoDate(),
    planned_end: isoDate(),
    quota: vine.number().withoutDecimals().range([1, MAX_JOB_QUOTA]),
    priority: vine.enum(JOB_PRIORITIES),
    request_id: requestId(),
  })
)

export const jobFilterValidator = vine.compile(
  vine.object({
    status: vine.enum(JOB_STATUSES).optional(),
    priority: vine.enum(JOB_PRIORITIES).optional(),
    technician_id: recordId().optional(),
    from: isoDate().optional(),
    to: isoDate().optional(),
    q: vine.string().trim().maxLength(80).optional(),
    page: vine.number().withoutDecimals().range([1, 100_000]).optional(),
  })
)

/** A one-click step (claim, start, finish): only its request id, so a double tap counts once. */
export const jobStepValidator = vine.compile(vine.object({ request_id: requestId() }))

/** A step that needs a reason: release, cancel, return to the pool. */
export const jobReasonValidator = vine.compile(
  vine.object({ reason: reason(), request_id: requestId() })
)

export const returnToPoolValidator = vine.compile(
  vine.object({ technician_id: recordId(), reason: reason(), request_id: requestId() })
)

export const closeJobValidator = vine.compile(
  vine.object({ note: vine.string().trim().maxLength(255).optional(), request_id: requestId() })
)

export const jobNoteValidator = vine.compile(
  vine.object({
    text: vine.string().trim().minLength(1).maxLength(2000),
    request_id: requestId(),
  })
)

export const extensionRequestValidator = vine.compile(
  vine.object({
    days: vine.number().withoutDecimals().range([1, MAX_EXTENSION_DAYS]),
    reason: vine.string().trim().minLength(3).maxLength(500),
    request_id: requestId(),
  })
)

export const extensionDecisionValidator = vine.compile(
  vine.object({
    decision: vine.enum(['approve', 'reject'] as const),
    note: vine.string().trim().maxLength(255).optional(),
    request_id: requestId(),
  })
)

/** A check-in or out; the browser's location only when the technician allowed it. */
export const attendanceValidator = vine.compile(
  vine.object({
    latitude: vine.number().range([-90, 90]).optional().requiredIfExists('longitude'),
    longitude: vine.number().range([-180, 180]).optional().requiredIfExists('latitude'),
  })
)

export const jobPhotoValidator = vine.compile(
  vine.object({
    photo: vine.file({ size: '8mb', extnames: ['jpg', 'jpeg', 'png', 'webp'] }),
    caption: vine.string().trim().maxLength(255).optional(),
  })
)

export const fieldSettingsValidator = vine.compile(
  vine.object({
    registration_keyword: vine
      .string()
      .trim()
      .regex(/^\p{L}[\p{L}\d]{0,19}$/u),
    registration_separator: vine.enum(REGISTRATION_SEPARATORS),
    work_starts_at: vine
      .string()
      .trim()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    late_grace_minutes: vine.number().withoutDecimals().range([0, 240]),
  })
)
