import { unlink } from 'node:fs/promises'
import type { HttpContext, Request } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { MultipartFile } from '@adonisjs/core/bodyparser'

/**
 * Removes a multipart request's temporary files once its answer has gone (or its connection has
 * closed), whatever the answer was. The body parser writes each file to the temp directory before
 * any route middleware runs, so before a refused login, CSRF check or validation, and it never
 * removes them: every upload, and every file posted to an upload route by anyone, stayed on disk.
 * What an upload keeps has been read from its file while the request ran. Router middleware, so
 * static files and unmatched paths never reach it.
 */
export default class UploadCleanupMiddleware {
  handle({ request, response }: HttpContext, next: NextFn) {
    if (request.header('content-type')?.toLowerCase().startsWith('multipart/'))
      response.response.once('close', () => removeTemporaryFiles(request))
    return next()
  }
}

/** Runs just before the body parser (start/kernel.ts), which always records the files it read. */
function removeTemporaryFiles(request: Request) {
  for (const file of filesIn(request.allFiles())) {
    // A file moved away or already removed is no longer there: nothing to do.
    if (file.tmpPath) unlink(file.tmpPath).catch(() => {})
  }
}

/** The files of `allFiles()`, however nested (`photos[]`, `docs[front]`). */
function* filesIn(value: unknown): Generator<MultipartFile> {
  if (value instanceof MultipartFile) yield value
  else if (value && typeof value === 'object')
    for (const nested of Object.values(value)) yield* filesIn(nested)
}
