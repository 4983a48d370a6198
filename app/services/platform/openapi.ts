import { appUrl } from '#config/app'
import { PRIORITIES, TICKET_EVENT_TYPES, TICKET_STATUSES } from '#enums/ticket'
import { API_TICKET_ACTIONS, COUNTER_ACTIONS } from '#services/queue/ticket_commands'
import { MAX_PER_PAGE } from '#validators/field_api'
import {
  header,
  id,
  json,
  parameter,
  rateLimitHeaders,
  ref,
  replayHeaders,
  response,
  time,
  type Method,
  type OperationObject,
  type ParameterObject,
  type ResponseObject,
  type SchemaObject,
} from '#services/platform/openapi_parts'
import {
  billingParameters,
  billingPaths,
  billingSchemas,
  billingTags,
} from '#services/platform/openapi_billing'
import {
  BLENDING_MODES,
  BOOKING_CHANNELS,
  BOOKING_STATUSES,
  PAYMENT_PROVIDERS,
  RESOURCE_KINDS,
} from '#enums/booking'
import {
  CUSTOMER_SOURCES,
  CUSTOMER_STATUSES,
  JOB_EVENT_TYPES,
  JOB_PRIORITIES,
  JOB_STATUSES,
  MAX_JOB_QUOTA,
} from '#enums/field'

/*
| The REST API's OpenAPI 3.0.3 document: served as /api/v1/openapi.json and rendered as the
| /api/docs page (api_reference.ts). The shapes match app/services/platform/api_resources.ts and
| the validators in app/validators/{queue,bookings,field_api,billing}.ts; invoices and ratings are
| described in openapi_billing.ts.
*/

export type { Method, OperationObject, ParameterObject, ResponseObject, SchemaObject }

export interface OpenApiDocument {
  openapi: '3.0.3'
  info: { title: string; version: string; description: string }
  servers: { url: string }[]
  security: Record<string, string[]>[]
  tags: { name: string; description: string }[]
  paths: Record<string, Partial<Record<Method, OperationObject>>>
  components: {
    securitySchemes: Record<string, Record<string, string>>
    parameters: Record<string, ParameterObject>
    headers: Record<string, { description: string; schema: SchemaObject }>
    responses: Record<string, ResponseObject>
    schemas: Record<string, SchemaObject>
  }
}

/** The ticket id the examples use. */
export const EXAMPLE_TICKET_ID = '0b9d6f0e-5d4f-4f8e-9a51-7c0e4d2b9a11'

const DESCRIPTION = `Take numbers, follow tickets, act on them and read queues of your business from another system (a booking site, a hospital information system, a chat bot).

## Authentication

Every request but this document carries an API key of your business, as \`Authorization: Bearer lk_…\` (or \`X-Api-Key: lk_…\`). Owners and admins create and revoke keys on the admin page "API keys", or with \`node ace api-keys:create <business-slug> --name=<label>\`. A key is shown once; Loket keeps only its hash. A missing, unknown or revoked key answers 401.

## Idempotency

Send an \`Idempotency-Key\` header (1-128 visible ASCII characters; a fresh UUID per operation) with every POST. A repeat of the same request with the same key changes nothing and gets the first answer again, with \`Idempotent-Replayed: true\`, even when both arrive at the same moment. The same key with a different request answers 422 \`E_IDEMPOTENCY_KEY_REUSED\`. A repeated \`POST /api/v1/tickets\` is answered with the ticket as it was taken (\`status\` waiting, \`ahead\` then), even after it was called; \`GET /api/v1/tickets/{id}\` tells where it is now.

## Rate limits

Each key may make a limited number of requests per minute (600 unless the server's operator chose otherwise): \`X-RateLimit-Limit\` and \`X-RateLimit-Remaining\` come with every answer. Over the limit the answer is 429, with \`Retry-After\` in seconds.

## Errors

Every error is JSON \`{ "error": { "code", "message", "fields"? } }\`: 401 no valid key, 403 a key that may not do this (changing settings needs a key an owner created), 404 a record that does not exist or belongs to another business, 409 a move the queue does not allow now (the message says why), 422 invalid input (\`fields\` lists each problem), 429 too many requests.

## Languages

Messages follow \`Accept-Language\`: English (default), Indonesian (\`id\`) or Malay (\`ms\`). Service names follow it too, where the business has translated them.

## Bookings and booth sessions

Book a time for a customer (\`POST /appointments\`), check them in when they arrive, and run a booth's session: a session is a booking, by its id. Arriving later than the business's arrival tolerance expires the booking ("hangus"); a started session runs for the session length, and \`seconds_left\` / \`overrun\` tell where it stands. A booth device that only needs its own resource polls \`/booth/{token}/status?v=<version>\` instead (no key; 204 while nothing changed). Only a key created by an owner may change the booking settings (\`PUT /settings\`).

Times are ISO 8601 in UTC. Ticket, booking and session ids are UUIDs; customer, job and branch ids are integers. Days are YYYY-MM-DD in the branch's zone. Prices are integers in the currency's minor units (Rp 25.000 is \`2500000\`).

## Field service

Keep the customers of a business that sends technicians out (\`/customers\`: list, add, change, deactivate) and its visit jobs (\`/jobs\`): create a job for a customer, and technicians claim its places in the app, first come, first served. Follow a job and its technicians, cancel it while nobody has claimed it (409 \`E_JOB_CLAIMED_LOCKED\` after that), and read its history (\`/jobs/{id}/events\`). Changes are recorded under the member of staff who created the key. Lists answer \`{ "data": [...], "meta": { "total", "page", "per_page", "last_page" } }\`, at most 100 rows a page.

## Invoices and ratings

Read the business's invoices (\`/invoices\`: by status or \`overdue\`, customer, month issued, number or name) with their lines, and the ratings customers gave for served tickets, finished bookings and done jobs (\`/ratings\`: answers in a period, by kind of work and staff member), each with the staff it credits. Both are read only: invoices are written, approved and paid in the app. Their changes also arrive as the webhooks \`invoice.approved|sent|paid|voided\` and \`rating.received\`.`

