import type { HttpContext } from '@adonisjs/core/http'
import Tenant from '#models/tenant'

/** The tenant's logo, served from the database so that every server has it. Cached by version in the URL. */
export default class BrandController {
  async logo({ params, response }: HttpContext) {
    const tenant = await Tenant.query().where('slug', params.slug).whereNotNull('logo_data').firstOrFail()
    return response
      .header('content-type', tenant.logoMime ?? 'image/png')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(Buffer.from(tenant.logoData!, 'base64'))
  }
}
