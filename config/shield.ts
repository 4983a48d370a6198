import { defineConfig } from '@adonisjs/shield'

/**
 * Shield guards forms against CSRF. The security headers (CSP, frame protection, nosniff, HSTS,
 * referrer and permissions policies) are set on every answer, not only on the pages behind this
 * middleware, by app/middleware/security_headers_middleware.ts.
 */
const shieldConfig = defineConfig({
  csp: { enabled: false, directives: {}, reportOnly: false },
  csrf: {
    enabled: true,
    exceptRoutes: [],
    enableXsrfCookie: false,
    methods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  },
  xFrame: { enabled: false },
  hsts: { enabled: false },
  contentTypeSniffing: { enabled: false },
})

export default shieldConfig
