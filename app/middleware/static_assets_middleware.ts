import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import StaticMiddleware from '@adonisjs/static/static_middleware'
import staticServerConfig from '#config/static'
import { chooseEncoding } from '#http/compression'
import PrecompressedAssets from '#http/precompressed_assets'

/** Paths that can be files in public/: they end in an extension (`/css/app.css`, `/favicon.ico`). */
const FILE_PATH = /\.[a-z0-9]{2,5}$/i

let files: StaticMiddleware | undefined
let compressed: PrecompressedAssets | undefined

/**
 * Serves files from public/, but only for paths that look like files: the static server
 * touches the disk for every request it sees, and pages and polling endpoints never need it.
 * Middleware are built per request, so the file server itself is created once and kept.
 * A client that takes brotli or gzip gets the text files (CSS, JS, htmx, SVG) compressed from
 * memory (PrecompressedAssets), with the static config's caching headers; a range request and
 * everything else go to the static server as they are.
 */
export default class StaticAssetsMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const url = ctx.request.url()
    if (!FILE_PATH.test(url)) return next()
    if (await this.#sendCompressed(ctx, url)) return
    files ??= await app.container.make(StaticMiddleware)
    return files.handle(ctx, next)
  }

  async #sendCompressed({ request, response }: HttpContext, url: string) {
    const method = request.method()
    if ((method !== 'GET' && method !== 'HEAD') || request.header('range')) return false
    const encoding = chooseEncoding(request.header('accept-encoding'))
    if (!encoding) return false
    compressed ??= new PrecompressedAssets(app.publicPath())
    const asset = await compressed.find(url)
    if (!asset) return false

    const headers = staticServerConfig.headers?.(asset.path, {} as never) ?? {}
    for (const [name, value] of Object.entries(headers)) response.header(name, value)
    response.header('Content-Type', asset.type)
    response.header('Content-Encoding', encoding)
    response.header('Vary', 'Accept-Encoding')
    response.header('ETag', asset.etags[encoding])
    response.header('Last-Modified', asset.lastModified.toUTCString())
    if (response.fresh()) {
      response.removeHeader('Content-Type')
      response.status(304).send(null)
    } else {
      response.status(200).send(asset.bodies[encoding])
    }
    return true
  }
}
