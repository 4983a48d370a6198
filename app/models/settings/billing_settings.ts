/**
 * How a tenant bills and asks for ratings. Stored as JSON on the tenant; every field has a
 * default, and the tax defaults follow the tenant's currency (PPN for rupiah, SST for ringgit).
 * Owners and admins change them (Admin -> Invoices and ratings).
 */
export interface BillingSettings {
  /** `ppn` (Indonesia, a PKP seller), `sst` (Malaysia) or `none` (no tax line). */
  taxMode: TaxMode
  /** The rate in basis points: 1200 = 12% (PPN), 800 = 8% (SST on services). */
  taxRateBp: number
  /** Whether the prices typed on lines already include the tax. */
  pricesIncludeTax: boolean
  /**
   * The invoice number: `{YYYY}`, `{YY}`, `{MM}` and `{N}` (the sequence, zero-padded to as many
   * digits as there are N: `{NNNN}`). The sequence restarts each month when `{MM}` is in the format,
   * else each year.
   */
  numberFormat: string
  /** Days between approval and the due date. */
  paymentTermsDays: number
  /** The letterhead beside the tenant's name and logo. */
  legalName: string
  address: string
  taxId: string
  /** Printed at the foot of the invoice (bank account, how to pay). */
  paymentInstructions: string
  /** Whether finished work asks the customer for a rating. */
  ratingsEnabled: boolean
  /** How long after the work finished the rating link goes out, and how many days it stays open. */
  ratingDelayMinutes: number
  ratingExpiryDays: number
  /** A score at or below this alerts the supervisors (1-5; 2 = one and two stars). */
  lowRatingThreshold: number
}

export const TAX_MODES = ['ppn', 'sst', 'none'] as const
export type TaxMode = (typeof TAX_MODES)[number]

/** `{YYYY}/{MM}/{NNNN}` style tokens the number format may use. */
export const NUMBER_FORMAT_PATTERN =
  /^[A-Za-z0-9/\-_.]{0,20}(\{(YYYY|YY|MM|N{1,8})\}[A-Za-z0-9/\-_.]{0,20}){1,6}$/

export function defaultBillingSettings(currency: string): BillingSettings {
  const malaysian = currency === 'MYR'
  return {
    taxMode: malaysian ? 'sst' : 'ppn',
    taxRateBp: malaysian ? 800 : 1200,
    pricesIncludeTax: false,
    numberFormat: 'INV/{YYYY}/{MM}/{NNNN}',
    paymentTermsDays: 14,
    legalName: '',
    address: '',
    taxId: '',
    paymentInstructions: '',
    ratingsEnabled: true,
    ratingDelayMinutes: 30,
    ratingExpiryDays: 7,
    lowRatingThreshold: 2,
  }
}

/** Whether a number format holds exactly one sequence token, so that numbers cannot repeat. */
export function validNumberFormat(format: string) {
  return NUMBER_FORMAT_PATTERN.test(format) && (format.match(/\{N+\}/g) ?? []).length === 1
}

const whole = (value: unknown, min: number, max: number) =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max

/** The settings stored on a tenant, completed with defaults; unknown or broken JSON reads as defaults. */
export function parseBillingSettings(raw: string | null | undefined, currency: string) {
  const defaults = defaultBillingSettings(currency)
  if (!raw) return defaults
  try {
    const stored = JSON.parse(raw) as Partial<BillingSettings>
    const settings = { ...defaults, ...stored }
    if (!(TAX_MODES as readonly string[]).includes(settings.taxMode))
      settings.taxMode = defaults.taxMode
    if (!whole(settings.taxRateBp, 0, 5000)) settings.taxRateBp = defaults.taxRateBp
    if (typeof settings.pricesIncludeTax !== 'boolean')
      settings.pricesIncludeTax = defaults.pricesIncludeTax
    if (typeof settings.numberFormat !== 'string' || !validNumberFormat(settings.numberFormat))
      settings.numberFormat = defaults.numberFormat
    if (!whole(settings.paymentTermsDays, 0, 365))
      settings.paymentTermsDays = defaults.paymentTermsDays
    for (const key of ['legalName', 'address', 'taxId', 'paymentInstructions'] as const)
      if (typeof settings[key] !== 'string') settings[key] = defaults[key]
    if (typeof settings.ratingsEnabled !== 'boolean')
      settings.ratingsEnabled = defaults.ratingsEnabled
    if (!whole(settings.ratingDelayMinutes, 0, 7 * 24 * 60))
      settings.ratingDelayMinutes = defaults.ratingDelayMinutes
    if (!whole(settings.ratingExpiryDays, 1, 90))
      settings.ratingExpiryDays = defaults.ratingExpiryDays
    if (!whole(settings.lowRatingThreshold, 1, 4))
      settings.lowRatingThreshold = defaults.lowRatingThreshold
    return settings
  } catch {
    return defaults
  }
}
