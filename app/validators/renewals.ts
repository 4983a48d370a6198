import vine from '@vinejs/vine'
import type { I18n } from '@adonisjs/i18n'
import { formMessages } from '#validators/fields'
import { OUTLET_ID_PATTERN } from '#models/outlet'
import { parseDay } from '#services/inbox/outlet_directory'
import { parseOffsets, RENEWAL_LIMITS } from '#models/settings/renewal_settings'
import { MANUAL_STEPS, RENEWAL_TABS } from '#enums/renewals'

/*
| Renewals (seed 004 Renewal Flow): the board's filter, a call or note logged by the renewal
| team, the POS source and the renewal settings, and the POS's webhook pushes. Messages in
| resources/lang/<locale>/renewals.json (`renewals.validator`).
*/

export const renewalMessages = (i18n: I18n) => formMessages(i18n, 'renewals.validator')

/** Day offsets written `-14, -7, -1, +3` (parseOffsets) within `min`..`max`. */
const offsets = vine.createRule((value, options: { min: number; max: number }, field) => {
  if (typeof value !== 'string') return
  if (!parseOffsets(value, options))
    field.report('The {{ field }} field must be days such as -14, -7, -1, +3', 'offsets', field)
})

/** A dot path into a POS row (`outlet.code`), or nothing. */
const dotPath = () =>
  vine
    .string()
    .trim()
    .maxLength(120)
    .regex(/^[\w-]+(\.[\w-]+)*$/)
    .optional()

const time = () =>
  vine
    .string()
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)

export const renewalBoardValidator = vine.compile(
  vine.object({
    tab: vine.enum(RENEWAL_TABS).optional(),
    page: vine.number().withoutDecimals().min(1).max(100_000).optional(),
  })
)

export const renewalLogValidator = vine.compile(
  vine.object({
    kind: vine.enum(MANUAL_STEPS),
    note: vine.string().trim().minLength(1).maxLength(2000),
  })
)

export const posSourceValidator = vine.compile(
  vine.object({
    endpoint_url: vine
      .string()
      .trim()
      .maxLength(500)
      .url({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
      .optional(),
    auth_header: vine
      .string()
      .trim()
      .maxLength(80)
      .regex(/^[A-Za-z0-9-]+$/)
      .optional(),
    /** Empty keeps the stored value. */
    auth_value: vine.string().trim().maxLength(500).optional(),
    clear_auth: vine.boolean().optional(),
    page_param: vine
      .string()
      .trim()
      .maxLength(40)
      .regex(/^[\w-]+$/)
      .optional(),
    timeout_seconds: vine.number().withoutDecimals().min(1).max(120),
    is_enabled: vine.boolean().optional(),
    map_fid: dotPath(),
    map_oid: dotPath(),
    map_name: dotPath(),
    map_address: dotPath(),
    map_phone: dotPath(),
    map_expires_on: dotPath(),
    map_status: dotPath(),
    map_items: dotPath(),
    map_last_page: dotPath(),
  })
)

export const renewalSettingsValidator = vine.compile(
  vine.object({
    cadence: vine
      .string()
      .trim()
      .maxLength(80)
      .use(offsets({ min: -RENEWAL_LIMITS.maxOffset, max: RENEWAL_LIMITS.maxOffset })),
    attempt_cap: vine.number().withoutDecimals().min(1).max(RENEWAL_LIMITS.maxCap),
    quiet_start: time(),
    quiet_end: time(),
    winback: vine
      .string()
      .trim()
      .maxLength(80)
      .use(offsets({ min: 1, max: RENEWAL_LIMITS.maxWinback }))
      .optional(),
    horizon_days: vine.number().withoutDecimals().min(1).max(RENEWAL_LIMITS.maxHorizon),
  })
)

/** A real calendar day (`YYYY-MM-DD`, or `DD/MM/YYYY` as a POS may write it). */
const day = vine.createRule((value, _, field) => {
  if (typeof value === 'string' && !parseDay(value))
    field.report('The {{ field }} field must be a date', 'real_day', field)
})

/** `payment.received`'s data: which outlet, paid until when. */
export const posPaymentValidator = vine.compile(
  vine.object({
    fid: vine.string().trim().minLength(1).maxLength(40).regex(OUTLET_ID_PATTERN),
    oid: vine.string().trim().minLength(1).maxLength(40).regex(OUTLET_ID_PATTERN),
    paid_until: vine.string().trim().maxLength(30).use(day()),
  })
)
