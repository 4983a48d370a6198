import vine from '@vinejs/vine'
import { isoDate, majorAmount, recordId } from '#validators/fields'
import { INVOICE_STATUSES, PAYMENT_METHODS, RATING_SUBJECTS } from '#enums/billing'
import { TAX_MODES } from '#models/settings/billing_settings'
import { MAX_PER_PAGE } from '#validators/field_api'

/*
| Invoices and ratings (seed 003, FIN and FDB): the invoice form, its steps, the list's filters,
| the billing settings and the customer's rating. Amounts are typed in the currency's major unit
| (`150000` or `150.000` rupiah, `25.50` ringgit) and kept in minor units.
*/

/** The form's empty rows (neither a description nor a price) are not lines. */
export function withoutBlankLines(body: Record<string, any>) {
  const rows = Array.isArray(body.lines) ? body.lines : Object.values(body.lines ?? {})
  return {
    ...body,
    lines: rows.filter(
      (row: any) =>
        row && typeof row === 'object' && `${row.description ?? ''}${row.unit_price ?? ''}`.trim()
    ),
  }
}

export const invoiceValidator = vine.compile(
  vine.object({
    customer_id: recordId().optional(),
    bill_to_name: vine.string().trim().maxLength(120).optional(),
    bill_to_phone: vine.string().trim().maxLength(30).optional(),
    bill_to_email: vine.string().trim().email().maxLength(254).optional(),
    bill_to_address: vine.string().trim().maxLength(500).optional(),
    lines: vine
      .array(
        vine.object({
          description: vine.string().trim().minLength(1).maxLength(200),
          quantity: vine.number().withoutDecimals().range([1, 100_000]),
          unit_price: majorAmount(),
        })
      )
      .minLength(1)
      .maxLength(100),
    discount: majorAmount().optional(),
    notes: vine.string().trim().maxLength(2000).optional(),
    source_type: vine.enum(['job', 'booking'] as const).optional(),
    source_id: vine.string().trim().maxLength(40).optional(),
  })
)

export const invoiceFilterValidator = vine.compile(
  vine.object({
    status: vine.enum([...INVOICE_STATUSES, 'overdue'] as const).optional(),
    customer_id: recordId().optional(),
    month: vine
      .string()
      .trim()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
      .optional(),
    q: vine.string().trim().maxLength(80).optional(),
    page: vine.number().withoutDecimals().range([1, 100_000]).optional(),
  })
)

export const invoiceReasonValidator = vine.compile(
  vine.object({ reason: vine.string().trim().minLength(3).maxLength(255) })
)

/** What CS records of a payment; the proof's type and size are checked on its bytes (file_store). */
export const invoicePaymentValidator = vine.compile(
  vine.object({
    paid_on: isoDate(),
    method: vine.enum(PAYMENT_METHODS.filter((method) => method !== 'gateway')),
    payment_reference: vine.string().trim().maxLength(100).optional(),
    proof: vine.file({ size: '5mb' }).optional(),
  })
)

export const billingSettingsValidator = vine.compile(
  vine.object({
    tax_mode: vine.enum(TAX_MODES),
    tax_rate: vine.number().range([0, 50]),
    prices_include_tax: vine.boolean().optional(),
    number_format: vine.string().trim().maxLength(40),
    payment_terms_days: vine.number().withoutDecimals().range([0, 365]),
    legal_name: vine.string().trim().maxLength(120).optional(),
    address: vine.string().trim().maxLength(500).optional(),
    tax_id: vine.string().trim().maxLength(40).optional(),
    payment_instructions: vine.string().trim().maxLength(1000).optional(),
    ratings_enabled: vine.boolean().optional(),
    rating_delay_minutes: vine.number().withoutDecimals().range([0, 10_080]),
    rating_expiry_days: vine.number().withoutDecimals().range([1, 90]),
    low_rating_threshold: vine.number().withoutDecimals().range([1, 4]),
  })
)

/** A customer's answer on the rating page. */
export const ratingAnswerValidator = vine.compile(
  vine.object({
    score: vine.number().withoutDecimals().range([1, 5]),
    comment: vine.string().trim().maxLength(1000).optional(),
  })
)

export const ratingFilterValidator = vine.compile(
  vine.object({
    from: isoDate().optional(),
    to: isoDate().optional(),
    subject_type: vine.enum(RATING_SUBJECTS).optional(),
    low: vine.boolean().optional(),
    staff_id: recordId().optional(),
    q: vine.string().trim().maxLength(80).optional(),
    page: vine.number().withoutDecimals().range([1, 100_000]).optional(),
  })
)

/*
| The billing REST API (/api/v1/invoices, /api/v1/ratings): read only, with the staff lists'
| filters, named as the OpenAPI document names them (app/services/platform/openapi.ts).
*/

const apiPage = {
  page: vine.number().withoutDecimals().range([1, 100_000]).optional(),
  per_page: vine.number().withoutDecimals().range([1, MAX_PER_PAGE]).optional(),
}

/** `GET /invoices?status=&customer_id=&month=&q=&branch_id=&page=&per_page=` */
export const apiInvoiceListValidator = vine.compile(
  vine.object({
    status: vine.enum([...INVOICE_STATUSES, 'overdue'] as const).optional(),
    customer_id: recordId().optional(),
    month: vine
      .string()
      .trim()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
      .optional(),
    q: vine.string().trim().maxLength(80).optional(),
    branch_id: recordId().optional(),
    ...apiPage,
  })
)

/** `GET /ratings?from=&to=&subject_type=&staff_id=&branch_id=&page=&per_page=`: answers in a period. */
export const apiRatingListValidator = vine.compile(
  vine.object({
    from: isoDate().optional(),
    to: isoDate().optional(),
    subject_type: vine.enum(RATING_SUBJECTS).optional(),
    staff_id: recordId().optional(),
    branch_id: recordId().optional(),
    ...apiPage,
  })
)
