/*
| The building blocks of the OpenAPI document (openapi.ts, openapi_billing.ts): its object types
| and the small helpers that write references, ids, times and the shared headers.
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
  maximum?: number
  minLength?: number
  maxLength?: number
  maxItems?: number
  pattern?: string
  example?: unknown
}

export interface ParameterObject {
  name: string
  in: 'path' | 'query' | 'header'
  required?: boolean
  description: string
  schema: SchemaObject
}

export interface ResponseObject {
  description: string
  headers?: Record<string, { $ref: string }>
  content?: { 'application/json': { schema: SchemaObject } }
}

export interface OperationObject {
  operationId: string
  tags: string[]
  summary: string
  description: string
  security?: Record<string, string[]>[]
  parameters?: (ParameterObject | { $ref: string })[]
  requestBody?: { required: boolean; content: { 'application/json': { schema: SchemaObject } } }
  responses: Record<string, ResponseObject | { $ref: string }>
}

export type Method = 'get' | 'post' | 'put' | 'patch'

export const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` })
export const id = (description: string, example = 1): SchemaObject => ({
  type: 'integer',
  minimum: 1,
  description,
  example,
})
export const time = (description: string, nullable = false): SchemaObject => ({
  type: 'string',
  format: 'date-time',
  nullable,
  description,
  example: nullable ? null : '2026-11-22T02:40:16.056Z',
})
export const json = (schema: SchemaObject) => ({ 'application/json': { schema } })
export const response = (name: string) => ({ $ref: `#/components/responses/${name}` })
export const header = (name: string) => ({ $ref: `#/components/headers/${name}` })
export const parameter = (name: string) => ({ $ref: `#/components/parameters/${name}` })

export const rateLimitHeaders = {
  'X-RateLimit-Limit': header('RateLimitLimit'),
  'X-RateLimit-Remaining': header('RateLimitRemaining'),
}
export const replayHeaders = {
  ...rateLimitHeaders,
  'Idempotent-Replayed': header('IdempotentReplayed'),
}
