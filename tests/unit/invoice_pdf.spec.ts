import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { test } from '@japa/runner'
import QRCode from 'qrcode'
import i18nManager from '@adonisjs/i18n/services/main'
import { renderInvoicePdf, type InvoiceDocument } from '#services/billing/invoice_pdf'
import { amountInWords, computeTotals } from '#services/billing/invoice_math'
import { formatMoney } from '#support/money'

const run = promisify(execFile)

/** Whitespace (Intl's U+00A0 included) as single spaces, so that amounts compare as printed. */
const squeeze = (text: string) => text.replace(/\s+/g, ' ')

let directory = ''
let written = 0

/** `phrase` in `text`, its words in order: a wrapped cell shares its lines with the next cells. */
function wordsInOrder(text: string, phrase: string) {
  const words = phrase.split(' ').map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(words.join(' (?:.* )?')).test(text)
}

/** The text of `pdf` as `pdftotext -layout` reads it, whitespace squeezed. */
async function readBack(pdf: Buffer) {
  const file = join(directory, `invoice-${++written}.pdf`)
  await writeFile(file, pdf)
  const { stdout } = await run('pdftotext', ['-layout', file, '-'])
  return squeeze(stdout)
}

async function pageCount(pdf: Buffer) {
  const file = join(directory, `invoice-${++written}.pdf`)
  await writeFile(file, pdf)
  const { stdout } = await run('pdfinfo', [file])
  return Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1])
}

interface Sale {
  locale: string
  currency: string
  taxMode: InvoiceDocument['taxMode']
  taxRateBp: number
  pricesIncludeTax: boolean
  discount: number
  lines: { description: string; quantity: number; unitPrice: number }[]
}

/** An invoice for `sale`, its totals computed as Loket computes them. */
function invoiceFor(sale: Sale, overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  const totals = computeTotals(sale.lines, sale.discount, {
    mode: sale.taxMode,
    rateBp: sale.taxRateBp,
    pricesIncludeTax: sale.pricesIncludeTax,
    currency: sale.currency,
  })
  return {
    locale: sale.locale,
    seller: {
      name: 'Klinik Sehat Sentosa',
      legalName: 'PT Sehat Sentosa Abadi',
      address: 'Jl. Melati No. 5\nBandung 40115',
      taxId: '01.234.567.8-901.000',
      logo: null,
      brandColor: '#0f766e',
    },
    number: 'INV/2026/12/0001',
    status: 'approved',
    issuedOn: '2026-12-05',
    dueOn: '2026-12-19',
    paidOn: null,
    currency: sale.currency,
    billTo: {
      name: 'Budi Santoso',
      phone: '+62 812 3456 7890',
      email: 'budi@example.com',
      address: 'Jl. Kenanga 12, Bandung',
    },
    lines: sale.lines.map((line, index) => ({ ...line, amount: totals.lineAmounts[index] })),
    subtotal: totals.subtotal,
    discount: totals.discount,
    taxBase: totals.taxBase,
    tax: totals.tax,
    total: totals.total,
    taxMode: sale.taxMode,
    taxRateBp: sale.taxRateBp,
    pricesIncludeTax: sale.pricesIncludeTax,
    amountInWords: amountInWords(totals.total, sale.currency),
    paymentInstructions: 'Transfer ke BCA 123 456 7890\na.n. PT Sehat Sentosa Abadi',
    notes: 'Terima kasih atas kunjungan Anda.',
    publicUrl: 'http://127.0.0.1:3398/i/8f3a2c9d1e7b',
    ...overrides,
  }
}

const rupiah = (major: number) => major * 100

const ppnSale: Sale = {
  locale: 'id',
  currency: 'IDR',
  taxMode: 'ppn',
  taxRateBp: 1200,
  pricesIncludeTax: false,
  discount: rupiah(25_000),
  lines: [
    { description: 'Konsultasi dokter umum', quantity: 1, unitPrice: rupiah(150_000) },
    {
      description: 'Pemeriksaan laboratorium lengkap: darah rutin, gula darah puasa, kolesterol',
      quantity: 2,
      unitPrice: rupiah(85_000),
    },
    { description: 'Obat racikan', quantity: 3, unitPrice: rupiah(12_500) },
  ],
}

const sstSale: Sale = {
  locale: 'ms',
  currency: 'MYR',
  taxMode: 'sst',
  taxRateBp: 800,
  pricesIncludeTax: true,
  discount: 0,
  lines: [
    { description: 'Potong rambut lelaki', quantity: 1, unitPrice: 3_550 },
    { description: 'Cuci dan gaya', quantity: 2, unitPrice: 2_000 },
  ],
}

