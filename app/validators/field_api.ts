import vine from '@vinejs/vine'
import { isoDate, recordId } from '#validators/fields'
import {
  CUSTOMER_SOURCES,
  CUSTOMER_STATUSES,
  JOB_PRIORITIES,
  JOB_STATUSES,
  MAX_JOB_QUOTA,
} from '#enums/field'

/*
| The field-service REST API (/api/v1/customers, /api/v1/jobs): the same fields as CS's forms,
| named as the OpenAPI document names them (app/services/platform/openapi.ts; change both together).
*/

/** The most rows one page of a list may hold. */
export const MAX_PER_PAGE = 100

const page = () => vine.number().withoutDecimals().range([1, 100_000]).optional()
const perPage = () => vine.number().withoutDecimals().range([1, MAX_PER_PAGE]).optional()

const customerFields = {
  name: () => vine.string().trim().minLength(2).maxLength(120),
  phone: () => vine.string().trim().maxLength(30),
  address: () => vine.string().trim().maxLength(500),
  notes: () => vine.string().trim().maxLength(2000),
  locale: () => vine.enum(['id', 'en', 'ms'] as const),
}

/** `GET /customers`: searched by name, phone or address, filtered, paginated. */
export const apiCustomerListValidator = vine.compile(
  vine.object({
    q: vine.string().trim().maxLength(80).optional(),
    status: vine.enum(CUSTOMER_STATUSES).optional(),
    source: vine.enum(CUSTOMER_SOURCES).optional(),
    page: page(),
    per_page: perPage(),
  })
)

/** `POST /customers`: a name; the rest may wait. */
export const apiCustomerValidator = vine.compile(
  vine.object({
    name: customerFields.name(),
    phone: customerFields.phone().nullable().optional(),
    address: customerFields.address().nullable().optional(),
    notes: customerFields.notes().nullable().optional(),
    locale: customerFields.locale().nullable().optional(),
  })
)

/**
 * `PATCH /customers/:id`: only the fields sent change; `null` empties one (the name aside, which
 * a customer always has).
 */
export const apiCustomerChangeValidator = vine.compile(
  vine.object({
    // Sent, even as null or "", a name must be one: only leaving it out keeps the old one.
    name: customerFields
      .name()
      .optional()
      .requiredWhen((field) => Object.hasOwn(field.parent, 'name')),
    phone: customerFields.phone().nullable().optional(),
    address: customerFields.address().nullable().optional(),
    notes: customerFields.notes().nullable().optional(),
    locale: customerFields.locale().nullable().optional(),
  })
)

/** `GET /jobs`: CS's filters, the branch, and the page. */
export const apiJobListValidator = vine.compile(
  vine.object({
    status: vine.enum(JOB_STATUSES).optional(),
    priority: vine.enum(JOB_PRIORITIES).optional(),
    customer_id: recordId().optional(),
    technician_id: recordId().optional(),
    branch_id: recordId().optional(),
    from: isoDate().optional(),
    to: isoDate().optional(),
    q: vine.string().trim().maxLength(80).optional(),
    page: page(),
    per_page: perPage(),
  })
)

/**
 * `POST /jobs`: a visit job as CS's form describes it, for one branch of the key's business. The
 * dates are checked together by the job service (real days, the end not before the start).
 */
export const apiJobValidator = vine.compile(
  vine.object({
    branch_id: recordId(),
    customer_id: recordId(),
    title: vine.string().trim().minLength(3).maxLength(120),
    description: vine.string().trim().maxLength(2000).optional(),
    address: vine.string().trim().maxLength(500).optional(),
    planned_start: isoDate(),
    planned_end: isoDate(),
    quota: vine.number().withoutDecimals().range([1, MAX_JOB_QUOTA]),
    priority: vine.enum(JOB_PRIORITIES).optional(),
  })
)

/** `POST /jobs/:id/cancel`: why, kept on the job's history. */
export const apiJobCancelValidator = vine.compile(
  vine.object({ reason: vine.string().trim().minLength(2).maxLength(255) })
)
