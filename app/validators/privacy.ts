import vine from '@vinejs/vine'
import { RETENTION_KINDS } from '#services/privacy/personal_data_map'
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from '#services/privacy/privacy_settings'
import { CONSENT_CHANNELS } from '#services/privacy/consent_ledger'

/** Who to look for: a phone number or an email address. */
export const privacyQueryValidator = vine.compile(
  vine.object({ q: vine.string().trim().minLength(3).maxLength(254) })
)

/** Erasing: the person, and the same phone or email typed again. */
export const privacyEraseValidator = vine.compile(
  vine.object({
    q: vine.string().trim().minLength(3).maxLength(254),
    confirm: vine.string().trim().maxLength(254),
  })
)

/** Staff recording a person's consent or its withdrawal. */
export const privacyConsentValidator = vine.compile(
  vine.object({
    q: vine.string().trim().minLength(3).maxLength(254),
    channel: vine.enum(CONSENT_CHANNELS),
    status: vine.enum(['granted', 'withdrawn'] as const),
  })
)

/** Retention days per kind (empty: kept) and the IP allow-list (one CIDR per line). */
export const privacySettingsValidator = vine.compile(
  vine.object({
    retention: vine
      .object(
        Object.fromEntries(
          RETENTION_KINDS.map((kind) => [
            kind,
            vine
              .number()
              .withoutDecimals()
              .range([MIN_RETENTION_DAYS, MAX_RETENTION_DAYS])
              .optional()
              .nullable(),
          ])
        ) as Record<(typeof RETENTION_KINDS)[number], any>
      )
      .optional(),
    ip_allow_list: vine.string().trim().maxLength(4000).optional().nullable(),
  })
)
