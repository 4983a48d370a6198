import { appUrl } from '#config/app'
import { PRIORITIES, TICKET_EVENT_TYPES, TICKET_STATUSES } from '#enums/ticket'
import { API_TICKET_ACTIONS, COUNTER_ACTIONS } from '#services/ticket_commands'

/*
| The REST API's OpenAPI 3.0.3 document: served as /api/v1/openapi.json and rendered as the
| /api/docs page (apiReference below). The shapes match app/services/api_resources.ts and the
| validators in app/validators/api.ts.
*/

export interface SchemaObject {
  type?: 'object' | 'array' | 'string' | 'integer' | 'boolean'
  format?: string
  enum?: readonly string[]
  nullable?: boolean
  description?: string
  properties?: Record<string, SchemaObject>
  required?: readonly string[]
  items?: SchemaObject
  allOf?: SchemaObject[]
  $ref?: string
  minimum?: number
  minLength?: number
  maxLength?: number
  example?: unknown
}

interface ParameterObject {
  name: string
  in: 'path' | 'query' | 'header'
  required?: boolean
  description: string
  schema: SchemaObject
}

interface ResponseObject {
  description: string
  headers?: Record<string, { $ref: string }>
  content?: { 'application/json': { schema: SchemaObject } }
}

interface OperationObject {
  operationId: string
  tags: string[]
  summary: string
  description: string
  security?: Record<string, string[]>[]
  parameters?: (ParameterObject | { $ref: string })[]
  requestBody?: { required: boolean; content: { 'application/json': { schema: SchemaObject } } }
  responses: Record<string, ResponseObject | { $ref: string }>
}

type Method = 'get' | 'post'

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
const EXAMPLE_TICKET_ID = '0b9d6f0e-5d4f-4f8e-9a51-7c0e4d2b9a11'

const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` })
const id = (description: string, example = 1): SchemaObject => ({ type: 'integer', minimum: 1, description, example })
const time = (description: string, nullable = false): SchemaObject => ({
  type: 'string',
  format: 'date-time',
  nullable,
  description,
  example: nullable ? null : '2026-11-22T02:40:16.056Z',
})
const json = (schema: SchemaObject) => ({ 'application/json': { schema } })
const response = (name: string) => ({ $ref: `#/components/responses/${name}` })
const header = (name: string) => ({ $ref: `#/components/headers/${name}` })
const parameter = (name: string) => ({ $ref: `#/components/parameters/${name}` })

const rateLimitHeaders = { 'X-RateLimit-Limit': header('RateLimitLimit'), 'X-RateLimit-Remaining': header('RateLimitRemaining') }
const replayHeaders = { ...rateLimitHeaders, 'Idempotent-Replayed': header('IdempotentReplayed') }

const DESCRIPTION = `Take numbers, follow tickets, act on them and read queues of your business from another system (a booking site, a hospital information system, a chat bot).

## Authentication

Every request but this document carries an API key of your business, as \`Authorization: Bearer lk_…\` (or \`X-Api-Key: lk_…\`). Owners and admins create and revoke keys on the admin page "API keys", or with \`node ace api-keys:create <business-slug> --name=<label>\`. A key is shown once; Loket keeps only its hash. A missing, unknown or revoked key answers 401.

## Idempotency

Send an \`Idempotency-Key\` header (1-128 visible ASCII characters; a fresh UUID per operation) with every POST. A repeat of the same request with the same key changes nothing and gets the first answer again, with \`Idempotent-Replayed: true\`, even when both arrive at the same moment. The same key with a different request answers 422 \`E_IDEMPOTENCY_KEY_REUSED\`.

## Rate limits

Each key may make a limited number of requests per minute (600 unless the server's operator chose otherwise): \`X-RateLimit-Limit\` and \`X-RateLimit-Remaining\` come with every answer. Over the limit the answer is 429, with \`Retry-After\` in seconds.

## Errors

Every error is JSON \`{ "error": { "code", "message", "fields"? } }\`: 401 no valid key, 404 a record that does not exist or belongs to another business, 409 a move the queue does not allow now (the message says why), 422 invalid input (\`fields\` lists each problem), 429 too many requests.

## Languages

Messages follow \`Accept-Language\`: English (default), Indonesian (\`id\`) or Malay (\`ms\`). Service names follow it too, where the business has translated them.

Times are ISO 8601 in UTC. Ticket ids are UUIDs.`

