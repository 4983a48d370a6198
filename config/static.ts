import { defineConfig } from '@adonisjs/static'

/** Text files that also go out compressed (StaticAssetsMiddleware): caches must keep the encodings apart. */
const COMPRESSED_FILES = /\.(css|m?js|json|webmanifest|svg|html|txt|map)$/i

/** Versioned files (vendor/*-x.y.z.js, and anything linked with ?v=<hash>) are cached for a year. */
const staticServerConfig = defineConfig({
  enabled: true,
  etag: true,
  lastModified: true,
  dotFiles: 'ignore',
  headers: (path) => {
    const vary: Record<string, string> = COMPRESSED_FILES.test(path)
      ? { Vary: 'Accept-Encoding' }
      : {}
    if (path.includes('/vendor/'))
      return { 'Cache-Control': 'public, max-age=31536000, immutable', ...vary }
    return { 'Cache-Control': 'public, max-age=3600', ...vary }
  },
})

export default staticServerConfig
