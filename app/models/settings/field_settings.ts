/**
 * How a tenant's field service works. Stored as JSON on the tenant; every field has a default.
 * Owners and admins change them (Admin -> Field service).
 */
export interface FieldSettings {
  /**
   * The WhatsApp self-registration format: the keyword, then the name and the address, split by
   * the separator (`DAFTAR#Nama#Alamat`). The keyword is matched in any case.
   */
  registrationKeyword: string
  registrationSeparator: string
  /** When technicians' working day starts (branch-local `HH:MM`), and how late a check-in may be before it is flagged. */
  workStartsAt: string
  lateGraceMinutes: number
}

export const DEFAULT_FIELD_SETTINGS: FieldSettings = {
  registrationKeyword: 'DAFTAR',
  registrationSeparator: '#',
  workStartsAt: '08:00',
  lateGraceMinutes: 15,
}

/** Separators a registration format may use. */
export const REGISTRATION_SEPARATORS = ['#', '*', '|', ';', ','] as const

/** The settings stored on a tenant, completed with defaults; unknown or broken JSON reads as defaults. */
export function parseFieldSettings(raw: string | null | undefined): FieldSettings {
  const defaults = { ...DEFAULT_FIELD_SETTINGS }
  if (!raw) return defaults
  try {
    const stored = JSON.parse(raw) as Partial<FieldSettings>
    const settings = { ...defaults, ...stored }
    if (!/^\p{L}[\p{L}\d]{0,19}$/u.test(settings.registrationKeyword))
      settings.registrationKeyword = defaults.registrationKeyword
    if (!(REGISTRATION_SEPARATORS as readonly string[]).includes(settings.registrationSeparator))
      settings.registrationSeparator = defaults.registrationSeparator
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(settings.workStartsAt))
      settings.workStartsAt = defaults.workStartsAt
    if (!Number.isInteger(settings.lateGraceMinutes) || settings.lateGraceMinutes < 0)
      settings.lateGraceMinutes = defaults.lateGraceMinutes
    return settings
  } catch {
    return defaults
  }
}
