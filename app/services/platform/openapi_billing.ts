import { INVOICE_STATUSES, PAYMENT_METHODS, RATING_PARTS, RATING_SUBJECTS } from '#enums/billing'
import { MAX_PER_PAGE } from '#validators/field_api'
import {
  id,
  json,
  parameter,
  rateLimitHeaders,
  ref,
  response,
  time,
  type Method,
  type OperationObject,
  type ParameterObject,
  type SchemaObject,
} from '#services/platform/openapi_parts'

/*
| The OpenAPI document's invoices and ratings (read only), spread into openapi.ts's document. The
| shapes match invoiceResource and ratingResource (api_resources.ts) and the validators
| apiInvoiceListValidator and apiRatingListValidator (app/validators/billing.ts).
*/

const money = (description: string, example: number, nullable = false): SchemaObject => ({
  type: 'integer',
  nullable,
  description: `${description} In minor units (Rp 111.000 is 11100000).`,
  example,
})
const day = (description: string, nullable = true): SchemaObject => ({
  type: 'string',
  format: 'date',
  nullable,
  description,
  example: nullable ? null : '2026-12-04',
})
const text = (description: string, example: string | null, nullable = true): SchemaObject => ({
  type: 'string',
  nullable,
  description,
  example,
})

export function billingTags() {
  return [
    { name: 'Invoices', description: "The business's invoices, as CS and sales work them." },
    { name: 'Ratings', description: 'What customers said of the work done for them.' },
  ]
}

export function billingParameters(): Record<string, ParameterObject> {
  return {
    InvoiceId: {
      name: 'id',
      in: 'path',
      required: true,
      description: 'The invoice id.',
      schema: id('An invoice id.'),
    },
    RatingId: {
      name: 'id',
      in: 'path',
      required: true,
      description: 'The rating id.',
      schema: id('A rating id.'),
    },
    BranchFilter: {
      name: 'branch_id',
      in: 'query',
      required: false,
      description: "Only this branch's (404 for a branch of another business).",
      schema: id('A branch id.'),
    },
  }
}

const query = (
  name: string,
  description: string,
  schema: SchemaObject
): ParameterObject & { in: 'query' } => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
})

const readResponses = (description: string, schema: string) => ({
  200: { description, headers: rateLimitHeaders, content: json(ref(schema)) },
  401: response('Unauthorized'),
  404: response('NotFound'),
  429: response('TooManyRequests'),
})

export function billingPaths(): Record<string, Partial<Record<Method, OperationObject>>> {
  return {
    '/invoices': {
      get: {
        operationId: 'listInvoices',
        tags: ['Invoices'],
        summary: 'List invoices',
        description:
          "Newest first. `status=overdue` gives approved or sent invoices whose due day has passed (in the branch's zone). `month` matches the day an invoice was issued (approved); drafts match the day they were written.",
        parameters: [
          query('status', 'A status, or `overdue`.', {
            type: 'string',
            enum: [...INVOICE_STATUSES, 'overdue'],
          }),
          query(
            'customer_id',
            'Only this customer’s (404 for another business’s).',
            id('A customer id.')
          ),
          query('month', 'Issued in this month, `YYYY-MM`.', {
            type: 'string',
            pattern: '^\\d{4}-(0[1-9]|1[0-2])$',
            example: '2026-12',
          }),
          query('q', 'Part of the number or of the billed name.', {
            type: 'string',
            maxLength: 80,
          }),
          parameter('BranchFilter'),
          parameter('Page'),
          parameter('PerPage'),
          parameter('AcceptLanguage'),
        ],
        responses: {
          ...readResponses('A page of invoices.', 'InvoiceList'),
          422: response('ValidationFailed'),
        },
      },
    },
    '/invoices/{id}': {
      get: {
        operationId: 'getInvoice',
        tags: ['Invoices'],
        summary: 'Read an invoice',
        description:
          'An invoice with whom it bills, its lines, its totals (DPP and PPN, or SST) and where it stands: approved (and the approved total), sent, paid (day and method), void (and why). `url` is the customer’s page.',
        parameters: [parameter('InvoiceId'), parameter('AcceptLanguage')],
        responses: readResponses('The invoice.', 'Invoice'),
      },
    },
    '/ratings': {
      get: {
        operationId: 'listRatings',
        tags: ['Ratings'],
        summary: 'List ratings given',
        description:
          "The answers customers gave in a period (days in the branch's zone, both included; the last 30 days unless told), newest first, each with the staff it credits.",
        parameters: [
          query('from', 'First day, `YYYY-MM-DD`.', { type: 'string', format: 'date' }),
          query('to', 'Last day, `YYYY-MM-DD` (today unless told).', {
            type: 'string',
            format: 'date',
          }),
          query('subject_type', 'The kind of work rated.', {
            type: 'string',
            enum: RATING_SUBJECTS,
          }),
          query('staff_id', 'Only ratings crediting this member of staff.', id('A user id.')),
          parameter('BranchFilter'),
          parameter('Page'),
          parameter('PerPage'),
          parameter('AcceptLanguage'),
        ],
        responses: {
          ...readResponses('A page of ratings.', 'RatingList'),
          422: response('ValidationFailed'),
        },
      },
    },
    '/ratings/{id}': {
      get: {
        operationId: 'getRating',
        tags: ['Ratings'],
        summary: 'Read a rating',
        description:
          'One rating link: for which work, when it was sent and until when it can be answered, and the answer once given (`score` 1-5 and `comment`, null before).',
        parameters: [parameter('RatingId'), parameter('AcceptLanguage')],
        responses: readResponses('The rating.', 'Rating'),
      },
    },
  }
}

