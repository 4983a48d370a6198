/** Indonesian, English and Malay words of someone asking to buy. */
export const DEFAULT_LEAD_KEYWORDS = [
  'harga',
  'daftar',
  'berlangganan',
  'langganan',
  'langgan',
  'demo',
  'paket',
  'beli',
  'trial',
  'price',
  'pricing',
  'subscribe',
  'subscription',
  'quotation',
  'sebut harga',
] as const

/** Indonesian, English and Malay words of a customer with a problem. */
export const DEFAULT_SUPPORT_KEYWORDS = [
  'error',
  'rusak',
  'tidak bisa',
  'gagal',
  'printer',
  'kendala',
  'masalah',
  'macet',
  'not working',
  'cannot',
  'tak boleh',
  'tidak boleh',
  'rosak',
  'ralat',
] as const

/** A keyword as stored: trimmed, lower-case, inner spaces single, 1 to 40 characters. */
export function normalizeKeyword(raw: string) {
  return raw.trim().toLowerCase().replace(/\s+/g, ' ').slice(0, 40)
}

/**
 * How a tenant's leads work: the keywords that make an unknown number's first message a lead or
 * a support ticket, who new leads go to (the sales manager, else sales in turn), whether the
 * public form `/lead/:slug` takes leads, and which bookable service is the onboarding. Stored
 * as JSON on the tenant (`lead_settings`); every field has a default. Managers change them.
 */
export interface LeadSettings {
  /**
   * Whether an unknown number's first WhatsApp message is read for a lead at all (off by default:
   * a clinic's or workshop's patients asking a price are not prospects of a sales team).
   */
  whatsappLeads: boolean
  leadKeywords: string[]
  supportKeywords: string[]
  /** The user new leads go to; null: sales in turn (round-robin). */
  salesManagerId: number | null
  /** Whether the public form takes leads. */
  publicForm: boolean
  /** The bookable service ("Onboarding") whose resources are the merchant-success team. */
  onboardingServiceId: number | null
}

export const DEFAULT_LEAD_SETTINGS: LeadSettings = {
  whatsappLeads: false,
  leadKeywords: [...DEFAULT_LEAD_KEYWORDS],
  supportKeywords: [...DEFAULT_SUPPORT_KEYWORDS],
  salesManagerId: null,
  publicForm: false,
  onboardingServiceId: null,
}

const keywordList = (value: unknown) =>
  Array.isArray(value) && value.every((word) => typeof word === 'string')
    ? [...new Set(value.map(normalizeKeyword).filter(Boolean))]
    : null

const idOrNull = (value: unknown) =>
  Number.isInteger(value) && (value as number) > 0 ? (value as number) : null

/** The settings stored on a tenant, completed with defaults; unknown or broken JSON reads as defaults. */
export function parseLeadSettings(raw: string | null | undefined): LeadSettings {
  const defaults = DEFAULT_LEAD_SETTINGS
  if (!raw) return { ...defaults }
  try {
    const stored = JSON.parse(raw) as Partial<LeadSettings>
    return {
      whatsappLeads:
        typeof stored.whatsappLeads === 'boolean' ? stored.whatsappLeads : defaults.whatsappLeads,
      leadKeywords: keywordList(stored.leadKeywords) ?? defaults.leadKeywords,
      supportKeywords: keywordList(stored.supportKeywords) ?? defaults.supportKeywords,
      salesManagerId: idOrNull(stored.salesManagerId),
      publicForm: typeof stored.publicForm === 'boolean' ? stored.publicForm : defaults.publicForm,
      onboardingServiceId: idOrNull(stored.onboardingServiceId),
    }
  } catch {
    return { ...defaults }
  }
}