function buildDocument(): OpenApiDocument {
  return {
    openapi: '3.0.3',
    info: { title: 'Loket REST API', version: '1.0.0', description: DESCRIPTION },
    servers: [{ url: `${appUrl}/api/v1` }],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
    tags: [
      { name: 'Tickets', description: 'Numbers in a queue: take one, follow it, move it.' },
      { name: 'Queues', description: "Today's queues of a branch." },
      { name: 'Appointments', description: 'Book a time for a customer and check them in.' },
      {
        name: 'Sessions',
        description:
          "Bookings and booth sessions: list them, and run a session from arrival to finish (seed 002's booth API).",
      },
      { name: 'Outlets', description: 'Branches and their bookable resources.' },
      { name: 'Settings', description: 'How the business takes bookings.' },
      { name: 'Customers', description: 'Field-service customers: the people technicians visit.' },
      {
        name: 'Jobs',
        description:
          'Visit jobs: technicians claim their places from the pool, first come, first served.',
      },
      ...billingTags(),
      { name: 'Meta', description: 'This document.' },
    ],
    paths: {
      '/tickets': {
        post: {
          operationId: 'createTicket',
          tags: ['Tickets'],
          summary: 'Take a number',
          description:
            'Takes the next number of a service for a visitor (channel `api`). The branch must be open and the service active and not full.',
          parameters: [parameter('IdempotencyKey'), parameter('AcceptLanguage')],
          requestBody: { required: true, content: json(ref('CreateTicket')) },
          responses: {
            201: {
              description: 'The new ticket.',
              headers: replayHeaders,
              content: json(ref('Ticket')),
            },
            401: response('Unauthorized'),
            404: response('NotFound'),
            409: response('Conflict'),
            422: response('ValidationFailed'),
            429: response('TooManyRequests'),
          },
        },
      },
      '/tickets/{id}': {
        get: {
          operationId: 'getTicket',
          tags: ['Tickets'],
          summary: 'Read a ticket',
          description:
            'A ticket with its status, counter, how many wait before it and its history.',
          parameters: [parameter('TicketId'), parameter('AcceptLanguage')],
          responses: {
            200: {
              description: 'The ticket.',
              headers: rateLimitHeaders,
              content: json(ref('Ticket')),
            },
            401: response('Unauthorized'),
            404: response('NotFound'),
            429: response('TooManyRequests'),
          },
        },
      },
      '/tickets/{id}/actions': {
        post: {
          operationId: 'actOnTicket',
          tags: ['Tickets'],
          summary: 'Act on a ticket',
          description: `Moves a ticket, as a counter's operator would: ${API_TICKET_ACTIONS.map((action) => `\`${action}\``).join(', ')}. \`${COUNTER_ACTIONS.join('`, `')}\` need \`counter_id\`; \`transfer\` needs \`to_service_id\` and/or \`to_counter_id\`; \`cancel\` needs a \`reason\`. A move the ticket's status does not allow answers 409 with the reason.`,
          parameters: [
            parameter('TicketId'),
            parameter('IdempotencyKey'),
            parameter('AcceptLanguage'),
          ],
          requestBody: { required: true, content: json(ref('TicketAction')) },
          responses: {
            200: {
              description: 'The ticket after the action.',
              headers: replayHeaders,
              content: json(ref('Ticket')),
            },
            401: response('Unauthorized'),
            404: response('NotFound'),
            409: response('Conflict'),
            422: response('ValidationFailed'),
            429: response('TooManyRequests'),
          },
        },
      },
      '/queues': {
        get: {
          operationId: 'listQueues',
          tags: ['Queues'],
          summary: "Read today's queues",
          description:
            'Per active service of the branch (or only the service asked for): who waits, in call order, and who is at a counter now.',
          parameters: [
            {
              name: 'branch_id',
              in: 'query',
              required: true,
              description: 'The branch.',
              schema: id('A branch id.'),
            },
            {
              name: 'service_id',
              in: 'query',
              required: false,
              description: 'Only this service of the branch.',
              schema: id('A service id.'),
            },
            parameter('AcceptLanguage'),
          ],
          responses: {
            200: {
              description: 'The queues.',
              headers: rateLimitHeaders,
              content: json(ref('Queues')),
            },
            401: response('Unauthorized'),
            404: response('NotFound'),
            422: response('ValidationFailed'),
            429: response('TooManyRequests'),
          },
        },
      },
      '/appointments': {
        post: {
          operationId: 'createAppointment',
          tags: ['Appointments'],
          summary: 'Book a time',
          description:
            'Books a free time of a bookable service (channel `api`): at `resource_id` if given, else at the first resource with room. A taken time answers 409 `E_BOOKING_SLOT_FULL`; a time the service does not offer that day 422 `E_BOOKING_TIME_UNAVAILABLE`. A prepaid service starts `pending_payment`.',
          parameters: [parameter('IdempotencyKey'), parameter('AcceptLanguage')],
          requestBody: { required: true, content: json(ref('CreateAppointment')) },
          responses: {
            201: {
              description: 'The booking.',
              headers: replayHeaders,
              content: json(ref('Booking')),
            },
            401: response('Unauthorized'),
            404: response('NotFound'),
            409: response('Conflict'),
            422: response('ValidationFailed'),
            429: response('TooManyRequests'),
          },
        },
      },
      '/appointments/{id}/checkin': {
        post: {
          operationId: 'checkInAppointment',
          tags: ['Appointments'],
          summary: 'Check a customer in',
          description:
            'The customer has arrived. Within the arrival tolerance the booking is `arrived` (and, when the business blends bookings into the queue, gets a queue number in `ticket`); later it is `expired`. Earlier than the check-in window answers 409 `E_BOOKING_TOO_EARLY`; an unpaid booking 409 `E_BOOKING_NOT_PAID`.',
          parameters: [
            parameter('BookingId'),
            parameter('IdempotencyKey'),
            parameter('AcceptLanguage'),
          ],
          responses: {
            200: {
              description: 'The booking after check-in.',
              headers: replayHeaders,
              content: json(ref('Booking')),
            },
            401: response('Unauthorized'),
            404: response('NotFound'),
            409: response('Conflict'),
            429: response('TooManyRequests'),
          },
        },
      },
      '/bookings': {
        get: {
          operationId: 'listBookings',
          tags: ['Sessions'],
          summary: 'List bookings',
          description:
            "The bookings of a day (default: each branch's today), in time order, optionally of one status and one branch. Pages of `per_page` (100 unless told); `next_page` is null on the last.",
          parameters: [
            {
              name: 'status',
              in: 'query',
              required: false,
              description: 'Only bookings in this status.',
              schema: { type: 'string', enum: BOOKING_STATUSES, example: 'awaiting_customer' },
            },
            {
              name: 'date',
              in: 'query',
              required: false,
              description:
                "The branch-local day, YYYY-MM-DD (default: today in each branch's zone).",
              schema: { type: 'string', format: 'date', example: '2026-11-22' },
            },
            {
              name: 'branch_id',
              in: 'query',
              required: false,
              description: 'Only this branch.',
              schema: id('A branch id.'),
            },
            {
              name: 'page',
              in: 'query',
              required: false,
              description: 'Page, from 1.',
              schema: id('A page number.'),
            },
            {
              name: 'per_page',
              in: 'query',
              required: false,
              description: 'Bookings per page, 1-500.',
              schema: { type: 'integer', minimum: 1, maximum: 500, example: 100 },
            },
            parameter('AcceptLanguage'),
          ],
          responses: {
            200: {
              description: 'The bookings.',
              headers: rateLimitHeaders,
              content: json(ref('BookingList')),
            },
            401: response('Unauthorized'),
            404: response('NotFound'),
            422: response('ValidationFailed'),
            429: response('TooManyRequests'),
          },
        },
      },
      ...sessionAction(
        'arrival',
        'recordArrival',
        'Record an arrival',
        'The same as checking in: `arrived` within the tolerance, `expired` later ("hangus"). 409 when too early or unpaid.'
      ),
      ...sessionAction(
        'start',
        'startSession',
        'Start the session',
        "The session runs for the business's session length from now: `session_ends_at`, `seconds_left`. 409 unless the customer has arrived (or the booking awaits them)."
      ),
      ...sessionAction(
        'finish',
        'finishSession',
        'Finish the session',
        'The session is done; finishing after `session_ends_at` is recorded as an overrun. 409 unless it is running.'
      ),
      '/sessions/{id}/override': {
        post: {
          operationId: 'overrideSession',
          tags: ['Sessions'],
          summary: 'Override the status',
          description:
            "Sets any status by hand, to correct a mistake on site, with a required `reason`: the booking's history keeps when, from, to and why. Coming back into a place-holding status takes the place again (409 `E_BOOKING_SLOT_FULL` when it is gone); the same status answers 422.",
          parameters: [
            parameter('BookingId'),
            parameter('IdempotencyKey'),
            parameter('AcceptLanguage'),
          ],
          requestBody: { required: true, content: json(ref('SessionOverride')) },
          responses: {
            200: {
              description: 'The booking after the override.',
              headers: replayHeaders,
              content: json(ref('Booking')),
            },
            401: response('Unauthorized'),
            404: response('NotFound'),
            409: response('Conflict'),
            422: response('ValidationFailed'),
            429: response('TooManyRequests'),
          },
        },
      },
      '/sessions/{id}/status': {
        get: {
          operationId: 'getSessionStatus',
          tags: ['Sessions'],
          summary: "Read a session's status",
          description:
            "Where the session stands: its status, times, seconds left and whether it overran, with the server's time to count down from.",
          parameters: [parameter('BookingId')],
          responses: {
            200: {
              description: 'The session.',
              headers: rateLimitHeaders,
              content: json(ref('SessionStatus')),
            },
            401: response('Unauthorized'),
            404: response('NotFound'),
            429: response('TooManyRequests'),
          },
        },
      },
      '/outlets': {
        get: {
          operationId: 'listOutlets',
          tags: ['Outlets'],
          summary: 'List outlets',
          description:
            "The business's branches, each with its bookable resources (booths, rooms, chairs, doctors) and the services each offers.",
          responses: {
            200: {
              description: 'The outlets.',
              headers: rateLimitHeaders,
              content: json(ref('Outlets')),
            },
            401: response('Unauthorized'),
            429: response('TooManyRequests'),
          },
        },
      },
      '/settings': {
        get: {
          operationId: 'getBookingSettings',
          tags: ['Settings'],
          summary: 'Read the booking settings',
          description:
            "Session length, arrival tolerance and the rest of the business's booking settings (seed 002's system config).",
          responses: {
            200: {
              description: 'The settings.',
              headers: rateLimitHeaders,
              content: json(ref('BookingSettings')),
            },
            401: response('Unauthorized'),
            429: response('TooManyRequests'),
          },
        },
        put: {
          operationId: 'updateBookingSettings',
          tags: ['Settings'],
          summary: 'Change the booking settings',
          description:
            'Changes any of the settings; those left out keep their value (the payment gateway is set in the admin pages). Only a key created by an owner may: any other answers 403 `E_API_KEY_NOT_OWNER`. The no-show time must be at least the arrival tolerance (422 otherwise). Recorded in the audit log.',
          parameters: [parameter('AcceptLanguage')],
          requestBody: { required: true, content: json(ref('BookingSettingsChange')) },
          responses: {
            200: {
              description: 'The settings now.',
              headers: rateLimitHeaders,
              content: json(ref('BookingSettings')),
            },
            401: response('Unauthorized'),
            403: response('Forbidden'),
            422: response('ValidationFailed'),
            429: response('TooManyRequests'),
          },
        },
      },
      '/customers': {
        get: {
          operationId: 'listCustomers',
          tags: ['Customers'],
          summary: 'List customers',
          description:
            "The business's field-service customers, newest first: searched by name, address or phone (`q`), filtered by status and source. Pages of `per_page` (25 unless told); `meta.last_page` is the last.",
          parameters: [
            {
              name: 'q',
              in: 'query',
              required: false,
              description: 'Part of the name, the address or the phone number.',
              schema: { type: 'string', maxLength: 80, example: 'Budi' },
            },
            {
              name: 'status',
              in: 'query',
              required: false,
              description: 'Only active or only deactivated customers.',
              schema: { type: 'string', enum: CUSTOMER_STATUSES, example: 'active' },
            },
            {
              name: 'source',
              in: 'query',
              required: false,
              description: 'Only customers that came this way.',
              schema: { type: 'string', enum: CUSTOMER_SOURCES, example: 'whatsapp' },
            },
            parameter('Page'),
            parameter('PerPage'),
            parameter('AcceptLanguage'),
          ],
          responses: {
            200: {
              description: 'A page of customers.',
              headers: rateLimitHeaders,
              content: json(ref('CustomerList')),
            },
            401: response('Unauthorized'),
            422: response('ValidationFailed'),
            429: response('TooManyRequests'),
          },
        },
        post: {
          operationId: 'createCustomer',
          tags: ['Customers'],
          summary: 'Add a customer',
          description:
            'Adds a customer (source `manual`). A phone number is stored in E.164 (`0812…` becomes `+62812…`) and names one customer of the business: a number already on file answers 409 `E_CUSTOMER_PHONE_TAKEN`, one that is not a phone number 422 `E_INVALID_PHONE`. Recorded in the audit log.',
          parameters: [parameter('IdempotencyKey'), parameter('AcceptLanguage')],
          requestBody: { required: true, content: json(ref('CreateCustomer')) },
          responses: {
            201: {
              description: 'The new customer.',
              headers: replayHeaders,
              content: json(ref('Customer')),
            },
            401: response('Unauthorized'),
            409: response('Conflict'),
            422: response('ValidationFailed'),
            429: response('TooManyRequests'),
          },
        },
      },
      '/customers/{id}': {
        get: {
          operationId: 'getCustomer',
          tags: ['Customers'],
          summary: 'Read a customer',
          description: 'A customer, active or deactivated.',
          parameters: [parameter('CustomerId'), parameter('AcceptLanguage')],
          responses: {
            200: {
              description: 'The customer.',
              headers: rateLimitHeaders,
              content: json(ref('Customer')),
            },
            401: response('Unauthorized'),
            404: response('NotFound'),
            429: response('TooManyRequests'),
          },
        },
        patch: {
          operationId: 'updateCustomer',
          tags: ['Customers'],
          summary: 'Change a customer',
          description:
            'Changes the fields sent; the others keep their value, and `null` empties one (the name aside). The phone follows the same rules as when adding (409 `E_CUSTOMER_PHONE_TAKEN`, 422 `E_INVALID_PHONE`). Recorded in the audit log.',
          parameters: [parameter('CustomerId'), parameter('AcceptLanguage')],
          requestBody: { required: true, content: json(ref('CustomerChange')) },
          responses: {
            200: {
              description: 'The customer after the change.',
              headers: rateLimitHeaders,
              content: json(ref('Customer')),
            },
            401: response('Unauthorized'),
            404: response('NotFound'),
            409: response('Conflict'),
            422: response('ValidationFailed'),
            429: response('TooManyRequests'),
          },
        },
      },
      '/customers/{id}/deactivate': {
        post: {
          operationId: 'deactivateCustomer',
          tags: ['Customers'],
          summary: 'Deactivate a customer',
          description:
            'The soft delete: the customer becomes `inactive`, leaves the pickers and can get no new job; their jobs and history stay. Deactivating a deactivated customer changes nothing. Recorded in the audit log.',
          parameters: [
            parameter('CustomerId'),
            parameter('IdempotencyKey'),
            parameter('AcceptLanguage'),
          ],
          responses: {
            200: {
              description: 'The customer, inactive.',
              headers: replayHeaders,
              content: json(ref('Customer')),
            },
            401: response('Unauthorized'),
            404: response('NotFound'),
            429: response('TooManyRequests'),
          },
        },
      },
      '/jobs': {
        get: {
          operationId: 'listJobs',
          tags: ['Jobs'],
          summary: 'List visit jobs',
          description:
            'Visit jobs, latest planned start first, each with its customer and the technicians on it now. Filters combine; `from` and `to` bound the planned start. Pages of `per_page` (25 unless told).',
          parameters: [
            {
              name: 'status',
              in: 'query',
              required: false,
              description: 'Only jobs in this status.',
              schema: { type: 'string', enum: JOB_STATUSES, example: 'open' },
            },
            {
              name: 'priority',
              in: 'query',
              required: false,
              description: 'Only jobs of this priority.',
              schema: { type: 'string', enum: JOB_PRIORITIES, example: 'urgent' },
            },
            {
              name: 'customer_id',
              in: 'query',
              required: false,
              description: "Only this customer's jobs.",
              schema: id('A customer id.'),
            },
            {
              name: 'technician_id',
              in: 'query',
              required: false,
              description: 'Only jobs this technician holds a place on now.',
              schema: id('A technician (user) id.'),
            },
            {
              name: 'branch_id',
              in: 'query',
              required: false,
              description: 'Only this branch.',
              schema: id('A branch id.'),
            },
            {
              name: 'from',
              in: 'query',
              required: false,
              description: 'Planned to start on or after this day, YYYY-MM-DD.',
              schema: { type: 'string', format: 'date', example: '2026-11-01' },
            },
            {
              name: 'to',
              in: 'query',
              required: false,
              description: 'Planned to start on or before this day, YYYY-MM-DD.',
              schema: { type: 'string', format: 'date', example: '2026-11-30' },
            },
            {
              name: 'q',
              in: 'query',
              required: false,
              description: "The job's code, or part of its title, address or customer's name.",
              schema: { type: 'string', maxLength: 80, example: 'AC' },
            },
            parameter('Page'),
            parameter('PerPage'),
            parameter('AcceptLanguage'),
          ],
          responses: {
            200: {
              description: 'A page of jobs.',
              headers: rateLimitHeaders,
              content: json(ref('JobList')),
            },
            401: response('Unauthorized'),
            404: response('NotFound'),
            422: response('ValidationFailed'),
            429: response('TooManyRequests'),
          },
        },
        post: {
          operationId: 'createJob',
          tags: ['Jobs'],
          summary: 'Create a visit job',
          description:
            "Creates an `open` job in a branch for an active customer, at the address given or else the customer's; technicians of the branch see it in their pool and claim its `quota` places. An inactive customer answers 422 `E_CUSTOMER_NOT_FOUND`, an end before the start (or a day that does not exist) 422 `E_JOB_DATES_INVALID`, no address at all 422 `E_JOB_ADDRESS_REQUIRED`. Announced as the webhook `job.created`.",
          parameters: [parameter('IdempotencyKey'), parameter('AcceptLanguage')],
          requestBody: { required: true, content: json(ref('CreateJob')) },
          responses: {
            201: {
              description: 'The new job.',
              headers: replayHeaders,
              content: json(ref('Job')),
            },
            401: response('Unauthorized'),
            404: response('NotFound'),
            422: response('ValidationFailed'),
            429: response('TooManyRequests'),
          },
        },
      },
      '/jobs/{id}': {
        get: {
          operationId: 'getJob',
          tags: ['Jobs'],
          summary: 'Read a visit job',
          description:
            'A job with its customer and the technicians holding its places now (when each claimed, started and finished).',
          parameters: [parameter('JobId'), parameter('AcceptLanguage')],
          responses: {
            200: {
              description: 'The job.',
              headers: rateLimitHeaders,
              content: json(ref('Job')),
            },
            401: response('Unauthorized'),
            404: response('NotFound'),
            429: response('TooManyRequests'),
          },
        },
      },
      '/jobs/{id}/cancel': {
        post: {
          operationId: 'cancelJob',
          tags: ['Jobs'],
          summary: 'Cancel a visit job',
          description:
            'Cancels a job nobody has claimed yet, with a required `reason` (kept on its history). Once a technician has claimed a place the answer is 409 `E_JOB_CLAIMED_LOCKED`; a job already done or cancelled 409 `E_JOB_CLOSED`. Announced as the webhook `job.cancelled`; recorded in the audit log.',
          parameters: [
            parameter('JobId'),
            parameter('IdempotencyKey'),
            parameter('AcceptLanguage'),
          ],
          requestBody: { required: true, content: json(ref('JobCancel')) },
          responses: {
            200: {
              description: 'The job, cancelled.',
              headers: replayHeaders,
              content: json(ref('Job')),
            },
            401: response('Unauthorized'),
            404: response('NotFound'),
            409: response('Conflict'),
            422: response('ValidationFailed'),
            429: response('TooManyRequests'),
          },
        },
      },
      '/jobs/{id}/events': {
        get: {
          operationId: 'listJobEvents',
          tags: ['Jobs'],
          summary: "Read a job's history",
          description:
            'Every step of the job, oldest first: created, edited, claimed, released, returned to the pool, started, notes, photos, each technician done, done, closed, cancelled, extensions asked and decided. Append-only.',
          parameters: [parameter('JobId'), parameter('AcceptLanguage')],
          responses: {
            200: {
              description: 'The history.',
              headers: rateLimitHeaders,
              content: json(ref('JobEvents')),
            },
            401: response('Unauthorized'),
            404: response('NotFound'),
            429: response('TooManyRequests'),
          },
        },
      },
      ...billingPaths(),
      '/openapi.json': {
        get: {
          operationId: 'getOpenApiDocument',
          tags: ['Meta'],
          summary: 'This document',
          description:
            'The OpenAPI 3.0.3 description of the API. No key needed. A readable version is at /api/docs.',
          security: [],
          responses: {
            200: { description: 'The OpenAPI document.', content: json({ type: 'object' }) },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key: `Authorization: Bearer lk_…`.',
        },
        apiKeyHeader: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Api-Key',
          description: 'The same key in its own header.',
        },
      },
      parameters: {
        BookingId: {
          name: 'id',
          in: 'path',
          required: true,
          description: 'The booking (session) id.',
          schema: { type: 'string', format: 'uuid', example: EXAMPLE_TICKET_ID },
        },
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Makes a retry safe: a repeat of the same request with the same key gets the first answer and changes nothing.',
          schema: {
            type: 'string',
            minLength: 1,
            maxLength: 128,
            example: '3f0c2a9e-8d5b-4a43-9d8e-0c5c1f6b7a21',
          },
        },
        AcceptLanguage: {
          name: 'Accept-Language',
          in: 'header',
          required: false,
          description: 'Language of messages and service names: `en` (default), `id` or `ms`.',
          schema: { type: 'string', example: 'id' },
        },
        TicketId: {
          name: 'id',
          in: 'path',
          required: true,
          description: 'The ticket id.',
          schema: { type: 'string', format: 'uuid', example: EXAMPLE_TICKET_ID },
        },
        CustomerId: {
          name: 'id',
          in: 'path',
          required: true,
          description: 'The customer id.',
          schema: id('A customer id.'),
        },
        JobId: {
          name: 'id',
          in: 'path',
          required: true,
          description: 'The job id.',
          schema: id('A job id.'),
        },
        Page: {
          name: 'page',
          in: 'query',
          required: false,
          description: 'Page, from 1.',
          schema: id('A page number.'),
        },
        ...billingParameters(),
        PerPage: {
          name: 'per_page',
          in: 'query',
          required: false,
          description: `Rows per page, 1-${MAX_PER_PAGE} (25 unless told).`,
          schema: { type: 'integer', minimum: 1, maximum: MAX_PER_PAGE, example: 25 },
        },
      },
      headers: {
        RateLimitLimit: {
          description: 'Requests this key may make per minute.',
          schema: { type: 'integer' },
        },
        RateLimitRemaining: {
          description: 'Requests left in the current minute.',
          schema: { type: 'integer' },
        },
        RetryAfter: {
          description: 'Seconds to wait before trying again.',
          schema: { type: 'integer' },
        },
        IdempotentReplayed: {
          description:
            '`true` when this is the stored answer to an earlier request with the same Idempotency-Key.',
          schema: { type: 'string', enum: ['true'] },
        },
      },
      responses: {
        Unauthorized: {
          description:
            'No API key, or an unknown or revoked one (`E_API_KEY_MISSING`, `E_API_KEY_INVALID`).',
          content: json(ref('Error')),
        },
        NotFound: {
          description: 'No such record in your business (`E_ROW_NOT_FOUND`, `E_TICKET_NOT_FOUND`).',
          content: json(ref('Error')),
        },
        Conflict: {
          description:
            'The queue does not allow this now, e.g. `E_ILLEGAL_COMPLETE`, `E_COUNTER_BUSY`, `E_SERVICE_UNAVAILABLE`, `E_BRANCH_CLOSED`; a job a technician has claimed (`E_JOB_CLAIMED_LOCKED`); a phone number another customer has (`E_CUSTOMER_PHONE_TAKEN`); or the Idempotency-Key is still in use by a request being answered (`E_IDEMPOTENCY_KEY_IN_USE`).',
          content: json(ref('Error')),
        },
        ValidationFailed: {
          description:
            'Invalid input (`E_VALIDATION_ERROR`, with `fields`), or an Idempotency-Key reused with a different request (`E_IDEMPOTENCY_KEY_REUSED`).',
          content: json(ref('Error')),
        },
        Forbidden: {
          description:
            'This key may not do this, e.g. change settings with a key no owner created (`E_API_KEY_NOT_OWNER`).',
          content: json(ref('Error')),
        },
        TooManyRequests: {
          description: 'Over the rate limit of this key (`E_TOO_MANY_REQUESTS`).',
          headers: { 'Retry-After': header('RetryAfter'), ...rateLimitHeaders },
          content: json(ref('Error')),
        },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          example: {
            error: {
              code: 'E_ILLEGAL_COMPLETE',
              message: 'Number A001 cannot be completed: it is waiting.',
            },
          },
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: {
                  type: 'string',
                  description: 'Stable, for programs.',
                  example: 'E_ILLEGAL_COMPLETE',
                },
                message: {
                  type: 'string',
                  description: 'For people, in the language asked for.',
                  example: 'Number A001 cannot be completed: it is waiting.',
                },
                fields: {
                  type: 'array',
                  description: 'With 422 validation errors: each invalid field.',
                  items: ref('FieldError'),
                },
              },
            },
          },
        },
        FieldError: {
          type: 'object',
          required: ['field', 'message', 'rule'],
          properties: {
            field: { type: 'string', example: 'service_id' },
            message: { type: 'string', example: 'The service_id field must be defined' },
            rule: { type: 'string', example: 'required' },
          },
        },
        Service: {
          type: 'object',
          required: ['id', 'code', 'name'],
          properties: {
            id: id('Service id.'),
            code: {
              type: 'string',
              description: 'The letter(s) numbers start with.',
              example: 'A',
            },
            name: { type: 'string', example: 'General practice' },
          },
        },
        Counter: {
          type: 'object',
          required: ['id', 'name'],
          properties: { id: id('Counter id.'), name: { type: 'string', example: 'Loket 1' } },
        },
        TicketEvent: {
          type: 'object',
          required: ['type', 'at', 'counter_id'],
          properties: {
            type: { type: 'string', enum: TICKET_EVENT_TYPES, example: 'created' },
            at: time('When it happened.'),
            counter_id: {
              type: 'integer',
              nullable: true,
              description: 'The counter involved, if any.',
              example: null,
            },
          },
        },
        Ticket: {
          type: 'object',
          required: [
            'id',
            'number',
            'status',
            'priority',
            'branch_id',
            'service',
            'counter',
            'ahead',
            'created_at',
            'called_at',
            'completed_at',
            'events',
          ],
          properties: {
            id: { type: 'string', format: 'uuid', example: EXAMPLE_TICKET_ID },
            number: {
              type: 'string',
              description: 'The number people see and hear; restarts every day.',
              example: 'A001',
            },
            status: { type: 'string', enum: TICKET_STATUSES, example: 'waiting' },
            priority: { type: 'string', enum: PRIORITIES, example: 'regular' },
            branch_id: id('Branch id.'),
            service: ref('Service'),
            counter: {
              allOf: [ref('Counter')],
              nullable: true,
              description: 'The counter serving it, while called or being served.',
              example: null,
            },
            ahead: {
              type: 'integer',
              description:
                'Waiting tickets of the same service that will be called before it (0 unless waiting).',
              example: 2,
            },
            created_at: time('When the number was taken.'),
            called_at: time('When it was last called.', true),
            completed_at: time('When service ended.', true),
            events: {
              type: 'array',
              description: 'Its history, oldest first.',
              items: ref('TicketEvent'),
            },
          },
        },
        CreateTicket: {
          type: 'object',
          required: ['branch_id', 'service_id'],
          properties: {
            branch_id: id('The branch.'),
            service_id: id('A service of that branch.'),
            priority: {
              type: 'string',
              enum: PRIORITIES,
              description: "Default: the service's default priority.",
              example: 'regular',
            },
            phone: {
              type: 'string',
              maxLength: 30,
              description: "Visitor's phone for updates; stored in E.164 (+62…).",
              example: '0812-3456-7890',
            },
            name: {
              type: 'string',
              maxLength: 120,
              description: "Visitor's name.",
              example: 'Siti',
            },
            note: {
              type: 'string',
              maxLength: 255,
              description: 'A note for staff.',
              example: 'Control visit',
            },
          },
        },
        TicketAction: {
          type: 'object',
          required: ['action'],
          example: { action: 'call', counter_id: 1 },
          properties: {
            action: { type: 'string', enum: API_TICKET_ACTIONS, example: 'call' },
            counter_id: id(
              `The counter acting. Required for ${COUNTER_ACTIONS.join(', ')}; for no_show and transfer the ticket must be at it.`
            ),
            to_service_id: id('transfer: the service to send the ticket to.', 2),
            to_counter_id: id(
              'transfer: the counter to send the ticket to (required unless to_service_id is given).',
              2
            ),
            reason: {
              type: 'string',
              minLength: 2,
              maxLength: 200,
              description: 'cancel: why (required).',
              example: 'Left before being called',
            },
          },
        },
        WaitingTicket: {
          type: 'object',
          required: ['id', 'number', 'priority', 'queued_at', 'ahead'],
          properties: {
            id: { type: 'string', format: 'uuid', example: EXAMPLE_TICKET_ID },
            number: { type: 'string', example: 'A002' },
            priority: { type: 'string', enum: PRIORITIES, example: 'regular' },
            queued_at: time('When it joined the queue.'),
            ahead: {
              type: 'integer',
              description: 'Waiting tickets that will be called before it.',
              example: 0,
            },
          },
        },
        TicketAtCounter: {
          type: 'object',
          required: ['id', 'number', 'status', 'counter'],
          properties: {
            id: { type: 'string', format: 'uuid', example: '6a1f3c52-2b7e-4d0a-8f61-3e9b5c7d1a20' },
            number: { type: 'string', example: 'A001' },
            status: { type: 'string', enum: ['called', 'serving'], example: 'called' },
            counter: ref('Counter'),
          },
        },
        Queue: {
          type: 'object',
          required: ['service', 'waiting_count', 'waiting', 'at_counters'],
          properties: {
            service: ref('Service'),
            waiting_count: { type: 'integer', example: 1 },
            waiting: {
              type: 'array',
              description: 'In the order they will be called.',
              items: ref('WaitingTicket'),
            },
            at_counters: {
              type: 'array',
              description: 'Called or being served now.',
              items: ref('TicketAtCounter'),
            },
          },
        },
        BookableResource: {
          type: 'object',
          required: ['id', 'kind', 'name'],
          properties: {
            id: id('Resource id.'),
            kind: { type: 'string', enum: RESOURCE_KINDS, example: 'booth' },
            name: { type: 'string', example: 'Booth 1' },
          },
        },
        Booking: {
          type: 'object',
          required: [
            'id',
            'code',
            'status',
            'channel',
            'branch_id',
            'resource',
            'service',
            'service_date',
            'local_time',
            'starts_at',
            'ends_at',
            'customer',
            'note',
            'price',
            'pay_by',
            'paid_at',
            'arrived_at',
            'started_at',
            'session_ends_at',
            'finished_at',
            'cancelled_at',
            'cancel_reason',
            'seconds_left',
            'overrun',
            'ticket',
            'created_at',
          ],
          properties: {
            id: {
              type: 'string',
              format: 'uuid',
              description: "Also the customer's link: /booking/{id}.",
              example: EXAMPLE_TICKET_ID,
            },
            code: {
              type: 'string',
              description: 'Short code to read out or type (BK + 5).',
              example: 'BK7Q3XM',
            },
            status: { type: 'string', enum: BOOKING_STATUSES, example: 'awaiting_customer' },
            channel: { type: 'string', enum: BOOKING_CHANNELS, example: 'api' },
            branch_id: id('Branch id.'),
            resource: ref('BookableResource'),
            service: ref('Service'),
            service_date: {
              type: 'string',
              format: 'date',
              description: 'The branch-local day of the start.',
              example: '2026-11-22',
            },
            local_time: {
              type: 'string',
              description: 'The branch-local time of the start, HH:mm.',
              example: '09:30',
            },
            starts_at: time('Start.'),
            ends_at: time('End of the booked time.'),
            customer: {
              type: 'object',
              required: ['name', 'phone', 'email'],
              properties: {
                name: { type: 'string', example: 'Sari' },
                phone: {
                  type: 'string',
                  nullable: true,
                  description: 'E.164.',
                  example: '+6281234567890',
                },
                email: { type: 'string', nullable: true, example: null },
              },
            },
            note: { type: 'string', nullable: true, example: null },
            price: {
              type: 'object',
              required: ['amount', 'currency', 'formatted'],
              properties: {
                amount: { type: 'integer', description: 'Minor units.', example: 2500000 },
                currency: { type: 'string', example: 'IDR' },
                formatted: { type: 'string', example: 'Rp 25.000' },
              },
            },
            pay_by: time('An unpaid prepaid booking is released at this moment.', true),
            paid_at: time('When it was paid.', true),
            arrived_at: time('When the customer checked in.', true),
            started_at: time('When the session started.', true),
            session_ends_at: time('When the running session should end.', true),
            finished_at: time('When the session finished.', true),
            cancelled_at: time('When it was cancelled.', true),
            cancel_reason: { type: 'string', nullable: true, example: null },
            seconds_left: {
              type: 'integer',
              nullable: true,
              description: 'A running session: seconds to session_ends_at (0 once past it).',
              example: null,
            },
            overrun: {
              type: 'boolean',
              description: 'A running session past session_ends_at.',
              example: false,
            },
            ticket: {
              type: 'object',
              nullable: true,
              description: 'The queue number it got when it joined the walk-in queue.',
              required: ['id', 'number'],
              properties: {
                id: { type: 'string', format: 'uuid', example: EXAMPLE_TICKET_ID },
                number: { type: 'string', example: 'A012' },
              },
              example: null,
            },
            created_at: time('When it was booked.'),
          },
        },
        CreateAppointment: {
          type: 'object',
          required: ['branch_id', 'service_id', 'date', 'time', 'name'],
          properties: {
            branch_id: id('The branch.'),
            service_id: id('A bookable service of that branch.'),
            date: {
              type: 'string',
              format: 'date',
              description: 'The branch-local day.',
              example: '2026-11-22',
            },
            time: {
              type: 'string',
              description: 'A free start time that day, HH:mm.',
              example: '09:30',
            },
            resource_id: id(
              'A resource of the branch that offers the service (default: the first with room).'
            ),
            name: { type: 'string', minLength: 2, maxLength: 120, example: 'Sari' },
            phone: {
              type: 'string',
              maxLength: 30,
              description: 'Stored in E.164.',
              example: '0812-3456-7890',
            },
            email: { type: 'string', maxLength: 190, example: 'sari@example.com' },
            note: { type: 'string', maxLength: 255, example: 'Graduation photo' },
          },
        },
        BookingList: {
          type: 'object',
          required: ['page', 'per_page', 'next_page', 'bookings'],
          properties: {
            page: { type: 'integer', example: 1 },
            per_page: { type: 'integer', example: 100 },
            next_page: { type: 'integer', nullable: true, example: null },
            bookings: { type: 'array', items: ref('Booking') },
          },
        },
        SessionOverride: {
          type: 'object',
          required: ['status', 'reason'],
          properties: {
            status: { type: 'string', enum: BOOKING_STATUSES, example: 'done' },
            reason: {
              type: 'string',
              minLength: 3,
              maxLength: 255,
              description: 'Why: kept on the history.',
              example: 'Booth printer jammed; session given again',
            },
          },
        },
        SessionStatus: {
          type: 'object',
          required: [
            'booking_id',
            'code',
            'status',
            'customer_name',
            'starts_at',
            'started_at',
            'session_ends_at',
            'seconds_left',
            'overrun',
            'resource_id',
            'arrived_at',
            'finished_at',
            'server_time',
          ],
          properties: {
            booking_id: { type: 'string', format: 'uuid', example: EXAMPLE_TICKET_ID },
            code: { type: 'string', example: 'BK7Q3XM' },
            status: { type: 'string', enum: BOOKING_STATUSES, example: 'ongoing' },
            customer_name: { type: 'string', example: 'Sari' },
            starts_at: time('The booked start.'),
            started_at: time('When the session started.', true),
            session_ends_at: time('When it should end.', true),
            seconds_left: { type: 'integer', nullable: true, example: 540 },
            overrun: { type: 'boolean', example: false },
            resource_id: id('The resource.'),
            arrived_at: time('When the customer checked in.', true),
            finished_at: time('When it finished.', true),
            server_time: time("The server's clock: count down from it."),
          },
        },
        Outlet: {
          type: 'object',
          required: ['id', 'name', 'slug', 'timezone', 'address', 'resources'],
          properties: {
            id: id('Branch id.'),
            name: { type: 'string', example: 'Mall Kelapa Gading' },
            slug: { type: 'string', example: 'mkg' },
            timezone: { type: 'string', example: 'Asia/Jakarta' },
            address: { type: 'string', nullable: true, example: null },
            resources: {
              type: 'array',
              items: {
                type: 'object',
                required: ['id', 'kind', 'name', 'is_active', 'service_ids'],
                properties: {
                  id: id('Resource id.'),
                  kind: { type: 'string', enum: RESOURCE_KINDS, example: 'booth' },
                  name: { type: 'string', example: 'Booth 1' },
                  is_active: { type: 'boolean', example: true },
                  service_ids: { type: 'array', items: id('A service it offers.') },
                },
              },
            },
          },
        },
        Outlets: {
          type: 'object',
          required: ['outlets'],
          properties: { outlets: { type: 'array', items: ref('Outlet') } },
        },
        BookingSettings: {
          type: 'object',
          required: [
            ...SETTING_FIELDS.map(([name]) => name),
            'reminder_day_before',
            'reminder_hour_before',
            'blending_mode',
            'payment_provider',
          ],
          properties: {
            ...settingProperties(),
            payment_provider: {
              type: 'string',
              enum: PAYMENT_PROVIDERS,
              nullable: true,
              description: 'Set in the admin pages.',
              example: null,
            },
          },
        },
        BookingSettingsChange: {
          type: 'object',
          description: 'Any of the settings; those left out keep their value.',
          example: { session_duration_minutes: 20, arrival_tolerance_minutes: 15 },
          properties: settingProperties(),
        },
        Queues: {
          type: 'object',
          required: ['branch_id', 'service_date', 'queues'],
          properties: {
            branch_id: id('The branch.'),
            service_date: {
              type: 'string',
              format: 'date',
              description: "The branch's local day.",
              example: '2026-11-22',
            },
            queues: { type: 'array', items: ref('Queue') },
          },
        },
        PageMeta: {
          type: 'object',
          required: ['total', 'page', 'per_page', 'last_page'],
          properties: {
            total: { type: 'integer', description: 'Rows matching, on every page.', example: 1 },
            page: { type: 'integer', example: 1 },
            per_page: { type: 'integer', example: 25 },
            last_page: { type: 'integer', example: 1 },
          },
        },
        Customer: {
          type: 'object',
          required: [
            'id',
            'name',
            'phone',
            'address',
            'notes',
            'status',
            'source',
            'locale',
            'created_at',
            'updated_at',
          ],
          properties: {
            id: id('Customer id.'),
            name: { type: 'string', example: 'Pak Budi' },
            phone: {
              type: 'string',
              nullable: true,
              description: 'E.164; one customer per number.',
              example: '+6281234567890',
            },
            address: { type: 'string', nullable: true, example: 'Jl. Melati 5, Bandung' },
            notes: { type: 'string', nullable: true, example: null },
            status: {
              type: 'string',
              enum: CUSTOMER_STATUSES,
              description: '`inactive` once deactivated (the soft delete).',
              example: 'active',
            },
            source: {
              type: 'string',
              enum: CUSTOMER_SOURCES,
              description:
                'How the customer came: added by staff or the API, by WhatsApp, by a CSV import.',
              example: 'manual',
            },
            locale: {
              type: 'string',
              enum: ['id', 'en', 'ms'],
              nullable: true,
              description: "The language of their messages; the business's when null.",
              example: null,
            },
            created_at: time('When the customer was added.'),
            updated_at: time('When they last changed.'),
          },
        },
        CreateCustomer: {
          type: 'object',
          required: ['name'],
          properties: customerFieldProperties(),
        },
        CustomerChange: {
          type: 'object',
          description: 'Any of the fields; those left out keep their value, `null` empties one.',
          example: { phone: '0813-2222-3333', address: 'Jl. Kenanga 7, Bandung' },
          properties: customerFieldProperties(),
        },
        CustomerList: {
          type: 'object',
          required: ['data', 'meta'],
          properties: {
            data: { type: 'array', items: ref('Customer') },
            meta: ref('PageMeta'),
          },
        },
        JobTechnician: {
          type: 'object',
          required: ['id', 'name', 'claimed_at', 'started_at', 'done_at'],
          properties: {
            id: id('The technician (user) id.', 7),
            name: { type: 'string', example: 'Andi' },
            claimed_at: time('When they claimed the place.'),
            started_at: time('When they started.', true),
            done_at: time('When they marked their part done.', true),
          },
        },
        Job: {
          type: 'object',
          required: [
            'id',
            'code',
            'status',
            'branch_id',
            'customer_id',
            'title',
            'description',
            'address',
            'planned_start',
            'planned_end',
            'quota',
            'claimed',
            'places_left',
            'priority',
            'started_at',
            'done_at',
            'cancelled_at',
            'cancel_reason',
            'created_at',
            'customer',
            'technicians',
          ],
          properties: {
            id: id('Job id.'),
            code: {
              type: 'string',
              description: 'Short code to read out on the phone (JV + 5).',
              example: 'JV7Q3XM',
            },
            status: {
              type: 'string',
              enum: JOB_STATUSES,
              description:
                '`open` → `assigned` (every place claimed) → `in_progress` → `done`; or `cancelled`.',
              example: 'open',
            },
            branch_id: id('Branch id.'),
            customer_id: id('Customer id.'),
            title: { type: 'string', example: 'Servis AC 2 unit' },
            description: { type: 'string', nullable: true, example: null },
            address: { type: 'string', example: 'Jl. Melati 5, Bandung' },
            planned_start: {
              type: 'string',
              format: 'date',
              description: 'Branch-local day.',
              example: '2026-11-22',
            },
            planned_end: {
              type: 'string',
              format: 'date',
              description: 'Branch-local day; moves when an extension is approved.',
              example: '2026-11-22',
            },
            quota: {
              type: 'integer',
              minimum: 1,
              maximum: MAX_JOB_QUOTA,
              description: 'How many technicians it needs.',
              example: 2,
            },
            claimed: { type: 'integer', description: 'Places claimed now.', example: 0 },
            places_left: { type: 'integer', description: 'Places still in the pool.', example: 2 },
            priority: { type: 'string', enum: JOB_PRIORITIES, example: 'normal' },
            started_at: time('When the first technician started.', true),
            done_at: time('When it was done.', true),
            cancelled_at: time('When it was cancelled.', true),
            cancel_reason: { type: 'string', nullable: true, example: null },
            created_at: time('When it was created.'),
            customer: {
              type: 'object',
              required: ['id', 'name', 'phone'],
              properties: {
                id: id('Customer id.'),
                name: { type: 'string', example: 'Pak Budi' },
                phone: {
                  type: 'string',
                  nullable: true,
                  description: 'E.164.',
                  example: '+6281234567890',
                },
              },
            },
            technicians: {
              type: 'array',
              description: 'The technicians holding a place now, in claim order.',
              items: ref('JobTechnician'),
            },
          },
        },
        CreateJob: {
          type: 'object',
          required: ['branch_id', 'customer_id', 'title', 'planned_start', 'planned_end', 'quota'],
          properties: {
            branch_id: id('The branch whose technicians do it.'),
            customer_id: id('An active customer.'),
            title: { type: 'string', minLength: 3, maxLength: 120, example: 'Servis AC 2 unit' },
            description: {
              type: 'string',
              maxLength: 2000,
              example: 'AC bocor di kamar depan',
            },
            address: {
              type: 'string',
              maxLength: 500,
              description: "Where to go (default: the customer's address).",
              example: 'Jl. Melati 5, Bandung',
            },
            planned_start: {
              type: 'string',
              format: 'date',
              description: 'Branch-local day, YYYY-MM-DD.',
              example: '2026-11-22',
            },
            planned_end: {
              type: 'string',
              format: 'date',
              description: 'Branch-local day, not before the start.',
              example: '2026-11-23',
            },
            quota: {
              type: 'integer',
              minimum: 1,
              maximum: MAX_JOB_QUOTA,
              description: 'How many technicians it needs.',
              example: 2,
            },
            priority: {
              type: 'string',
              enum: JOB_PRIORITIES,
              description: 'Default: `normal`.',
              example: 'normal',
            },
          },
        },
        JobCancel: {
          type: 'object',
          required: ['reason'],
          properties: {
            reason: {
              type: 'string',
              minLength: 2,
              maxLength: 255,
              description: 'Why: kept on the history.',
              example: 'Customer moved the visit to next month',
            },
          },
        },
        JobList: {
          type: 'object',
          required: ['data', 'meta'],
          properties: {
            data: { type: 'array', items: ref('Job') },
            meta: ref('PageMeta'),
          },
        },
        JobEvent: {
          type: 'object',
          required: [
            'id',
            'type',
            'from_status',
            'to_status',
            'user',
            'reason',
            'data',
            'created_at',
          ],
          properties: {
            id: id('Event id.'),
            type: { type: 'string', enum: JOB_EVENT_TYPES, example: 'claimed' },
            from_status: {
              type: 'string',
              enum: JOB_STATUSES,
              nullable: true,
              description: 'Null for `created`.',
              example: 'open',
            },
            to_status: { type: 'string', enum: JOB_STATUSES, example: 'assigned' },
            user: {
              type: 'object',
              nullable: true,
              description:
                'Who did it: a member of staff, or the creator of the API key used; null for the system.',
              required: ['id', 'name'],
              properties: { id: id('User id.', 7), name: { type: 'string', example: 'Andi' } },
              example: { id: 7, name: 'Andi' },
            },
            reason: {
              type: 'string',
              nullable: true,
              description: "A release's, cancel's or extension's reason, or a note's text.",
              example: null,
            },
            data: {
              type: 'object',
              nullable: true,
              description:
                "Details of the step, e.g. the fields an edit changed as [before, after], or an extension's days.",
              example: null,
            },
            created_at: time('When it happened.'),
          },
        },
        ...billingSchemas(),
        JobEvents: {
          type: 'object',
          required: ['data'],
          properties: {
            data: {
              type: 'array',
              description: 'Oldest first.',
              items: ref('JobEvent'),
            },
          },
        },
      },
    },
  }
}

