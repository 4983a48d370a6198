import DomainError from '#exceptions/domain_error'
import {
  CATEGORY_KEY,
  type InboxSettings,
  type InboxTemplate,
} from '#models/settings/inbox_settings'

/**
 * The inbox settings as the form writes them, one a line:
 *   categories `key | label` or `key | label | first response minutes | resolution minutes`
 *   templates  `name | language | text with {{1}}, {{2}}`
 * A line that is neither is refused with its number (422), so the owner can correct it.
 */
export function parseCategories(text: string) {
  const categories: InboxSettings['categories'] = []
  const targets: InboxSettings['categoryTargets'] = {}
  for (const [index, line] of lines(text)) {
    const [key, label, first, resolution] = line.split('|').map((part) => part.trim())
    const whole = (value: string | undefined, max: number) =>
      value === undefined || (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= max)
    if (
      !CATEGORY_KEY.test(key ?? '') ||
      !label ||
      label.length > 80 ||
      !whole(first, 7 * 24 * 60) ||
      !whole(resolution, 90 * 24 * 60) ||
      categories.some((category) => category.key === key)
    )
      throw new DomainError('inbox_category_line', { line: index }, 422)
    categories.push({ key, label })
    if (first && resolution)
      targets[key] = { firstResponseMinutes: Number(first), resolutionMinutes: Number(resolution) }
  }
  if (categories.length === 0 || categories.length > 50)
    throw new DomainError('inbox_category_line', { line: 1 }, 422)
  return { categories, targets }
}

export function parseTemplates(text: string) {
  const templates: InboxTemplate[] = []
  for (const [index, line] of lines(text)) {
    const [name, language, ...rest] = line.split('|').map((part) => part.trim())
    const body = rest.join(' | ')
    if (
      !/^[a-z0-9_]{1,120}$/.test(name ?? '') ||
      !/^[a-z]{2}(_[A-Z]{2})?$/.test(language ?? '') ||
      !body
    )
      throw new DomainError('inbox_template_line', { line: index }, 422)
    templates.push({ name, language, body: body.slice(0, 1024) })
  }
  return templates.slice(0, 50)
}

/** The settings' lists as the form shows them. */
export function formatCategories(settings: InboxSettings) {
  return settings.categories
    .map((category) => {
      const own = settings.categoryTargets[category.key]
      const parts = [category.key, category.label]
      if (own) parts.push(String(own.firstResponseMinutes), String(own.resolutionMinutes))
      return parts.join(' | ')
    })
    .join('\n')
}

export function formatTemplates(settings: InboxSettings) {
  return settings.templates
    .map((template) => [template.name, template.language, template.body].join(' | '))
    .join('\n')
}

/** The non-blank lines with their numbers (1-based). */
function lines(text: string): [number, string][] {
  return text
    .split(/\r?\n/)
    .map((line, index): [number, string] => [index + 1, line.trim()])
    .filter(([, line]) => line !== '')
}
