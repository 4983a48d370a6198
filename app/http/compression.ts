import { promisify } from 'node:util'
import { brotliCompress, gzip, constants } from 'node:zlib'

export type Encoding = 'br' | 'gzip'

/** Below this a compressed body saves less than its headers cost; it goes out as it is. */
export const MIN_COMPRESS_BYTES = 1024

/** Text worth compressing: HTML, CSS, JavaScript, SVG, JSON (and its +json kin), XML, plain text. */
const COMPRESSIBLE =
  /^(text\/|image\/svg\+xml|application\/(json|javascript|ecmascript|xml|manifest\+json|[a-z.-]+\+(json|xml)))/i

const brotli = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

export function isCompressible(contentType: string | undefined | null) {
  return Boolean(contentType && COMPRESSIBLE.test(contentType))
}

/**
 * The encoding to answer with, from the request's Accept-Encoding: brotli when the client takes
 * it at least as gladly as gzip (browsers list gzip first, yet brotli is a fifth smaller), gzip
 * otherwise, null for identity. No header means identity: old clients and tools expect plain text.
 */
export function chooseEncoding(acceptEncoding: string | string[] | undefined): Encoding | null {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding
  if (!header) return null
  const weights = new Map<string, number>()
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';')
    if (!name) continue
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='))
    const weight = q ? Number.parseFloat(q.slice(2)) : 1
    weights.set(name, Number.isFinite(weight) ? weight : 0)
  }
  const weightOf = (name: string) => weights.get(name) ?? weights.get('*') ?? 0
  const br = weightOf('br')
  const gz = Math.max(weightOf('gzip'), weights.get('x-gzip') ?? 0)
  if (br > 0 && br >= gz) return 'br'
  if (gz > 0) return 'gzip'
  return null
}

/**
 * Compresses `body`. `level` 'fast' is for pages made per request (brotli quality 5 is about as
 * quick as gzip and still smaller); 'best' for files compressed once and kept.
 */
export function compress(body: Buffer, encoding: Encoding, level: 'fast' | 'best' = 'fast') {
  if (encoding === 'gzip') return gzipAsync(body, { level: level === 'best' ? 9 : 6 })
  return brotli(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: level === 'best' ? 11 : 5,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  })
}

/** Adds Accept-Encoding to a Vary header without repeating it or dropping what is there. */
export function varyOnEncoding(current: unknown) {
  const existing = (Array.isArray(current) ? current.join(',') : String(current ?? ''))
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean)
  if (existing.includes('*')) return '*'
  if (existing.some((field) => field.toLowerCase() === 'accept-encoding'))
    return existing.join(', ')
  return [...existing, 'Accept-Encoding'].join(', ')
}

/** Whether a Cache-Control header forbids proxies and servers from changing the body. */
export function forbidsTransform(cacheControl: unknown) {
  return /(^|,)\s*no-transform\s*(,|$)/i.test(String(cacheControl ?? ''))
}
