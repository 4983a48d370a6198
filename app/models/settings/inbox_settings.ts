/**
 * How a tenant's WhatsApp inbox works: the categories its support tickets are filed under, the
 * SLA targets (first response and resolution, in business minutes of the tenant's calendar: the
 * main branch's opening hours and holidays) per category, how long a resolved conversation
 * reopens on a new message, and whether a resolved ticket asks for a CSAT rating. Stored as JSON
 * on the tenant; every field has a default. Owners, admins and supervisors change them.
 */
export interface InboxSettings {
  /** Category keys (`billing`, `technical`) and their labels, in the order agents pick them. */
  categories: { key: string; label: string }[]
  /** The targets every ticket gets, unless its category has its own. */
  firstResponseMinutes: number
  resolutionMinutes: number
  /** Per-category targets by category key. */
  categoryTargets: Record<string, { firstResponseMinutes: number; resolutionMinutes: number }>
  /** A message within this many days of resolving reopens the ticket; later, a new one opens. */
  reopenDays: number
  /** Whether resolving a ticket sends the customer a rating link (CSAT). */
  csatEnabled: boolean
  /** Whether new tickets are given to the next available agent in turn (round-robin). */
  autoAssign: boolean
  /**
   * The approved WhatsApp templates agents may send outside the 24-hour window: the name Meta
   * approved, its language, its text with `{{1}}`, `{{2}}` ... where its parameters go.
   */
  templates: InboxTemplate[]
}

export interface InboxTemplate {
  name: string
  language: string
  body: string
}

export const DEFAULT_INBOX_SETTINGS: InboxSettings = {
  categories: [
    { key: 'question', label: 'Pertanyaan' },
    { key: 'technical', label: 'Kendala teknis' },
    { key: 'billing', label: 'Tagihan' },
    { key: 'renewal', label: 'Perpanjangan' },
  ],
  firstResponseMinutes: 5,
  resolutionMinutes: 8 * 60,
  categoryTargets: {},
  reopenDays: 7,
  csatEnabled: true,
  autoAssign: true,
  templates: [
    {
      name: 'loket_follow_up',
      language: 'id',
      body: 'Halo {{1}}, kami menindaklanjuti pesan Anda tentang {{2}}. Balas pesan ini agar kami bisa membantu.',
    },
  ],
}

/** How many parameters a template's text takes: its highest `{{n}}`. */
export function parameterCount(body: string) {
  return Math.max(0, ...[...body.matchAll(/\{\{(\d+)\}\}/g)].map((match) => Number(match[1])))
}

/** A category key: lower-case letters, digits, `-` and `_`. */
export const CATEGORY_KEY = /^[a-z0-9_-]{1,40}$/

const whole = (value: unknown, min: number, max: number) =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max

/** The settings stored on a tenant, completed with defaults; unknown or broken JSON reads as defaults. */
export function parseInboxSettings(raw: string | null | undefined): InboxSettings {
  const defaults = DEFAULT_INBOX_SETTINGS
  if (!raw) return { ...defaults }
  try {
    const stored = JSON.parse(raw) as Partial<InboxSettings>
    const settings = { ...defaults, ...stored }
    if (
      !Array.isArray(settings.categories) ||
      !settings.categories.every(
        (category) =>
          typeof category?.key === 'string' &&
          CATEGORY_KEY.test(category.key) &&
          typeof category.label === 'string'
      )
    )
      settings.categories = defaults.categories
    if (!whole(settings.firstResponseMinutes, 1, 7 * 24 * 60))
      settings.firstResponseMinutes = defaults.firstResponseMinutes
    if (!whole(settings.resolutionMinutes, 1, 90 * 24 * 60))
      settings.resolutionMinutes = defaults.resolutionMinutes
    if (typeof settings.categoryTargets !== 'object' || settings.categoryTargets === null)
      settings.categoryTargets = {}
    if (!whole(settings.reopenDays, 0, 90)) settings.reopenDays = defaults.reopenDays
    if (typeof settings.csatEnabled !== 'boolean') settings.csatEnabled = defaults.csatEnabled
    if (typeof settings.autoAssign !== 'boolean') settings.autoAssign = defaults.autoAssign
    if (
      !Array.isArray(settings.templates) ||
      !settings.templates.every(
        (template) =>
          typeof template?.name === 'string' &&
          typeof template.language === 'string' &&
          typeof template.body === 'string'
      )
    )
      settings.templates = defaults.templates
    return settings
  } catch {
    return { ...defaults }
  }
}

/** The SLA targets of a category (its own, else the tenant's), in minutes. */
export function targetsFor(settings: InboxSettings, category: string | null) {
  const own = category ? settings.categoryTargets[category] : undefined
  return {
    firstResponseMinutes:
      own && whole(own.firstResponseMinutes, 1, 7 * 24 * 60)
        ? own.firstResponseMinutes
        : settings.firstResponseMinutes,
    resolutionMinutes:
      own && whole(own.resolutionMinutes, 1, 90 * 24 * 60)
        ? own.resolutionMinutes
        : settings.resolutionMinutes,
  }
}
