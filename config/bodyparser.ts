import { defineConfig } from '@adonisjs/core/bodyparser'

/**
 * The routes that take files: only their multipart bodies are read, so a file posted anywhere
 * else is never written to disk (each one read is removed after its answer, see
 * app/middleware/upload_cleanup_middleware.ts). A new upload form adds its route here.
 */
export const UPLOAD_ROUTES = [
  '/admin/settings/logo',
  '/app/field/customers/import',
  '/app/field/jobs/:id/photos',
  '/app/inbox/:id/reply',
  '/app/invoices/:id/pay',
  '/app/outlets/import',
  '/app/renewals/sync/csv',
]

const bodyParserConfig = defineConfig({
  allowedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  /**
   * Bodies are kept small: the largest form (a message template, a week of opening hours) is a few
   * KB, and the largest JSON a kiosk's offline tickets. Bigger ones answer 413 before any work.
   */
  form: {
    limit: '128kb',
    convertEmptyStringsToNull: true,
    types: ['application/x-www-form-urlencoded'],
  },
  json: {
    limit: '512kb',
    convertEmptyStringsToNull: true,
    types: [
      'application/json',
      'application/json-patch+json',
      'application/vnd.api+json',
      'application/csp-report',
    ],
  },
  multipart: {
    autoProcess: UPLOAD_ROUTES,
    convertEmptyStringsToNull: true,
    processManually: [],
    limit: '20mb',
    types: ['multipart/form-data'],
  },
})

export default bodyParserConfig
