import { defineConfig } from '@adonisjs/static'

/** Versioned files (vendor/*-x.y.z.js, and anything linked with ?v=<hash>) are cached for a year. */
const staticServerConfig = defineConfig({
  enabled: true,
  etag: true,
  lastModified: true,
  dotFiles: 'ignore',
  headers: (path) => {
    if (path.includes('/vendor/')) return { 'Cache-Control': 'public, max-age=31536000, immutable' }
    return { 'Cache-Control': 'public, max-age=3600' }
  },
})

export default staticServerConfig
