import { test } from '@japa/runner'
import {
  amountInWords,
  computeTotals,
  indonesianWords,
  invoiceNumber,
  malayWords,
  roundDiv,
  sequencePeriod,
  type TaxRule,
} from '#services/billing/invoice_math'
import { canTake, isOverdue, statusAfter } from '#services/billing/invoice_state_machine'
import {
  defaultBillingSettings,
  parseBillingSettings,
  validNumberFormat,
} from '#models/settings/billing_settings'

const rupiah = (major: number) => major * 100
const ppn = (pricesIncludeTax: boolean): TaxRule => ({
  mode: 'ppn',
  rateBp: 1200,
  pricesIncludeTax,
  currency: 'IDR',
})
const sst = (pricesIncludeTax: boolean): TaxRule => ({
  mode: 'sst',
  rateBp: 800,
  pricesIncludeTax,
  currency: 'MYR',
})

test.group('Invoice arithmetic: PPN (DPP 11/12 x 12%)', () => {
  test('prices excluding tax: DPP and PPN in whole rupiah, added to the price', ({ assert }) => {
    const totals = computeTotals([{ quantity: 2, unitPrice: rupiah(100_000) }], 0, ppn(false))
    assert.deepEqual(totals.lineAmounts, [rupiah(200_000)])
    assert.equal(totals.subtotal, rupiah(200_000))
    // 200,000 x 11/12 = 183,333.33 -> 183,333; 183,333 x 12% = 21,999.96 -> 22,000.
    assert.equal(totals.taxBase, rupiah(183_333))
    assert.equal(totals.tax, rupiah(22_000))
    assert.equal(totals.total, rupiah(222_000))
  })

  test('prices including tax: the total is the price quoted, PPN is the remainder', ({
    assert,
  }) => {
    const totals = computeTotals([{ quantity: 1, unitPrice: rupiah(111_000) }], 0, ppn(true))
    assert.equal(totals.total, rupiah(111_000))
    assert.equal(totals.beforeTax, rupiah(100_000))
    assert.equal(totals.taxBase, rupiah(91_667))
    assert.equal(totals.tax, rupiah(11_000))
    assert.equal(totals.beforeTax + totals.tax, totals.total)
  })

  test('a discount comes off before tax, and never below zero', ({ assert }) => {
    const totals = computeTotals(
      [{ quantity: 1, unitPrice: rupiah(150_000) }],
      rupiah(30_000),
      ppn(false)
    )
    assert.equal(totals.net, rupiah(120_000))
    assert.equal(totals.taxBase, rupiah(110_000))
    assert.equal(totals.tax, rupiah(13_200))
    assert.equal(totals.total, rupiah(133_200))
    const all = computeTotals(
      [{ quantity: 1, unitPrice: rupiah(10_000) }],
      rupiah(50_000),
      ppn(false)
    )
    assert.equal(all.discount, rupiah(10_000))
    assert.equal(all.total, 0)
  })

  test('a seller without PPN (non-PKP) shows no tax', ({ assert }) => {
    const totals = computeTotals([{ quantity: 3, unitPrice: rupiah(25_000) }], 0, {
      ...ppn(false),
      mode: 'none',
    })
    assert.equal(totals.tax, 0)
    assert.equal(totals.taxBase, 0)
    assert.equal(totals.total, rupiah(75_000))
  })
})

test.group('Invoice arithmetic: SST and rounding', () => {
  test('SST 8% on the price, both ways', ({ assert }) => {
    const excluding = computeTotals([{ quantity: 1, unitPrice: 10_000 }], 0, sst(false))
    assert.equal(excluding.tax, 800)
    assert.equal(excluding.total, 10_800)
    const including = computeTotals([{ quantity: 1, unitPrice: 10_800 }], 0, sst(true))
    assert.equal(including.beforeTax, 10_000)
    assert.equal(including.tax, 800)
    assert.equal(including.total, 10_800)
  })

  test('tax rounds half up to one sen; rupiah to whole rupiah', ({ assert }) => {
    assert.equal(computeTotals([{ quantity: 1, unitPrice: 10 }], 0, sst(false)).tax, 1) // 0.8 sen
    assert.equal(computeTotals([{ quantity: 1, unitPrice: 6 }], 0, sst(false)).tax, 0) // 0.48 sen
    assert.equal(
      computeTotals([{ quantity: 1, unitPrice: 25 }], 0, { ...sst(false), rateBp: 200 }).tax,
      1
    ) // 0.5 sen
    assert.equal(roundDiv(150, 1, 100), 200)
    assert.equal(roundDiv(149, 1, 100), 100)
    assert.throws(() => roundDiv(-1, 1))
  })

  test('large amounts stay exact (beyond 2^53 in the intermediate products)', ({ assert }) => {
    const totals = computeTotals(
      [{ quantity: 1, unitPrice: rupiah(90_000_000_000) }],
      0,
      ppn(false)
    )
    assert.equal(totals.taxBase, rupiah(82_500_000_000))
    assert.equal(totals.tax, rupiah(9_900_000_000))
  })
})

