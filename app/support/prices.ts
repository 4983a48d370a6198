import { formatMoney } from '#support/money'

/*
| Prices of services and bookings: typed by admins in the currency's major unit, kept in minor
| units (x100), shown the way the currency's own country writes them.
*/

/** Digits after the decimal point an amount of each currency is typed with (rupiah are whole). */
const TYPED_DECIMALS: Record<string, number> = { IDR: 0, MYR: 2 }

/**
 * An amount as a person types it in the currency's major unit, in minor units (x100): `25000`,
 * `25.000` or `25 000` rupiah -> 2500000; `25.50` or `25,50` ringgit -> 2550; `1,250.50` -> 125050.
 * A separator followed by three digits groups thousands; a last one followed by one or two digits
 * is the decimal point. Null for anything else (letters, a negative amount, three decimals).
 */
export function parseMajorAmount(text: string): number | null {
  const typed = text.trim().replace(/\s+/g, '')
  if (!/^\d[\d.,]*$/.test(typed)) return null
  const decimal = /[.,](\d{1,2})$/.exec(typed)
  const whole = decimal ? typed.slice(0, decimal.index) : typed
  if (!/^\d{1,3}([.,]\d{3})*$|^\d+$/.test(whole)) return null
  const units = Number(whole.replace(/[.,]/g, ''))
  const cents = decimal ? Number(decimal[1].padEnd(2, '0')) : 0
  const minor = units * 100 + cents
  return Number.isSafeInteger(minor) ? minor : null
}

/** Minor units as the form's field shows them again: 2500000 IDR -> `25000`, 2550 MYR -> `25.50`. */
export function majorAmountText(minor: number, currency: string) {
  return (minor / 100).toFixed(TYPED_DECIMALS[currency] ?? 2)
}

/** The language whose way of writing amounts a currency is shown in: `Rp 25.000`, `RM 25.00`. */
const HOME_LOCALES: Record<string, string> = { IDR: 'id', MYR: 'ms' }

/** A price in minor units as its currency's country writes it, whatever the reader's language: `Rp 25.000`, `RM 25.50`. */
export function formatPrice(minor: number, currency: string) {
  return formatMoney(minor, currency, HOME_LOCALES[currency] ?? 'en')
}
