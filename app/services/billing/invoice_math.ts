import type { TaxMode } from '#models/settings/billing_settings'

/*
| Invoice arithmetic. Every amount is an integer of minor units (x100, as Loket keeps all money).
|
| Rounding rules (tested in tests/unit/invoice_math.spec.ts):
| - A line is quantity x unit price, exactly. The subtotal is the sum of the lines; the discount is
|   an amount taken off the subtotal (never below zero); `net` is what remains.
| - Tax amounts are rounded half up to the currency's smallest written unit: whole rupiah for IDR
|   (PPN is an integer of rupiah), one sen for MYR.
| - PPN (Indonesia, since 2025): the base (DPP Nilai Lain) is 11/12 of the price before tax, rounded;
|   PPN is 12% of that base, rounded. The effective rate is 11%.
| - SST (Malaysia): the tax is the rate of the price before tax, rounded.
| - Prices excluding tax: the price before tax is `net`; total = net + tax.
| - Prices including tax: the total is `net`, exactly what the customer was quoted. The price before
|   tax is net / (1 + effective rate), rounded; the tax is the remainder (total - price before tax),
|   so the lines always add up to the total printed. The DPP is 11/12 of the price before tax.
*/

export interface TaxRule {
  mode: TaxMode
  /** Basis points: 1200 = 12%. */
  rateBp: number
  pricesIncludeTax: boolean
  currency: string
}

export interface LineInput {
  description: string
  quantity: number
  unitPrice: number
}

export interface InvoiceTotals {
  /** Each line's amount, in the order given. */
  lineAmounts: number[]
  subtotal: number
  discount: number
  /** Subtotal less the discount: the price as typed (including tax when the tenant types it so). */
  net: number
  /** The price before tax. */
  beforeTax: number
  /** What the tax is computed on: DPP (11/12 of the price before tax) for PPN, the price before tax for SST. */
  taxBase: number
  tax: number
  total: number
}

/** The smallest unit an amount of tax is written in, in minor units: whole rupiah, one sen. */
export function roundingUnit(currency: string) {
  return currency === 'IDR' ? 100 : 1
}

/** numerator / denominator, rounded half up to a multiple of `unit` (non-negative integers, exact). */
export function roundDiv(numerator: number | bigint, denominator: number | bigint, unit = 1) {
  const n = BigInt(numerator)
  const d = BigInt(denominator) * BigInt(unit)
  if (n < 0n || d <= 0n) throw new RangeError('roundDiv works on non-negative amounts')
  return Number(((2n * n + d) / (2n * d)) * BigInt(unit))
}

/** The tax's effective rate on the price before tax, in a fraction: PPN 12% on 11/12 = 11%. */
function effectiveRate(rule: TaxRule): [bigint, bigint] {
  if (rule.mode === 'none') return [0n, 1n]
  if (rule.mode === 'ppn') return [BigInt(rule.rateBp) * 11n, 12n * 10_000n]
  return [BigInt(rule.rateBp), 10_000n]
}

/** 11/12 of the price before tax for PPN; the price itself for SST; nothing without tax. */
function taxBaseOf(beforeTax: number, rule: TaxRule) {
  if (rule.mode === 'none') return 0
  if (rule.mode === 'ppn')
    return roundDiv(BigInt(beforeTax) * 11n, 12n, roundingUnit(rule.currency))
  return beforeTax
}

export function computeTotals(
  lines: Pick<LineInput, 'quantity' | 'unitPrice'>[],
  discount: number,
  rule: TaxRule
): InvoiceTotals {
  const lineAmounts = lines.map((line) => line.quantity * line.unitPrice)
  const subtotal = lineAmounts.reduce((sum, amount) => sum + amount, 0)
  const taken = Math.min(Math.max(0, discount), subtotal)
  const net = subtotal - taken
  const unit = roundingUnit(rule.currency)
  if (rule.mode === 'none' || rule.rateBp === 0) {
    return {
      lineAmounts,
      subtotal,
      discount: taken,
      net,
      beforeTax: net,
      taxBase: 0,
      tax: 0,
      total: net,
    }
  }
  if (rule.pricesIncludeTax) {
    const [rate, scale] = effectiveRate(rule)
    const beforeTax = roundDiv(BigInt(net) * scale, scale + rate, unit)
    return {
      lineAmounts,
      subtotal,
      discount: taken,
      net,
      beforeTax,
      taxBase: taxBaseOf(beforeTax, rule),
      tax: net - beforeTax,
      total: net,
    }
  }
  const taxBase = taxBaseOf(net, rule)
  const tax = roundDiv(BigInt(taxBase) * BigInt(rule.rateBp), 10_000n, unit)
  return {
    lineAmounts,
    subtotal,
    discount: taken,
    net,
    beforeTax: net,
    taxBase,
    tax,
    total: net + tax,
  }
}

