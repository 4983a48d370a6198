/**
 * Phone numbers as visitors type them (0812-3456-7890, 62812..., +60 12-345 6789) normalized to
 * E.164 (+6281234567890). Numbers starting with 0 are read in the branch's country: Indonesia
 * (+62) or, for Malaysian branches, Malaysia (+60). Returns null for anything that is not a phone
 * number.
 */
export function normalizePhone(input: string, country: 'ID' | 'MY' = 'ID'): string | null {
  const trimmed = input.trim()
  if (!/^\+?[\d\s\-().]+$/.test(trimmed)) return null
  let digits = trimmed.replace(/\D/g, '')
  if (trimmed.startsWith('+')) {
    // already international
  } else if (digits.startsWith('00')) {
    digits = digits.slice(2)
  } else if (digits.startsWith('0')) {
    digits = (country === 'MY' ? '60' : '62') + digits.slice(1)
  } else if (country === 'ID' && digits.startsWith('8')) {
    digits = '62' + digits
  }
  if (digits.length < 9 || digits.length > 15) return null
  return `+${digits}`
}

/** The country whose numbers a branch's visitors most likely type, from its time zone. */
export function countryOfTimezone(timezone: string): 'ID' | 'MY' {
  return timezone === 'Asia/Kuala_Lumpur' ? 'MY' : 'ID'
}