function buildDocument(): OpenApiDocument {
  return {
    openapi: '3.0.3',
    info: { title: 'Loket REST API', version: '1.0.0', description: DESCRIPTION },
    servers: [{ url: `${appUrl}/api/v1` }],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
    tags: [
      { name: 'Tickets', description: 'Numbers in a queue: take one, follow it, move it.' },
      { name: 'Queues', description: "Today's queues of a branch." },
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
            201: { description: 'The new ticket.', headers: replayHeaders, content: json(ref('Ticket')) },
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
          description: 'A ticket with its status, counter, how many wait before it and its history.',
          parameters: [parameter('TicketId'), parameter('AcceptLanguage')],
          responses: {
            200: { description: 'The ticket.', headers: rateLimitHeaders, content: json(ref('Ticket')) },
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
          parameters: [parameter('TicketId'), parameter('IdempotencyKey'), parameter('AcceptLanguage')],
          requestBody: { required: true, content: json(ref('TicketAction')) },
          responses: {
            200: { description: 'The ticket after the action.', headers: replayHeaders, content: json(ref('Ticket')) },
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
          description: "Per active service of the branch (or only the service asked for): who waits, in call order, and who is at a counter now.",
          parameters: [
            { name: 'branch_id', in: 'query', required: true, description: 'The branch.', schema: id('A branch id.') },
            { name: 'service_id', in: 'query', required: false, description: 'Only this service of the branch.', schema: id('A service id.') },
            parameter('AcceptLanguage'),
          ],
          responses: {
            200: { description: 'The queues.', headers: rateLimitHeaders, content: json(ref('Queues')) },
            401: response('Unauthorized'),
            404: response('NotFound'),
            422: response('ValidationFailed'),
            429: response('TooManyRequests'),
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'getOpenApiDocument',
          tags: ['Meta'],
          summary: 'This document',
          description: 'The OpenAPI 3.0.3 description of the API. No key needed. A readable version is at /api/docs.',
          security: [],
          responses: { 200: { description: 'The OpenAPI document.', content: json({ type: 'object' }) } },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer lk_…`.' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'The same key in its own header.' },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'Makes a retry safe: a repeat of the same request with the same key gets the first answer and changes nothing.',
          schema: { type: 'string', minLength: 1, maxLength: 128, example: '3f0c2a9e-8d5b-4a43-9d8e-0c5c1f6b7a21' },
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
      },
      headers: {
        RateLimitLimit: { description: 'Requests this key may make per minute.', schema: { type: 'integer' } },
        RateLimitRemaining: { description: 'Requests left in the current minute.', schema: { type: 'integer' } },
        RetryAfter: { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } },
        IdempotentReplayed: { description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key.', schema: { type: 'string', enum: ['true'] } },
      },
      responses: {
        Unauthorized: {
          description: 'No API key, or an unknown or revoked one (`E_API_KEY_MISSING`, `E_API_KEY_INVALID`).',
          content: json(ref('Error')),
        },
        NotFound: { description: 'No such record in your business (`E_ROW_NOT_FOUND`, `E_TICKET_NOT_FOUND`).', content: json(ref('Error')) },
        Conflict: {
          description: 'The queue does not allow this now, e.g. `E_ILLEGAL_COMPLETE`, `E_COUNTER_BUSY`, `E_SERVICE_UNAVAILABLE`, `E_BRANCH_CLOSED`, or the Idempotency-Key is still in use by a request being answered (`E_IDEMPOTENCY_KEY_IN_USE`).',
          content: json(ref('Error')),
        },
        ValidationFailed: {
          description: 'Invalid input (`E_VALIDATION_ERROR`, with `fields`), or an Idempotency-Key reused with a different request (`E_IDEMPOTENCY_KEY_REUSED`).',
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
          example: { error: { code: 'E_ILLEGAL_COMPLETE', message: 'Number A001 cannot be completed: it is waiting.' } },
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', description: 'Stable, for programs.', example: 'E_ILLEGAL_COMPLETE' },
                message: { type: 'string', description: 'For people, in the language asked for.', example: 'Number A001 cannot be completed: it is waiting.' },
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
            code: { type: 'string', description: 'The letter(s) numbers start with.', example: 'A' },
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
            counter_id: { type: 'integer', nullable: true, description: 'The counter involved, if any.', example: null },
          },
        },
        Ticket: {
          type: 'object',
          required: ['id', 'number', 'status', 'priority', 'branch_id', 'service', 'counter', 'ahead', 'created_at', 'called_at', 'completed_at', 'events'],
          properties: {
            id: { type: 'string', format: 'uuid', example: EXAMPLE_TICKET_ID },
            number: { type: 'string', description: 'The number people see and hear; restarts every day.', example: 'A001' },
            status: { type: 'string', enum: TICKET_STATUSES, example: 'waiting' },
            priority: { type: 'string', enum: PRIORITIES, example: 'regular' },
            branch_id: id('Branch id.'),
            service: ref('Service'),
            counter: { allOf: [ref('Counter')], nullable: true, description: 'The counter serving it, while called or being served.', example: null },
            ahead: { type: 'integer', description: 'Waiting tickets of the same service that will be called before it (0 unless waiting).', example: 2 },
            created_at: time('When the number was taken.'),
            called_at: time('When it was last called.', true),
            completed_at: time('When service ended.', true),
            events: { type: 'array', description: 'Its history, oldest first.', items: ref('TicketEvent') },
          },
        },
        CreateTicket: {
          type: 'object',
          required: ['branch_id', 'service_id'],
          properties: {
            branch_id: id('The branch.'),
            service_id: id('A service of that branch.'),
            priority: { type: 'string', enum: PRIORITIES, description: "Default: the service's default priority.", example: 'regular' },
            phone: { type: 'string', maxLength: 30, description: "Visitor's phone for updates; stored in E.164 (+62…).", example: '0812-3456-7890' },
            name: { type: 'string', maxLength: 120, description: "Visitor's name.", example: 'Siti' },
            note: { type: 'string', maxLength: 255, description: 'A note for staff.', example: 'Control visit' },
          },
        },
        TicketAction: {
          type: 'object',
          required: ['action'],
          example: { action: 'call', counter_id: 1 },
          properties: {
            action: { type: 'string', enum: API_TICKET_ACTIONS, example: 'call' },
            counter_id: id(`The counter acting. Required for ${COUNTER_ACTIONS.join(', ')}; for no_show and transfer the ticket must be at it.`),
            to_service_id: id('transfer: the service to send the ticket to.', 2),
            to_counter_id: id('transfer: the counter to send the ticket to (required unless to_service_id is given).', 2),
            reason: { type: 'string', minLength: 2, maxLength: 200, description: 'cancel: why (required).', example: 'Left before being called' },
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
            ahead: { type: 'integer', description: 'Waiting tickets that will be called before it.', example: 0 },
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
            waiting: { type: 'array', description: 'In the order they will be called.', items: ref('WaitingTicket') },
            at_counters: { type: 'array', description: 'Called or being served now.', items: ref('TicketAtCounter') },
          },
        },
        Queues: {
          type: 'object',
          required: ['branch_id', 'service_date', 'queues'],
          properties: {
            branch_id: id('The branch.'),
            service_date: { type: 'string', format: 'date', description: "The branch's local day.", example: '2026-11-22' },
            queues: { type: 'array', items: ref('Queue') },
          },
        },
      },
    },
  }
}

let document: OpenApiDocument | null = null

/** The document (built once: it only depends on the code and APP_URL). */
export function openApiDocument() {
  document ??= buildDocument()
  return document
}

/*
|--------------------------------------------------------------------------
| The readable reference (/api/docs), derived from the same document
|--------------------------------------------------------------------------
*/

export interface ReferenceField {
  name: string
  type: string
  required: boolean
  /** HTML (escaped text with `code` spans). */
  description: string
}

export interface ReferenceOperation {
  id: string
  method: string
  path: string
  summary: string
  /** HTML (escaped text with `code` spans). */
  description: string
  tag: string
  needsKey: boolean
  parameters: (ReferenceField & { in: string })[]
  body: { schema: string; fields: ReferenceField[]; example: string } | null
  responses: { status: string; description: string; schema: string | null }[]
  example: string | null
  curl: string
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Plain text as HTML: escaped, with `backticked` parts as code. */
function richText(text: string) {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]).replace(/`([^`]+)`/g, '<code>$1</code>')
}

/** The guide in `info.description`: `## Title` paragraphs start a section. */
function sectionsOf(description: string) {
  const sections: { title: string | null; paragraphs: string[] }[] = [{ title: null, paragraphs: [] }]
  for (const block of description.split('\n\n')) {
    if (block.startsWith('## ')) sections.push({ title: block.slice(3), paragraphs: [] })
    else sections[sections.length - 1].paragraphs.push(richText(block))
  }
  return sections
}

function schemaName(reference: string) {
  return reference.split('/').pop()!
}

function resolve<T>(doc: OpenApiDocument, value: T | { $ref: string }): T {
  if (value && typeof value === 'object' && '$ref' in value) {
    const [, , section, name] = value.$ref.split('/')
    return (doc.components as Record<string, Record<string, unknown>>)[section][name] as T
  }
  return value as T
}

/** A short type label: `integer`, `string (uuid)`, `Counter or null`, `array of TicketEvent`, `"a" | "b"`. */
function typeLabel(schema: SchemaObject): string {
  if (schema.$ref) return schemaName(schema.$ref)
  if (schema.allOf?.length === 1) return typeLabel(schema.allOf[0]) + (schema.nullable ? ' or null' : '')
  if (schema.enum) return schema.enum.map((value) => `"${value}"`).join(' | ')
  if (schema.type === 'array' && schema.items) return `array of ${typeLabel(schema.items)}`
  const base = schema.format ? `${schema.type} (${schema.format})` : (schema.type ?? 'any')
  return schema.nullable ? `${base} or null` : base
}

function fieldsOf(doc: OpenApiDocument, schema: SchemaObject): ReferenceField[] {
  const object = schema.$ref ? resolve<SchemaObject>(doc, { $ref: schema.$ref }) : schema
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    type: typeLabel(property),
    required: object.required?.includes(name) ?? false,
    description: richText(property.description ?? ''),
  }))
}

/** An example value for a schema, from the examples in it. */
function exampleOf(doc: OpenApiDocument, schema: SchemaObject): unknown {
  if (schema.$ref) return exampleOf(doc, resolve<SchemaObject>(doc, { $ref: schema.$ref }))
  if (schema.example !== undefined) return schema.example
  if (schema.allOf?.length === 1) return exampleOf(doc, schema.allOf[0])
  if (schema.type === 'array') return schema.items ? [exampleOf(doc, schema.items)] : []
  if (schema.properties) {
    return Object.fromEntries(Object.entries(schema.properties).map(([name, property]) => [name, exampleOf(doc, property)]))
  }
  return schema.enum?.[0] ?? null
}

function curlOf(doc: OpenApiDocument, method: string, path: string, operation: OperationObject) {
  const query = (operation.parameters ?? [])
    .map((item) => resolve<ParameterObject>(doc, item))
    .filter((item) => item.in === 'query' && item.required)
    .map((item) => `${item.name}=${item.schema.example ?? 1}`)
  const examplePath = path.replace('{id}', EXAMPLE_TICKET_ID)
  const url = `${doc.servers[0].url}${examplePath}${query.length ? `?${query.join('&')}` : ''}`
  const lines = [`curl -X ${method.toUpperCase()} '${url}'`]
  if (operation.security?.length !== 0) lines.push(`  -H 'Authorization: Bearer lk_…'`)
  const body = operation.requestBody?.content['application/json'].schema
  if (body) {
    lines.push(`  -H 'Idempotency-Key: '"$(uuidgen)"`, `  -H 'Content-Type: application/json'`)
    lines.push(`  -d '${JSON.stringify(exampleOf(doc, body))}'`)
  }
  return lines.join(' \\\n')
}

/** The document as the docs page lists it: operations with their fields, answers and examples; the schemas. */
export function apiReference(doc: OpenApiDocument = openApiDocument()) {
  const operations: ReferenceOperation[] = []
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods) as [Method, OperationObject][]) {
      const body = operation.requestBody?.content['application/json'].schema
      const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'))
      const successSchema = success ? resolve<ResponseObject>(doc, success[1]).content?.['application/json'].schema : undefined
      operations.push({
        id: operation.operationId,
        method: method.toUpperCase(),
        path: `/api/v1${path}`,
        summary: operation.summary,
        description: richText(operation.description),
        tag: operation.tags[0],
        needsKey: operation.security?.length !== 0,
        parameters: (operation.parameters ?? []).map((item) => {
          const parameter = resolve<ParameterObject>(doc, item)
          return {
            name: parameter.name,
            in: parameter.in,
            type: typeLabel(parameter.schema),
            required: parameter.required ?? false,
            description: richText(parameter.description),
          }
        }),
        body: body
          ? { schema: typeLabel(body), fields: fieldsOf(doc, body), example: JSON.stringify(exampleOf(doc, body), null, 2) }
          : null,
        responses: Object.entries(operation.responses).map(([status, item]) => {
          const answer = resolve<ResponseObject>(doc, item)
          const schema = answer.content?.['application/json'].schema
          return { status, description: richText(answer.description), schema: schema ? typeLabel(schema) : null }
        }),
        example: successSchema?.$ref ? JSON.stringify(exampleOf(doc, successSchema), null, 2) : null,
        curl: curlOf(doc, method, path, operation),
      })
    }
  }
  return {
    title: doc.info.title,
    version: doc.info.version,
    baseUrl: doc.servers[0].url,
    guide: sectionsOf(doc.info.description),
    operations,
    schemas: Object.entries(doc.components.schemas).map(([name, schema]) => ({ name, fields: fieldsOf(doc, schema) })),
    errorExample: JSON.stringify(exampleOf(doc, ref('Error')), null, 2),
  }
}

export type ApiReference = ReturnType<typeof apiReference>