function invoiceFields(): Record<string, SchemaObject> {
  return {
    id: id('Invoice id.'),
    number: text('Given at approval: `INV/2026/12/0001`; null before.', 'INV/2026/12/0001'),
    status: { type: 'string', enum: INVOICE_STATUSES, example: 'sent' },
    branch_id: { ...id('The branch that bills.'), nullable: true },
    customer_id: {
      ...id('The customer billed, when one of the business’s customers.'),
      nullable: true,
    },
    source_type: { type: 'string', enum: ['job', 'booking'], nullable: true, example: 'job' },
    source_id: text('The job (integer) or booking (UUID) billed.', '42'),
    currency: { type: 'string', example: 'IDR' },
    subtotal: money('The lines together.', 10_000_000),
    discount: money('Taken off the subtotal.', 0),
    tax_base: money('What the tax is counted on (DPP for PPN).', 9_166_667),
    tax: money('PPN or SST.', 1_100_000),
    total: money('What the customer pays.', 11_100_000),
    approved_total: money('The total sales approved.', 11_100_000, true),
    approved_at: time('When sales approved it.', true),
    issued_on: day('The day it was issued (approved).'),
    due_on: day('The day it is due.'),
    sent_at: time('When it was last sent to the customer.', true),
    paid_on: day('The day it was paid.'),
    payment_method: { type: 'string', enum: PAYMENT_METHODS, nullable: true, example: null },
    voided_at: time('When it was voided.', true),
    void_reason: text('Why it was voided.', null),
    url: { type: 'string', format: 'uri', description: 'The customer’s page (no login).' },
    created_at: time('When CS wrote it.'),
    bill_to: {
      type: 'object',
      required: ['name', 'phone', 'email', 'address'],
      properties: {
        name: { type: 'string', example: 'Bengkel Maju' },
        phone: text('E.164.', '+6281234567890'),
        email: text('Email.', null),
        address: text('Address.', null),
      },
    },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        required: ['description', 'quantity', 'unit_price', 'amount'],
        properties: {
          description: { type: 'string', example: 'Servis AC' },
          quantity: { type: 'integer', example: 1 },
          unit_price: money('Price of one.', 10_000_000),
          amount: money('Quantity times price.', 10_000_000),
        },
      },
    },
  }
}

function ratingFields(): Record<string, SchemaObject> {
  return {
    id: id('Rating id.'),
    branch_id: { ...id('The branch that did the work.'), nullable: true },
    subject_type: { type: 'string', enum: RATING_SUBJECTS, example: 'job' },
    subject_id: { type: 'string', description: 'The ticket, booking or job rated.', example: '42' },
    label: { type: 'string', description: 'How the customer knows the work.', example: 'J-0042' },
    service_id: { ...id('The service, for tickets and bookings.'), nullable: true },
    score: { type: 'integer', minimum: 1, maximum: 5, nullable: true, example: 5 },
    comment: text('What the customer wrote.', 'Teknisinya rapi'),
    sent_at: time('When the link went out.', true),
    answered_at: time('When the customer answered.', true),
    expires_at: time('Until when it can be answered.'),
    created_at: time('When the work finished.'),
    credits: {
      type: 'array',
      description: 'The staff who served, as recorded when the work finished.',
      items: {
        type: 'object',
        required: ['user_id', 'part'],
        properties: {
          user_id: id('A user id.', 7),
          part: { type: 'string', enum: RATING_PARTS, example: 'technician' },
        },
      },
    },
  }
}

export function billingSchemas(): Record<string, SchemaObject> {
  const list = (item: string): SchemaObject => ({
    type: 'object',
    required: ['data', 'meta'],
    properties: {
      data: { type: 'array', items: ref(item), maxItems: MAX_PER_PAGE },
      meta: ref('PageMeta'),
    },
  })
  const invoice = invoiceFields()
  const rating = ratingFields()
  return {
    Invoice: { type: 'object', required: Object.keys(invoice), properties: invoice },
    InvoiceList: list('Invoice'),
    Rating: { type: 'object', required: Object.keys(rating), properties: rating },
    RatingList: list('Rating'),
  }
}
