import type { HttpContext } from '@adonisjs/core/http'
import Tenant from '#models/tenant'
import { IMAGE_TYPES, sendUpload } from '#support/uploads'

/** The tenant's logo, served from the database so that every server has it. Cached by version in the URL. */
export default class BrandController {
  async logo({ params, response }: HttpContext) {
    const tenant = await Tenant.query()
      .where('slug', params.slug)
      .whereNotNull('logo_data')
      .firstOrFail()
    return sendUpload(response, Buffer.from(tenant.logoData!, 'base64'), IMAGE_TYPES, {
      cache: 'public, max-age=31536000, immutable',
    })
  }
}
