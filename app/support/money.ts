/** Digits after the decimal point people write for each currency (IDR is written in whole rupiah). */
const SHOWN_DECIMALS: Record<string, number> = { IDR: 0, MYR: 2 }

/**
 * An amount kept in minor units (hundredths: sen) as people read it: `Rp 25.000`, `RM 25.00`.
 * Loket stores every amount as an integer of minor units.
 */
export function formatMoney(minor: number, currency: string, locale = 'id') {
  const decimals = SHOWN_DECIMALS[currency] ?? 2
  return new Intl.NumberFormat(locale === 'en' ? 'en-US' : locale === 'ms' ? 'ms-MY' : 'id-ID', {
    style: 'currency',
    currency,
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(minor / 100)
}
