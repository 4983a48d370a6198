import { ref } from '#services/platform/openapi_parts'
import {
  EXAMPLE_TICKET_ID,
  openApiDocument,
  type Method,
  type OpenApiDocument,
  type OperationObject,
  type ParameterObject,
  type ResponseObject,
  type SchemaObject,
} from '#services/platform/openapi'

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

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Plain text as HTML: escaped, with `backticked` parts as code. */
function richText(text: string) {
  return text
    .replace(/[&<>"']/g, (character) => HTML_ESCAPES[character])
    .replace(/`([^`]+)`/g, '<code>$1</code>')
}

/** The guide in `info.description`: `## Title` paragraphs start a section. */
function sectionsOf(description: string) {
  const sections: { title: string | null; paragraphs: string[] }[] = [
    { title: null, paragraphs: [] },
  ]
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
  if (schema.allOf?.length === 1)
    return typeLabel(schema.allOf[0]) + (schema.nullable ? ' or null' : '')
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
    return Object.fromEntries(
      Object.entries(schema.properties).map(([name, property]) => [name, exampleOf(doc, property)])
    )
  }
  return schema.enum?.[0] ?? null
}

function curlOf(doc: OpenApiDocument, method: string, path: string, operation: OperationObject) {
  const parameters = (operation.parameters ?? []).map((item) => resolve<ParameterObject>(doc, item))
  const query = parameters
    .filter((item) => item.in === 'query' && item.required)
    .map((item) => `${item.name}=${item.schema.example ?? 1}`)
  // A ticket's or booking's id is a UUID, a customer's or job's a number: the path's own example.
  const pathId = parameters.find((item) => item.in === 'path' && item.name === 'id')
  const examplePath = path.replace('{id}', String(pathId?.schema.example ?? EXAMPLE_TICKET_ID))
  const url = `${doc.servers[0].url}${examplePath}${query.length ? `?${query.join('&')}` : ''}`
  const lines = [`curl -X ${method.toUpperCase()} '${url}'`]
  if (operation.security?.length !== 0) lines.push(`  -H 'Authorization: Bearer lk_…'`)
  const body = operation.requestBody?.content['application/json'].schema
  // Only POSTs take an Idempotency-Key (a PUT or PATCH sets the same values when repeated).
  if (method === 'post') lines.push(`  -H 'Idempotency-Key: '"$(uuidgen)"`)
  if (body) {
    lines.push(`  -H 'Content-Type: application/json'`)
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
      const successSchema = success
        ? resolve<ResponseObject>(doc, success[1]).content?.['application/json'].schema
        : undefined
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
          ? {
              schema: typeLabel(body),
              fields: fieldsOf(doc, body),
              example: JSON.stringify(exampleOf(doc, body), null, 2),
            }
          : null,
        responses: Object.entries(operation.responses).map(([status, item]) => {
          const answer = resolve<ResponseObject>(doc, item)
          const schema = answer.content?.['application/json'].schema
          return {
            status,
            description: richText(answer.description),
            schema: schema ? typeLabel(schema) : null,
          }
        }),
        example: successSchema?.$ref
          ? JSON.stringify(exampleOf(doc, successSchema), null, 2)
          : null,
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
    schemas: Object.entries(doc.components.schemas).map(([name, schema]) => ({
      name,
      fields: fieldsOf(doc, schema),
    })),
    errorExample: JSON.stringify(exampleOf(doc, ref('Error')), null, 2),
  }
}
