import vine from '@vinejs/vine'
import { isoDate, clockTime, recordId } from '#validators/fields'
import { LEAD_STATUSES } from '#enums/lead'

/*
| The leads' forms: the pipeline's filter, a lead entered by sales or by the public form, a lead's
| owner, notes and next step, a move, booking the onboarding, the thread's correction and the
| lead settings. Phones are checked and stored in E.164 by the service.
*/

/** A local date and time from a `datetime-local` field: `2026-03-01T14:30`. */
const localDateTime = () =>
  vine
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/)

export const leadFilterValidator = vine.compile(
  vine.object({
    status: vine.enum(LEAD_STATUSES).optional(),
    /** `me`, `none` (nobody yet) or a user id. */
    owner: vine
      .string()
      .trim()
      .regex(/^(me|none|\d{1,10})$/)
      .optional(),
    page: vine.number().positive().withoutDecimals().optional(),
  })
)

const leadFields = {
  name: vine.string().trim().minLength(2).maxLength(160),
  business: vine.string().trim().maxLength(160).optional(),
  phone: vine.string().trim().minLength(6).maxLength(30),
  email: vine.string().trim().email().maxLength(254).optional(),
  interest: vine.string().trim().maxLength(500).optional(),
}

export const leadValidator = vine.compile(
  vine.object({
    ...leadFields,
    notes: vine.string().trim().maxLength(5000).optional(),
    owner_id: recordId().optional(),
    next_step: vine.string().trim().maxLength(255).optional(),
    next_step_at: localDateTime().optional(),
  })
)

/** The public form: the same fields and a honeypot (`website`) that people leave empty. */
export const publicLeadValidator = vine.compile(
  vine.object({
    ...leadFields,
    website: vine.string().optional(),
  })
)

export const leadUpdateValidator = vine.compile(
  vine.object({
    owner_id: recordId().optional(),
    notes: vine.string().trim().maxLength(5000).optional(),
    next_step: vine.string().trim().maxLength(255).optional(),
    next_step_at: localDateTime().optional(),
  })
)

export const leadMoveValidator = vine.compile(
  vine.object({
    status: vine.enum(LEAD_STATUSES),
    note: vine.string().trim().maxLength(500).optional(),
    lost_reason: vine.string().trim().maxLength(255).optional(),
  })
)

export const onboardingValidator = vine.compile(
  vine.object({
    date: isoDate(),
    time: clockTime(),
    resource_id: recordId().optional(),
    request_id: vine.string().trim().maxLength(40),
  })
)

export const onboardingDateValidator = vine.compile(vine.object({ date: isoDate().optional() }))

export const rerouteValidator = vine.compile(
  vine.object({ kind: vine.enum(['lead', 'support'] as const) })
)

export const leadSettingsValidator = vine.compile(
  vine.object({
    lead_keywords: vine.string().trim().maxLength(4000),
    support_keywords: vine.string().trim().maxLength(4000),
    sales_manager_id: recordId().optional(),
    public_form: vine.boolean().optional(),
    whatsapp_leads: vine.boolean().optional(),
    onboarding_service_id: recordId().optional(),
  })
)