/** `/sessions/{id}/<action>`: a booth session's step, answered with the booking after it. */
function sessionAction(action: string, operationId: string, summary: string, description: string) {
  return {
    [`/sessions/{id}/${action}`]: {
      post: {
        operationId,
        tags: ['Sessions'],
        summary,
        description,
        parameters: [
          parameter('BookingId'),
          parameter('IdempotencyKey'),
          parameter('AcceptLanguage'),
        ],
        responses: {
          200: {
            description: 'The booking after it.',
            headers: replayHeaders,
            content: json(ref('Booking')),
          },
          401: response('Unauthorized'),
          404: response('NotFound'),
          409: response('Conflict'),
          429: response('TooManyRequests'),
        },
      },
    },
  } as Record<string, Partial<Record<Method, OperationObject>>>
}

/** The booking settings as the API names them: [name, minimum, maximum, example, description]. */
const SETTING_FIELDS: [string, number, number, number, string][] = [
  ['session_duration_minutes', 1, 480, 15, 'How long a started session runs.'],
  [
    'arrival_tolerance_minutes',
    0,
    240,
    15,
    'Arriving later than this after the start expires the booking ("hangus").',
  ],
  ['early_checkin_minutes', 0, 1440, 60, 'How early before the start check-in opens.'],
  ['slot_minutes', 5, 240, 30, 'The step between bookable times.'],
  ['quota_per_slot', 1, 100, 1, 'Bookings one resource takes per slot.'],
  ['payment_minutes', 5, 1440, 30, 'An unpaid prepaid booking is released after this long.'],
  [
    'cancellation_cutoff_minutes',
    0,
    10080,
    120,
    'Customers may move or cancel until this long before the start.',
  ],
  [
    'no_show_grace_minutes',
    0,
    1440,
    30,
    'A booking nobody checked in for is a no-show this long after its start (at least the arrival tolerance).',
  ],
  [
    'blending_auto_minutes',
    1,
    240,
    15,
    'In the `auto` blending mode: how long before the start a booking joins the queue.',
  ],
]

