import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import StaticMiddleware from '@adonisjs/static/static_middleware'

/** Paths that can be files in public/: they end in an extension (`/css/app.css`, `/favicon.ico`). */
const FILE_PATH = /\.[a-z0-9]{2,5}$/i

let files: StaticMiddleware | undefined

/**
 * Serves files from public/, but only for paths that look like files: the static server
 * touches the disk for every request it sees, and pages and polling endpoints never need it.
 * Middleware are built per request, so the file server itself is created once and kept.
 */
export default class StaticAssetsMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (!FILE_PATH.test(ctx.request.url())) return next()
    files ??= await app.container.make(StaticMiddleware)
    return files.handle(ctx, next)
  }
}
