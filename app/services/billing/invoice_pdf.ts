import { inflateSync } from 'node:zlib'
import PDFDocument from 'pdfkit'
import QRCode from 'qrcode'
import { DateTime } from 'luxon'
import i18nManager from '@adonisjs/i18n/services/main'
import type { I18n } from '@adonisjs/i18n'
import { formatMoney } from '#support/money'
import { formatMoment } from '#support/dates'

/*
| The invoice as a PDF: A4, 40 pt margins, Helvetica and Helvetica-Bold only (pdfkit's bundled
| metrics: no font is read from disk). Top to bottom:
|
|   ============================ brand colour bar ============================
|   [logo]                                                         INVOICE
|   Seller name (bold)                          Number          INV/2026/12/0001
|   legal name, address                         Issue date           05 Des 2026
|   NPWP / SST No. / Tax ID                     Due date             19 Des 2026
|                                                                     [ LUNAS ]
|   --------------------------------------------------------------------------
|   Bill to: name, phone, email, address
|   | Description                  |    Qty |   Unit price |        Amount |  <- on every page
|     rows: the description wraps, numbers are right-aligned
|                                             Subtotal / Discount / DPP / PPN or SST
|                                             Total (bold), "prices include tax" note
|   In words: <amountInWords>
|   Notes                                                              [QR code]
|   How to pay                                              scan to view / URL
|   footer on every page: seller · number                              Page 1/2
|
| Every word printed comes from resources/lang/<locale>/invoice_pdf.json, every amount from
| formatMoney, every date from formatMoment. User text loses its control characters, and
| characters the standard fonts (WinAnsi) cannot show print as '?'. The logo is drawn when its
| bytes are a JPEG or a PNG that decodes (pdfkit decodes a PNG with transparency asynchronously
| and an undecodable one would throw outside any caller); anything else (SVG, WebP) is left out.
| The QR code is drawn as vector squares: sharp at any zoom, nothing to decode.
*/

export interface InvoiceDocument {
  /** 'id' | 'en' | 'ms'; anything else prints in Indonesian. */
  locale: string
  seller: {
    name: string
    /** '' when it is the name. */
    legalName: string
    address: string
    /** NPWP or SST registration number, '' when none. */
    taxId: string
    /** PNG or JPEG; other types are left out. */
    logo: { data: Buffer; mime: string } | null
    /** `#0f766e`; a dark teal when not a hex colour. */
    brandColor: string
  }
  number: string
  status: string
  /** `YYYY-MM-DD` */
  issuedOn: string | null
  dueOn: string | null
  paidOn: string | null
  currency: string
  billTo: { name: string; phone: string | null; email: string | null; address: string | null }
  /** Amounts in minor units (x100), as everywhere in Loket. */
  lines: { description: string; quantity: number; unitPrice: number; amount: number }[]
  subtotal: number
  discount: number
  taxBase: number
  tax: number
  total: number
  taxMode: 'ppn' | 'sst' | 'none'
  /** 1200 = 12% */
  taxRateBp: number
  pricesIncludeTax: boolean
  amountInWords: string
  paymentInstructions: string
  notes: string | null
  /** The public invoice page: printed, and encoded in the QR code. */
  publicUrl: string
}

type Pdf = PDFKit.PDFDocument

const MARGIN = 40
/** Room under the content for the footer line: pdfkit's own page breaks stop above it too. */
const BOTTOM_MARGIN = MARGIN + 24
const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold' } as const
const INK = '#111827'
const MUTED = '#6b7280'
const RULE = '#d1d5db'
const WHITE = '#ffffff'
const DEFAULT_BRAND = '#115e59'
const LINE_GAP = 1.5

const TITLE_BLOCK_WIDTH = 220
const LOGO_BOX: [number, number] = [150, 56]
const TABLE_HEADER_HEIGHT = 20
const CELL_PADDING = 6
const ROW_PADDING = 5
const TOTALS_WIDTH = 250
const QR_SIZE = 90
const QR_COLUMN_WIDTH = 220

