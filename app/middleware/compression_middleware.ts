import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import {
  chooseEncoding,
  compress,
  forbidsTransform,
  isCompressible,
  MIN_COMPRESS_BYTES,
  varyOnEncoding,
} from '#http/compression'

/**
 * Compresses what Loket writes itself (pages, htmx fragments, JSON) with brotli or gzip, as the
 * client's Accept-Encoding allows. It works on the response body before it is written, so Adonis
 * still sets Content-Length and, where asked, the ETag (of the compressed bytes: each encoding
 * its own) and answers 304. Left alone: small bodies, empty answers (a poll's 204, a 304),
 * streams and downloads (files, PDFs, images), JSONP, anything already encoded or marked
 * no-transform. Files from public/ are compressed once in StaticAssetsMiddleware.
 */
export default class CompressionMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    await next()
    const { response, request } = ctx
    if (!response.isPending || !response.hasContent) return
    const [content, generateEtag, jsonpCallback] = response.content!
    if (jsonpCallback || content === null || content === undefined || content === '') return
    const status = response.getStatus()
    if (status < 200 || status === 204 || status === 304) return
    if (response.getHeader('Content-Encoding')) return
    if (forbidsTransform(response.getHeader('Cache-Control'))) return

    const body = serialize(content)
    if (!body) return
    const type = String(response.getHeader('Content-Type') ?? body.type ?? '')
    if (!isCompressible(type) || body.bytes.length < MIN_COMPRESS_BYTES) return

    response.header('Vary', varyOnEncoding(response.getHeader('Vary')))
    const encoding = chooseEncoding(request.header('accept-encoding'))
    if (!encoding) return
    const compressed = await compress(body.bytes, encoding)
    response.header('Content-Type', type)
    response.header('Content-Encoding', encoding)
    response.send(compressed, generateEtag)
  }
}

/**
 * The bytes Adonis would write for a body, with the type it would give them: a string is HTML
 * when it starts with a tag, else text; an object is JSON. Bytes and anything unusual (dates,
 * numbers, a body JSON cannot write) are left to Adonis: null.
 */
function serialize(content: unknown): { bytes: Buffer; type: string | null } | null {
  if (typeof content === 'string') {
    return {
      bytes: Buffer.from(content),
      type: /^\s*</.test(content) ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
    }
  }
  if (content instanceof Uint8Array) return { bytes: Buffer.from(content), type: null }
  if (typeof content !== 'object' || content instanceof Date || content instanceof RegExp)
    return null
  try {
    return { bytes: Buffer.from(JSON.stringify(content)), type: 'application/json; charset=utf-8' }
  } catch {
    return null
  }
}
