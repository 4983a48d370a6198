import type { DateTime } from 'luxon'

/*
| A tenant's account with an outside provider (a WhatsApp, SMS or SMTP channel, a payment gateway)
| is a JSON settings row edited on an admin form: these are the parts both kinds share.
*/

/** The fields of one provider's form. */
export interface ProviderFields {
  /** Shown on the page and recorded in the audit log when they change. */
  visible: string[]
  /** Shown on the page (they must be pasted elsewhere) but kept out of the audit log. */
  shown?: string[]
  /** Write-only: the page says whether one is stored; a blank field keeps it. Never in the audit log. */
  secrets: string[]
  defaults: Record<string, unknown>
}

interface SettingsRow {
  isActive: boolean
  settings: Record<string, any>
  updatedAt: DateTime | null
}

/** The account as its admin card shows it: no secret leaves this object, only whether one is stored. */
export function settingsCard(row: SettingsRow | undefined, fields: ProviderFields) {
  const settings = row?.settings ?? {}
  return {
    configured: Boolean(row),
    isActive: row?.isActive ?? false,
    values: Object.fromEntries(
      [...fields.visible, ...(fields.shown ?? [])].map((key) => [
        key,
        settings[key] ?? fields.defaults[key] ?? null,
      ])
    ),
    secretsSet: Object.fromEntries(fields.secrets.map((key) => [key, Boolean(settings[key])])),
    updatedAt: row?.updatedAt ?? null,
  }
}

/** The secrets already stored (the form may leave them blank). */
export function storedSecrets(row: SettingsRow | null | undefined, fields: ProviderFields) {
  return fields.secrets.filter((key) => Boolean(row?.settings[key]))
}

/** Copies the secrets the form filled in onto `after`; a blank one keeps what is stored. */
export function takeSecrets(
  after: Record<string, unknown>,
  input: Record<string, unknown>,
  fields: ProviderFields
) {
  for (const key of fields.secrets) {
    if (typeof input[key] === 'string' && input[key] !== '') after[key] = input[key]
  }
}
