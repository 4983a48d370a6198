import type { HttpContext } from '@adonisjs/core/http'
import { openApiDocument } from '#services/platform/openapi'
import { apiReference } from '#services/platform/api_reference'

/** The REST API's description: the OpenAPI document, and the same as a readable page. */
export default class DocsController {
  async openApi({ response }: HttpContext) {
    return response.json(openApiDocument())
  }

  async show({ view }: HttpContext) {
    return view.render('pages/platform/api_docs', { reference: apiReference(), locale: 'en' })
  }
}