/** A well-formed PDF: the header, and the end-of-file marker at the end. */
function assertIsPdf(assert: { isTrue(value: boolean, message?: string): void }, pdf: Buffer) {
  assert.isTrue(pdf.subarray(0, 5).toString('latin1') === '%PDF-', 'starts with %PDF-')
  assert.isTrue(pdf.toString('latin1').trimEnd().endsWith('%%EOF'), 'ends with %%EOF')
}

test.group('Invoice PDF', (group) => {
  group.setup(async () => {
    await i18nManager.loadTranslations()
    directory = await mkdtemp(join(tmpdir(), 'invoice-pdf-'))
    return () => rm(directory, { recursive: true, force: true })
  })

  test('an IDR invoice with PPN reads back its parties, lines, DPP, PPN and total', async ({
    assert,
  }) => {
    const invoice = invoiceFor(ppnSale)
    const pdf = await renderInvoicePdf(invoice)
    assertIsPdf(assert, pdf)

    const text = await readBack(pdf)
    const money = (minor: number) => squeeze(formatMoney(minor, 'IDR', 'id'))
    for (const expected of [
      'INVOICE',
      'Klinik Sehat Sentosa',
      'PT Sehat Sentosa Abadi',
      'NPWP: 01.234.567.8-901.000',
      'INV/2026/12/0001',
      'Tanggal terbit 05 Des 2026',
      'Jatuh tempo 19 Des 2026',
      'Budi Santoso',
      'budi@example.com',
      `Subtotal ${money(invoice.subtotal)}`,
      `Diskon -${money(invoice.discount)}`,
      `DPP (11/12) ${money(invoice.taxBase)}`,
      `PPN 12% ${money(invoice.tax)}`,
      `Total ${money(invoice.total)}`,
      `Terbilang: ${invoice.amountInWords}`,
      'Transfer ke BCA 123 456 7890',
      'Terima kasih atas kunjungan Anda.',
      invoice.publicUrl,
      'Halaman 1/1',
    ]) {
      assert.include(text, expected)
    }
    for (const line of invoice.lines)
      assert.isTrue(wordsInOrder(text, line.description), line.description)
    // 3 x Rp 12.500, right-aligned in its column.
    assert.include(text, `3 ${money(1_250_000)} ${money(3_750_000)}`)
    // An approved invoice has no stamp, and prices excluding tax no note.
    assert.notInclude(text, 'DRAF')
    assert.notInclude(text, 'LUNAS')
    assert.notInclude(text, 'Harga sudah termasuk PPN')
  })

  test('a MYR invoice with SST in Malay prints ringgit and SST, and no DPP', async ({ assert }) => {
    const invoice = invoiceFor(sstSale, { status: 'paid', paidOn: '2026-12-07' })
    const pdf = await renderInvoicePdf(invoice)
    assertIsPdf(assert, pdf)

    const text = await readBack(pdf)
    const money = (minor: number) => squeeze(formatMoney(minor, 'MYR', 'ms'))
    for (const expected of [
      'INVOIS',
      'No. Pendaftaran SST: 01.234.567.8-901.000',
      `Jumlah kecil ${money(invoice.subtotal)}`,
      `SST 8% ${money(invoice.tax)}`,
      `Jumlah ${money(invoice.total)}`,
      'Harga termasuk cukai',
      `Amaun dalam perkataan: ${invoice.amountInWords}`,
      'DIBAYAR',
      'Tarikh dibayar 07 Dis 2026',
    ]) {
      assert.include(text, expected)
    }
    assert.match(invoice.amountInWords, /ringgit/)
    assert.equal(money(invoice.total), 'RM 75.50')
    assert.notInclude(text, 'DPP')
    assert.notInclude(text, 'PPN')
    assert.notInclude(text, 'Diskaun')
  })

  test('60 lines run over several pages, the header and page numbers on each', async ({
    assert,
  }) => {
    const lines = Array.from({ length: 60 }, (_, index) => ({
      description: `Layanan nomor ${index + 1}${index % 7 === 0 ? ': termasuk bahan habis pakai, sterilisasi alat dan konsultasi lanjutan' : ''}`,
      quantity: (index % 3) + 1,
      unitPrice: rupiah(10_000 + index * 1_000),
    }))
    const invoice = invoiceFor({ ...ppnSale, lines })
    const pdf = await renderInvoicePdf(invoice)
    assertIsPdf(assert, pdf)

    const pages = await pageCount(pdf)
    assert.isAbove(pages, 1)
    const text = await readBack(pdf)
    assert.include(text, 'Layanan nomor 1: termasuk bahan habis pakai')
    assert.include(text, 'Layanan nomor 60')
    assert.include(text, `Total ${squeeze(formatMoney(invoice.total, 'IDR', 'id'))}`)
    assert.include(text, `Halaman 2/${pages}`)
    assert.include(text, `Halaman ${pages}/${pages}`)
    const headers = text.match(/Deskripsi Kuantitas Harga satuan Jumlah/g) ?? []
    assert.isAtLeast(headers.length, 2)
  })

  test('a PNG logo is drawn; SVG and broken PNG logos are left out without an error', async ({
    assert,
  }) => {
    const png = await QRCode.toBuffer('x', { type: 'png', margin: 1, width: 64 })
    const withPng = await renderInvoicePdf(
      invoiceFor(ppnSale, {
        seller: { ...invoiceFor(ppnSale).seller, logo: { data: png, mime: 'image/png' } },
      })
    )
    assert.include(withPng.toString('latin1'), '/Subtype /Image')

    const broken = Buffer.from(png)
    broken.fill(0x5a, 60, broken.length - 20)
    for (const logo of [
      { data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), mime: 'image/svg+xml' },
      { data: Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '), mime: 'image/webp' },
      { data: broken, mime: 'image/png' },
    ]) {
      const pdf = await renderInvoicePdf(
        invoiceFor(ppnSale, { seller: { ...invoiceFor(ppnSale).seller, logo } })
      )
      assertIsPdf(assert, pdf)
      assert.notInclude(pdf.toString('latin1'), '/Subtype /Image', logo.mime)
      assert.include(await readBack(pdf), 'Klinik Sehat Sentosa')
    }
  })

  test('hostile text, odd colours, statuses and locales render without an error', async ({
    assert,
  }) => {
    const hostile = 'Potong\u0000 rambut\u0007\u001b[31m 💇‍♀️ 理发 \u202eekaf\u202c ) Tj ET (selesai)'
    const invoice = invoiceFor(ppnSale, {
      lines: [
        { description: hostile, quantity: 1, unitPrice: rupiah(50_000), amount: rupiah(50_000) },
      ],
      billTo: { name: 'Zoë 王 🙂', phone: null, email: null, address: null },
      notes: null,
      paymentInstructions: '',
      status: 'draft',
      number: '#12',
      issuedOn: null,
      dueOn: null,
    })
    const pdf = await renderInvoicePdf(invoice)
    assertIsPdf(assert, pdf)
    const text = await readBack(pdf)
    assert.include(text, 'Potong rambut')
    assert.include(text, ') Tj ET (selesai)')
    assert.include(text, 'Zoë')
    assert.include(text, 'DRAF')
    assert.include(text, '#12')
    assert.notInclude(text, '\u001b')

    const voided = await readBack(
      await renderInvoicePdf(
        invoiceFor(ppnSale, {
          status: 'void',
          locale: 'fr',
          seller: { ...invoice.seller, brandColor: 'teal; evil', legalName: '', taxId: '' },
          billTo: { name: '', phone: null, email: '', address: '   ' },
          amountInWords: '',
        })
      )
    )
    // An unknown language prints in Indonesian.
    assert.include(voided, 'BATAL')
    assert.include(voided, 'Ditagihkan kepada')

    const english = await readBack(
      await renderInvoicePdf(
        invoiceFor(
          { ...ppnSale, locale: 'en', taxRateBp: 1150, pricesIncludeTax: true },
          { status: 'pending_approval', seller: { ...invoice.seller, brandColor: '#fde047' } }
        )
      )
    )
    assert.include(english, 'DRAFT')
    assert.include(english, 'VAT (PPN) 11.5%')
    assert.include(english, 'Prices include tax')
    assert.include(english, 'In words:')
  })

  test('a typical invoice renders in under 200 ms once warm', async ({ assert }) => {
    const invoice = invoiceFor({
      ...ppnSale,
      lines: [...ppnSale.lines, ...ppnSale.lines.slice(0, 2)],
    })
    await renderInvoicePdf(invoice)
    const started = performance.now()
    const pdf = await renderInvoicePdf(invoice)
    const elapsed = performance.now() - started
    assertIsPdf(assert, pdf)
    assert.isBelow(elapsed, 200, `rendered in ${elapsed.toFixed(1)} ms`)
  })
})