test.group('Amounts in words', () => {
  test('Indonesian', ({ assert }) => {
    assert.equal(amountInWords(rupiah(200_000), 'IDR'), 'dua ratus ribu rupiah')
    assert.equal(amountInWords(rupiah(222_000), 'IDR'), 'dua ratus dua puluh dua ribu rupiah')
    assert.equal(indonesianWords(1_250), 'seribu dua ratus lima puluh')
    assert.equal(indonesianWords(11), 'sebelas')
    assert.equal(indonesianWords(15), 'lima belas')
    assert.equal(indonesianWords(118), 'seratus delapan belas')
    assert.equal(indonesianWords(1_000_000), 'satu juta')
    assert.equal(indonesianWords(2_500_000_000), 'dua miliar lima ratus juta')
    assert.equal(indonesianWords(0), 'nol')
  })

  test('Malay, with sen', ({ assert }) => {
    assert.equal(malayWords(8), 'lapan')
    assert.equal(amountInWords(2_550, 'MYR'), 'dua puluh lima ringgit dan lima puluh sen')
    assert.equal(amountInWords(1_080_000, 'MYR'), 'sepuluh ribu lapan ratus ringgit')
  })
})

test.group('Invoice numbers and states', () => {
  test('the format is filled per month, zero-padded; the period follows the format', ({
    assert,
  }) => {
    const december = { year: 2026, month: 12 }
    assert.equal(invoiceNumber('INV/{YYYY}/{MM}/{NNNN}', december, 1), 'INV/2026/12/0001')
    assert.equal(invoiceNumber('F-{YY}{N}', december, 12), 'F-2612')
    assert.equal(sequencePeriod('INV/{YYYY}/{MM}/{NNNN}', december), '2026-12')
    assert.equal(sequencePeriod('INV/{YYYY}/{NNNNN}', december), '2026')
    assert.isTrue(validNumberFormat('INV/{YYYY}/{MM}/{NNNN}'))
    assert.isFalse(validNumberFormat('INV/{YYYY}/{MM}'))
    assert.isFalse(validNumberFormat('{NN}-{NN}'))
    assert.isFalse(validNumberFormat('<script>{NNN}'))
  })

  test('only the steps of the state machine are allowed', ({ assert }) => {
    assert.isTrue(canTake('submitted', 'draft'))
    assert.isFalse(canTake('approved', 'draft'))
    assert.isTrue(canTake('approved', 'pending_approval'))
    assert.equal(statusAfter('rejected', 'pending_approval'), 'draft')
    assert.equal(statusAfter('edited', 'sent'), 'draft')
    assert.isFalse(canTake('edited', 'paid'))
    assert.isFalse(canTake('voided', 'paid'))
    assert.isFalse(canTake('paid', 'void'))
    assert.isTrue(canTake('sent', 'sent'))
    assert.isTrue(isOverdue({ status: 'sent', dueOn: '2026-12-01' }, '2026-12-02'))
    assert.isFalse(isOverdue({ status: 'paid', dueOn: '2026-12-01' }, '2026-12-02'))
    assert.isFalse(isOverdue({ status: 'approved', dueOn: '2026-12-02' }, '2026-12-02'))
  })

  test('settings default by currency and refuse broken values', ({ assert }) => {
    assert.equal(defaultBillingSettings('IDR').taxMode, 'ppn')
    assert.equal(defaultBillingSettings('MYR').taxRateBp, 800)
    const parsed = parseBillingSettings(
      JSON.stringify({
        taxMode: 'vat',
        numberFormat: 'X',
        ratingExpiryDays: 0,
        pricesIncludeTax: true,
      }),
      'IDR'
    )
    assert.equal(parsed.taxMode, 'ppn')
    assert.equal(parsed.numberFormat, 'INV/{YYYY}/{MM}/{NNNN}')
    assert.equal(parsed.ratingExpiryDays, 7)
    assert.isTrue(parsed.pricesIncludeTax)
    assert.deepEqual(parseBillingSettings('{broken', 'IDR'), defaultBillingSettings('IDR'))
  })
})
