import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import { compress, MIN_COMPRESS_BYTES, type Encoding } from '#http/compression'

/** The text files of public/ and their types; anything else is served as it is by the static server. */
const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
}

export interface CompressedAsset {
  /** The file on disk, for the static config's headers. */
  path: string
  type: string
  lastModified: Date
  /** One ETag per encoding: caches keep a brotli and a gzip copy apart. */
  etags: Record<Encoding, string>
  bodies: Record<Encoding, Buffer>
}

interface Cached {
  mtimeMs: number
  size: number
  asset: Promise<CompressedAsset | null>
}

/**
 * The text files of public/ (CSS, JS, vendor/htmx, SVG), compressed once with brotli and gzip
 * at their best levels and kept in memory. Compressed on first request rather than at build:
 * there are no .br/.gz files to keep in step with their sources (app.css changes all the time;
 * `npm start` runs from source without a build), and the whole of public/ is a few hundred KB.
 * A file changed on disk (size or mtime) is compressed again.
 */
export default class PrecompressedAssets {
  #cache = new Map<string, Cached>()

  constructor(protected root: string) {}

  /** The compressed file for a request path, or null: not a text file, too small, missing, or outside public/. */
  async find(urlPath: string): Promise<CompressedAsset | null> {
    const type = TYPES[extname(urlPath).toLowerCase()]
    if (!type) return null
    const path = this.#resolve(urlPath)
    if (!path) return null
    const stats = await stat(path).catch(() => null)
    if (!stats?.isFile() || stats.size < MIN_COMPRESS_BYTES) return null
    const cached = this.#cache.get(path)
    if (cached && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size)
      return cached.asset
    const asset = this.#build(path, type, stats.mtime).catch(() => null)
    this.#cache.set(path, { mtimeMs: stats.mtimeMs, size: stats.size, asset })
    return asset
  }

  async #build(path: string, type: string, lastModified: Date): Promise<CompressedAsset> {
    const source = await readFile(path)
    const [br, gzip] = await Promise.all([
      compress(source, 'br', 'best'),
      compress(source, 'gzip', 'best'),
    ])
    const hash = createHash('sha1').update(source).digest('base64url').slice(0, 22)
    return {
      path,
      type,
      lastModified,
      etags: { br: `"${hash}-br"`, gzip: `"${hash}-gz"` },
      bodies: { br, gzip },
    }
  }

  /** The file under public/ for a URL path; null for dot files and anything that climbs out. */
  #resolve(urlPath: string) {
    let decoded: string
    try {
      decoded = decodeURIComponent(urlPath)
    } catch {
      return null
    }
    if (decoded.includes('\0') || decoded.split('/').some((part) => part.startsWith('.')))
      return null
    const path = normalize(join(this.root, decoded))
    return path.startsWith(this.root.endsWith(sep) ? this.root : this.root + sep) ? path : null
  }
}