/** The stamp beside the title, and its colour, for the statuses that get one. */
const STAMPS: Record<string, string> = {
  draft: '#6b7280',
  pending_approval: '#6b7280',
  paid: '#15803d',
  void: '#b91c1c',
}

/** Renders `document` as a PDF (see the layout above). */
export async function renderInvoicePdf(document: InvoiceDocument): Promise<Buffer> {
  const locale = printedLocale(document.locale)
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: BOTTOM_MARGIN },
    bufferPages: true,
    compress: true,
    lang: locale,
    info: {
      Title: withoutControlCharacters(document.number),
      Author: withoutControlCharacters(document.seller.name),
    },
  })
  const output = collect(pdf)
  new InvoiceLayout(pdf, document, locale).draw()
  pdf.end()
  return output
}

/** `locale` when the app has its messages, else the default (Indonesian). */
function printedLocale(locale: string) {
  return i18nManager.supportedLocales().includes(locale) ? locale : i18nManager.defaultLocale
}

function collect(pdf: Pdf) {
  const chunks: Uint8Array[] = []
  return new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Uint8Array) => chunks.push(chunk))
    pdf.on('end', () => resolve(Buffer.concat(chunks)))
    pdf.on('error', reject)
  })
}

interface TextStyle {
  size: number
  width: number
  bold?: boolean
  colour?: string
  align?: 'left' | 'right' | 'center'
  /** Text taller than this is cut with an ellipsis. */
  maxHeight?: number
}

interface Column {
  label: string
  x: number
  width: number
  align: 'left' | 'right'
}

/** Draws one invoice on `doc`, top to bottom; each section takes a y and returns the y below it. */
class InvoiceLayout {
  readonly #doc: Pdf
  readonly #invoice: InvoiceDocument
  readonly #locale: string
  readonly #i18n: I18n
  readonly #brand: string
  readonly #left = MARGIN
  readonly #right: number
  readonly #bottom: number
  readonly #columns: Column[]

  constructor(doc: Pdf, invoice: InvoiceDocument, locale: string) {
    this.#doc = doc
    this.#invoice = invoice
    this.#locale = locale
    this.#i18n = i18nManager.locale(this.#locale)
    this.#brand = brandColour(invoice.seller.brandColor)
    this.#right = doc.page.width - MARGIN
    this.#bottom = doc.page.height - BOTTOM_MARGIN
    this.#columns = this.#tableColumns()
  }

  draw() {
    let y = this.#letterhead()
    y = this.#billTo(y)
    y = this.#linesTable(y)
    y = this.#totals(y)
    y = this.#amountInWords(y)
    this.#closing(y)
    this.#footers()
  }

  // Letterhead ------------------------------------------------------------------------------

  #letterhead() {
    this.#doc.rect(0, 0, this.#doc.page.width, 6).fill(this.#brand)
    const below = Math.max(this.#sellerBlock(MARGIN), this.#titleBlock(MARGIN)) + 14
    this.#rule(below, RULE)
    return below + 14
  }

