import type { HttpContext } from '@adonisjs/core/http'
import { apiReference, openApiDocument } from '#services/platform/openapi'

/** The REST API's description: the OpenAPI document, and the same as a readable page. */
export default class DocsController {
  async openApi({ response }: HttpContext) {
    return response.json(openApiDocument())
  }

  async show({ view }: HttpContext) {
    return view.render('pages/platform/api_docs', { reference: apiReference(), locale: 'en' })
  }
}