function settingProperties(): Record<string, SchemaObject> {
  return {
    ...Object.fromEntries(
      SETTING_FIELDS.map(([name, minimum, maximum, example, description]) => [
        name,
        { type: 'integer', minimum, maximum, example, description } satisfies SchemaObject,
      ])
    ),
    reminder_day_before: {
      type: 'boolean',
      description: 'Remind the customer the day before.',
      example: true,
    },
    reminder_hour_before: {
      type: 'boolean',
      description: 'Remind the customer an hour before.',
      example: true,
    },
    blending_mode: {
      type: 'string',
      enum: BLENDING_MODES,
      description: '`none`, `checkin` (a queue number at check-in) or `auto`.',
      example: 'checkin',
    },
  }
}

/** A customer's fields as `POST /customers` and `PATCH /customers/{id}` take them. */
function customerFieldProperties(): Record<string, SchemaObject> {
  return {
    name: { type: 'string', minLength: 2, maxLength: 120, example: 'Pak Budi' },
    phone: {
      type: 'string',
      maxLength: 30,
      nullable: true,
      description: 'Stored in E.164 (+62…).',
      example: '0812-3456-7890',
    },
    address: {
      type: 'string',
      maxLength: 500,
      nullable: true,
      description: 'Jobs go here unless they say otherwise.',
      example: 'Jl. Melati 5, Bandung',
    },
    notes: { type: 'string', maxLength: 2000, nullable: true, example: 'Dua unit AC, lantai 2' },
    locale: {
      type: 'string',
      enum: ['id', 'en', 'ms'],
      nullable: true,
      description: "The language of their messages (default: the business's).",
      example: 'id',
    },
  }
}

let document: OpenApiDocument | null = null

/** The document (built once: it only depends on the code and APP_URL). */
export function openApiDocument() {
  document ??= buildDocument()
  return document
}