  #sellerBlock(top: number) {
    const { seller } = this.#invoice
    const style = { size: 9, width: this.#right - this.#left - TITLE_BLOCK_WIDTH - 20 }
    let y = this.#write(seller.name, this.#left, this.#logo(top), {
      ...style,
      size: 15,
      bold: true,
    })
    y += 2
    if (seller.legalName.trim() && seller.legalName.trim() !== seller.name.trim())
      y = this.#write(seller.legalName, this.#left, y, style)
    if (seller.address.trim())
      y = this.#write(seller.address.trim(), this.#left, y, { ...style, colour: MUTED })
    if (seller.taxId.trim())
      y = this.#write(`${this.#taxIdLabel()}: ${seller.taxId.trim()}`, this.#left, y, style)
    return y
  }

  /** Draws the logo at `top` when it can be drawn; the y below it (or `top`). */
  #logo(top: number) {
    const logo = this.#invoice.seller.logo
    if (!logo || !isDrawableImage(logo.data)) return top
    this.#doc.x = this.#left
    this.#doc.y = top
    try {
      // Without a y, pdfkit moves doc.y below the image as fitted in the box.
      this.#doc.image(logo.data, { fit: LOGO_BOX })
    } catch {
      return top
    }
    return this.#doc.y + 10
  }

  #taxIdLabel() {
    const { taxMode, currency } = this.#invoice
    if (taxMode === 'sst') return this.#t('tax_id.sst')
    if (taxMode === 'ppn' || currency === 'IDR') return this.#t('tax_id.ppn')
    return this.#t('tax_id.other')
  }

  #titleBlock(top: number) {
    const x = this.#right - TITLE_BLOCK_WIDTH
    let y = this.#write(this.#t('title'), x, top, {
      size: 22,
      bold: true,
      colour: isLight(this.#brand) ? INK : this.#brand,
      width: TITLE_BLOCK_WIDTH,
      align: 'right',
    })
    y += 4
    y = this.#fact(this.#t('number'), this.#invoice.number, y, true)
    for (const [label, date] of this.#dates()) y = this.#fact(label, this.#date(date), y, false)
    return this.#stamp(y + 6)
  }

  #dates() {
    const { issuedOn, dueOn, paidOn } = this.#invoice
    const dates: [string, string | null][] = [
      [this.#t('issued_on'), issuedOn],
      [this.#t('due_on'), dueOn],
      [this.#t('paid_on'), paidOn],
    ]
    return dates.filter((entry): entry is [string, string] => Boolean(entry[1]))
  }

  /** A label and its value on one line of the title block. */
  #fact(label: string, value: string, y: number, bold: boolean) {
    const x = this.#right - TITLE_BLOCK_WIDTH
    const labelWidth = 95
    const labelBottom = this.#write(label, x, y, { size: 9, width: labelWidth, colour: MUTED })
    const valueBottom = this.#write(value, x + labelWidth, y, {
      size: 9,
      bold,
      width: TITLE_BLOCK_WIDTH - labelWidth,
      align: 'right',
    })
    return Math.max(labelBottom, valueBottom) + 1
  }

  /** DRAF / LUNAS / BATAL in a coloured box, right-aligned, for the statuses that have one. */
  #stamp(y: number) {
    const colour = STAMPS[this.#invoice.status]
    if (!colour) return y
    const doc = this.#doc
    const text = this.#t(`status.${this.#invoice.status}`)
    doc.font(FONT.bold).fontSize(13)
    const width = doc.widthOfString(text) + 2 * 8
    const height = 22
    const x = this.#right - width
    doc.lineWidth(1.5).roundedRect(x, y, width, height, 3).stroke(colour)
    this.#write(text, x, y + 6, { size: 13, bold: true, colour, width, align: 'center' })
    return y + height
  }

  // Bill to ---------------------------------------------------------------------------------

  #billTo(top: number) {
    const { billTo } = this.#invoice
    const width = 300
    let y = this.#write(this.#t('bill_to'), this.#left, top, {
      size: 8,
      bold: true,
      colour: MUTED,
      width,
    })
    y = this.#write(billTo.name, this.#left, y + 2, { size: 11, bold: true, width }) + 1
    for (const detail of [billTo.phone, billTo.email, billTo.address]) {
      if (detail?.trim()) y = this.#write(detail.trim(), this.#left, y, { size: 9, width })
    }
    return y + 16
  }

  // Lines -----------------------------------------------------------------------------------

  #tableColumns(): Column[] {
    const amountX = this.#right - 100
    const unitPriceX = amountX - 100
    const quantityX = unitPriceX - 60
    return [
      {
        label: this.#t('description'),
        x: this.#left,
        width: quantityX - this.#left,
        align: 'left',
      },
      { label: this.#t('quantity'), x: quantityX, width: 60, align: 'right' },
      { label: this.#t('unit_price'), x: unitPriceX, width: 100, align: 'right' },
      { label: this.#t('amount'), x: amountX, width: 100, align: 'right' },
    ]
  }

  #linesTable(top: number) {
    let y = this.#tableHeader(top)
    for (const line of this.#invoice.lines) y = this.#tableRow(line, y)
    return y
  }

  #tableHeader(y: number) {
    const width = this.#right - this.#left
    this.#doc.rect(this.#left, y, width, TABLE_HEADER_HEIGHT).fill(this.#brand)
    const colour = isLight(this.#brand) ? INK : WHITE
    for (const column of this.#columns) {
      this.#write(column.label, column.x + CELL_PADDING, y + 6, {
        size: 8.5,
        bold: true,
        colour,
        width: column.width - 2 * CELL_PADDING,
        align: column.align,
      })
    }
    return y + TABLE_HEADER_HEIGHT
  }

  /** One line of the invoice; on a new page (under a new header) when it does not fit. */
  #tableRow(line: InvoiceDocument['lines'][number], top: number) {
    const [description, ...numbers] = this.#columns
    const descriptionStyle = {
      size: 9,
      width: description.width - 2 * CELL_PADDING,
      maxHeight: this.#bottom - MARGIN - TABLE_HEADER_HEIGHT - 2 * ROW_PADDING,
    }
    const textHeight = Math.min(
      this.#height(line.description, descriptionStyle),
      descriptionStyle.maxHeight
    )
    const rowHeight = textHeight + 2 * ROW_PADDING
    let y = top
    if (y + rowHeight > this.#bottom) {
      this.#doc.addPage()
      y = this.#tableHeader(MARGIN)
    }
    const texts = [
      this.#quantity(line.quantity),
      this.#money(line.unitPrice),
      this.#money(line.amount),
    ]
    this.#write(line.description, description.x + CELL_PADDING, y + ROW_PADDING, descriptionStyle)
    numbers.forEach((column, index) => {
      this.#write(texts[index], column.x + CELL_PADDING, y + ROW_PADDING, {
        size: 9,
        width: column.width - 2 * CELL_PADDING,
        align: 'right',
      })
    })
    this.#rule(y + rowHeight, RULE)
    return y + rowHeight
  }

  // Totals ----------------------------------------------------------------------------------

  #totals(top: number) {
    const rows = this.#totalRows()
    const note = this.#taxIncludedNote()
    const needed = rows.length * 15 + 30 + (note ? 14 : 0)
    let y = this.#roomFor(top + 10, needed)
    for (const [label, value] of rows) y = this.#totalRow(label, value, y, false)
    this.#doc
      .lineWidth(1)
      .moveTo(this.#right - TOTALS_WIDTH, y + 2)
      .lineTo(this.#right, y + 2)
      .stroke(this.#brand)
    y = this.#totalRow(this.#t('total'), this.#money(this.#invoice.total), y + 7, true)
    if (!note) return y
    return this.#write(note, this.#right - TOTALS_WIDTH, y + 2, {
      size: 8,
      colour: MUTED,
      width: TOTALS_WIDTH - CELL_PADDING,
      align: 'right',
    })
  }

  #totalRows() {
    const { subtotal, discount, taxBase, tax, taxMode, taxRateBp } = this.#invoice
    const rows: [string, string][] = [[this.#t('subtotal'), this.#money(subtotal)]]
    if (discount > 0) rows.push([this.#t('discount'), `-${this.#money(discount)}`])
    if (taxMode === 'none' || taxRateBp <= 0) return rows
    if (taxMode === 'ppn') rows.push([this.#t('dpp'), this.#money(taxBase)])
    rows.push([this.#t(`tax.${taxMode}`, { rate: this.#rate(taxRateBp) }), this.#money(tax)])
    return rows
  }

  #taxIncludedNote() {
    const { pricesIncludeTax, taxMode, taxRateBp } = this.#invoice
    if (!pricesIncludeTax || taxMode === 'none' || taxRateBp <= 0) return null
    return this.#t(`tax_included.${taxMode}`)
  }

  #totalRow(label: string, value: string, y: number, bold: boolean) {
    const x = this.#right - TOTALS_WIDTH
    const size = bold ? 11 : 9
    const labelWidth = 130
    const labelBottom = this.#write(label, x + CELL_PADDING, y, {
      size,
      bold,
      width: labelWidth - CELL_PADDING,
    })
    const valueBottom = this.#write(value, x + labelWidth, y, {
      size,
      bold,
      width: TOTALS_WIDTH - labelWidth - CELL_PADDING,
      align: 'right',
    })
    return Math.max(labelBottom, valueBottom) + 3
  }

  // In words, notes, payment, QR code -------------------------------------------------------

  #amountInWords(top: number) {
    const words = this.#invoice.amountInWords.trim()
    if (!words) return top
    const doc = this.#doc
    const width = this.#right - this.#left
    const label = `${this.#t('in_words')}: `
    const y = this.#roomFor(top + 14, this.#height(label + words, { size: 9, width }) + 12)
    doc.font(FONT.bold).fontSize(9).fillColor(INK)
    doc.text(printable(label), this.#left, y, { width, lineGap: LINE_GAP, continued: true })
    doc.font(FONT.regular).text(printable(words), { lineGap: LINE_GAP })
    return doc.y
  }

  #closing(top: number) {
    const blocks = this.#closingBlocks()
    const width = this.#right - this.#left - QR_COLUMN_WIDTH - 20
    const textHeight = blocks.reduce(
      (sum, [label, text]) =>
        sum + this.#height(label, { size: 9, width }) + this.#height(text, { size: 9, width }) + 12,
      0
    )
    const qrHeight = this.#invoice.publicUrl ? QR_SIZE + 40 : 0
    let y = this.#roomFor(top + 20, Math.max(textHeight, qrHeight))
    this.#qrBlock(y)
    for (const [label, text] of blocks) {
      y = this.#write(label, this.#left, y, { size: 9, bold: true, width }) + 2
      y = this.#write(text, this.#left, y, { size: 9, width }) + 10
    }
  }

  #closingBlocks() {
    const { notes, paymentInstructions } = this.#invoice
    const blocks: [string, string | null][] = [
      [this.#t('notes'), notes],
      [this.#t('payment'), paymentInstructions],
    ]
    return blocks
      .map(([label, text]): [string, string] => [label, text?.trim() ?? ''])
      .filter(([, text]) => text !== '')
  }

  /** The QR code of the public page at the right, with the invitation and the URL under it. */
  #qrBlock(y: number) {
    const url = this.#invoice.publicUrl.trim()
    if (!url) return
    this.#drawQrCode(url, this.#right - QR_SIZE, y)
    const x = this.#right - QR_COLUMN_WIDTH
    const below = this.#write(this.#t('scan_to_view'), x, y + QR_SIZE + 4, {
      size: 7.5,
      colour: MUTED,
      width: QR_COLUMN_WIDTH,
      align: 'right',
    })
    this.#doc.font(FONT.regular).fontSize(7.5).fillColor(this.#brand)
    this.#doc.text(printable(url), x, below + 1, {
      width: QR_COLUMN_WIDTH,
      align: 'right',
      link: url,
    })
  }

  /** The QR code as filled squares (one rectangle per run of dark modules), one module of margin. */
  #drawQrCode(url: string, x: number, y: number) {
    const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' })
    const cell = QR_SIZE / (modules.size + 2)
    const doc = this.#doc
    for (let row = 0; row < modules.size; row++) {
      let runStart = -1
      for (let column = 0; column <= modules.size; column++) {
        const dark = column < modules.size && modules.get(row, column) === 1
        if (dark && runStart < 0) runStart = column
        if (!dark && runStart >= 0) {
          // A hair taller than a module so that no seam shows between rows.
          doc.rect(
            x + (runStart + 1) * cell,
            y + (row + 1) * cell,
            (column - runStart) * cell,
            cell + 0.05
          )
          runStart = -1
        }
      }
    }
    doc.fill(INK)
  }

  // Footer ----------------------------------------------------------------------------------

  /** `seller · number` and `Page n/total` under the content of every page. */
  #footers() {
    const doc = this.#doc
    const { start, count } = doc.bufferedPageRange()
    const y = doc.page.height - MARGIN - 8
    const style = { size: 7.5, colour: MUTED, width: (this.#right - this.#left) / 2 }
    for (let index = start; index < start + count; index++) {
      doc.switchToPage(index)
      // Writing below the bottom margin would otherwise make pdfkit start a new page.
      doc.page.margins.bottom = 0
      this.#write(`${this.#invoice.seller.name} · ${this.#invoice.number}`, this.#left, y, style)
      const page = this.#t('page', { current: String(index - start + 1), total: String(count) })
      this.#write(page, this.#left + style.width, y, { ...style, align: 'right' })
    }
  }

  // Helpers ---------------------------------------------------------------------------------

  #t(key: string, data?: Record<string, string>) {
    return this.#i18n.t(`invoice_pdf.${key}`, data)
  }

  #money(minor: number) {
    return formatMoney(minor, this.#invoice.currency, this.#locale)
  }

  #quantity(quantity: number) {
    return new Intl.NumberFormat(this.#locale, { maximumFractionDigits: 3 }).format(quantity)
  }

  /** 1200 -> `12%`, 1150 -> `11,5%` in Indonesian, `11.5%` in English and Malay. */
  #rate(basisPoints: number) {
    return `${new Intl.NumberFormat(this.#locale, { maximumFractionDigits: 2 }).format(basisPoints / 100)}%`
  }

  /** `YYYY-MM-DD` as the app writes dates (`05 Des 2026`); anything else as given. */
  #date(isoDate: string) {
    const moment = DateTime.fromISO(isoDate)
    return moment.isValid ? formatMoment(moment, 'date', this.#locale) : isoDate
  }

  /** `y`, or the top of a new page when `height` does not fit between `y` and the bottom. */
  #roomFor(y: number, height: number) {
    if (y + height <= this.#bottom) return y
    this.#doc.addPage()
    return MARGIN
  }

  #rule(y: number, colour: string) {
    this.#doc.lineWidth(0.5).moveTo(this.#left, y).lineTo(this.#right, y).stroke(colour)
  }

  /** Writes `text` (made printable) in a box `style.width` wide; the y below it. */
  #write(text: string, x: number, y: number, style: TextStyle) {
    const doc = this.#doc
    this.#useFont(style).fillColor(style.colour ?? INK)
    doc.text(printable(text), x, y, {
      width: style.width,
      align: style.align ?? 'left',
      lineGap: LINE_GAP,
      height: style.maxHeight,
      ellipsis: style.maxHeight !== undefined,
    })
    return doc.y
  }

  #height(text: string, style: TextStyle) {
    return this.#useFont(style).heightOfString(printable(text), {
      width: style.width,
      lineGap: LINE_GAP,
    })
  }

  #useFont(style: TextStyle) {
    return this.#doc.font(style.bold ? FONT.bold : FONT.regular).fontSize(style.size)
  }
}