const ID_UNITS = [
  '',
  'satu',
  'dua',
  'tiga',
  'empat',
  'lima',
  'enam',
  'tujuh',
  'delapan',
  'sembilan',
  'sepuluh',
  'sebelas',
]

/** The words of a language's numbers: Indonesian and Malay differ in 8, zero and the big scales. */
interface NumberWords {
  units: string[]
  zero: string
  scales: [number, string][]
}

const INDONESIAN: NumberWords = {
  units: ID_UNITS,
  zero: 'nol',
  scales: [
    [1e12, 'triliun'],
    [1e9, 'miliar'],
    [1e6, 'juta'],
    [1e3, 'ribu'],
  ],
}

const MALAY: NumberWords = {
  units: ID_UNITS.map((word) => (word === 'delapan' ? 'lapan' : word)),
  zero: 'kosong',
  scales: [
    [1e12, 'trilion'],
    [1e9, 'bilion'],
    [1e6, 'juta'],
    [1e3, 'ribu'],
  ],
}

function spell(value: number, { units, zero, scales }: NumberWords): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('a whole amount')
  if (value === 0) return zero
  const words = (n: number): string => {
    if (n < 12) return units[n]
    if (n < 20) return `${units[n - 10]} belas`
    if (n < 100) return join(`${units[Math.floor(n / 10)]} puluh`, words(n % 10))
    if (n < 200) return join('seratus', words(n - 100))
    if (n < 1000) return join(`${units[Math.floor(n / 100)]} ratus`, words(n % 100))
    if (n < 2000) return join('seribu', words(n - 1000))
    const [size, name] = scales.find(([scale]) => n >= scale)!
    return join(`${words(Math.floor(n / size))} ${name}`, words(n % size))
  }
  return words(value)
}

/** A whole number in Indonesian words: 1,250 -> "seribu dua ratus lima puluh". */
export function indonesianWords(value: number) {
  return spell(value, INDONESIAN)
}

/** A whole number in Malay words: 1,250 -> "seribu dua ratus lima puluh"; 8 is "lapan". */
export function malayWords(value: number) {
  return spell(value, MALAY)
}

function join(head: string, tail: string) {
  return tail ? `${head} ${tail}` : head
}

/**
 * An amount in minor units in words, as invoices write it: rupiah in Indonesian ("dua ratus ribu
 * rupiah"; sen are not written), ringgit in Malay ("dua puluh lima ringgit dan lima puluh sen").
 */
export function amountInWords(minor: number, currency: string) {
  const major = Math.floor(minor / 100)
  const cents = minor % 100
  if (currency === 'MYR') {
    const ringgit = `${malayWords(major)} ringgit`
    return cents ? `${ringgit} dan ${malayWords(cents)} sen` : ringgit
  }
  if (currency === 'IDR') return `${indonesianWords(major)} rupiah`
  return `${indonesianWords(major)} ${currency}${cents ? ` ${String(cents).padStart(2, '0')}/100` : ''}`
}

/**
 * The number an invoice gets: the format's `{YYYY}`, `{YY}`, `{MM}` and `{N...}` filled in.
 * `period` is the sequence's period: the month when the format has `{MM}`, else the year.
 */
export function invoiceNumber(
  format: string,
  localDate: { year: number; month: number },
  sequence: number
) {
  return format.replace(/\{(YYYY|YY|MM|N+)\}/g, (_token, name: string) => {
    if (name === 'YYYY') return String(localDate.year)
    if (name === 'YY') return String(localDate.year % 100).padStart(2, '0')
    if (name === 'MM') return String(localDate.month).padStart(2, '0')
    return String(sequence).padStart(name.length, '0')
  })
}

/** The sequence's period for a format: `2026-12` when numbers restart monthly, `2026` yearly. */
export function sequencePeriod(format: string, localDate: { year: number; month: number }) {
  return format.includes('{MM}')
    ? `${localDate.year}-${String(localDate.month).padStart(2, '0')}`
    : String(localDate.year)
}