// Text ------------------------------------------------------------------------------------------

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g
const INVISIBLE_CHARACTERS = /[\p{Cf}\uFE00-\uFE0F]/gu
const NOT_PRINTABLE_LATIN_1 = /[^\n\u0020-\u00ff]/gu
/** The characters beyond Latin-1 that WinAnsi (the standard fonts' encoding) has. */
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ')

function withoutControlCharacters(text: string) {
  return text.replace(CONTROL_CHARACTERS, '')
}

/**
 * `text` as the standard fonts can print it: no control or invisible characters, line breaks as
 * `\n`, tabs as spaces, and `?` for each character WinAnsi lacks (emoji, CJK), which pdfkit would
 * otherwise write as bytes of other glyphs.
 */
function printable(text: string) {
  return withoutControlCharacters(text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' '))
    .replace(INVISIBLE_CHARACTERS, '')
    .replace(NOT_PRINTABLE_LATIN_1, (character) =>
      WIN_ANSI_EXTRAS.has(character) ? character : '?'
    )
}

// Colour ----------------------------------------------------------------------------------------

const HEX_COLOUR = /^#(?:[0-9a-f]{3}){1,2}$/i

function brandColour(value: string) {
  const colour = value.trim()
  return HEX_COLOUR.test(colour) ? colour : DEFAULT_BRAND
}

/** Whether white text would be hard to read on `hex` (perceived brightness above two thirds). */
function isLight(hex: string) {
  const digits =
    hex.length === 4 ? [...hex.slice(1)].map((digit) => digit + digit).join('') : hex.slice(1)
  const [red, green, blue] = [0, 2, 4].map((offset) =>
    Number.parseInt(digits.slice(offset, offset + 2), 16)
  )
  return 0.299 * red + 0.587 * green + 0.114 * blue > 170
}

// Logo ------------------------------------------------------------------------------------------

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
/** Samples per pixel of each PNG colour type. */
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }
const MAX_LOGO_PIXELS = 4_000_000

/** Whether pdfkit can draw `data`: a JPEG, or a PNG that decodes. */
function isDrawableImage(data: Buffer) {
  if (data[0] === 0xff && data[1] === 0xd8) return true
  return data.subarray(0, 8).equals(PNG_SIGNATURE) && pngDecodes(data)
}

/**
 * Whether a PNG's pixels inflate to exactly its rows, each with a known filter: what pdfkit's
 * decoder (png-js) would otherwise throw on, asynchronously. Interlaced PNGs are not checked, so
 * they are refused; so is a logo of more than 4 megapixels.
 */
function pngDecodes(png: Buffer) {
  if (png.length < 33 || png.toString('latin1', 12, 16) !== 'IHDR') return false
  const width = png.readUInt32BE(16)
  const height = png.readUInt32BE(20)
  const channels = PNG_CHANNELS[png[25]]
  const interlaced = png[28] !== 0
  if (!channels || interlaced || width === 0 || height === 0) return false
  if (width * height > MAX_LOGO_PIXELS) return false
  const rowBytes = 1 + Math.ceil((width * channels * png[24]) / 8)
  try {
    const rows = inflateSync(pngImageData(png), { maxOutputLength: rowBytes * height })
    return rows.length === rowBytes * height && rowFiltersAreKnown(rows, rowBytes)
  } catch {
    return false
  }
}

/** The concatenated IDAT chunks: the compressed rows. */
function pngImageData(png: Buffer) {
  const parts: Buffer[] = []
  let offset = PNG_SIGNATURE.length
  while (offset + 8 <= png.length) {
    const length = png.readUInt32BE(offset)
    const type = png.toString('latin1', offset + 4, offset + 8)
    if (type === 'IEND') break
    if (type === 'IDAT') parts.push(png.subarray(offset + 8, offset + 8 + length))
    offset += 12 + length
  }
  return Buffer.concat(parts)
}

function rowFiltersAreKnown(rows: Buffer, rowBytes: number) {
  for (let offset = 0; offset < rows.length; offset += rowBytes) {
    if (rows[offset] > 4) return false
  }
  return true
}
