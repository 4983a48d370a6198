/*
|--------------------------------------------------------------------------
| HTTP kernel
|--------------------------------------------------------------------------
| Server middleware runs for every request; router middleware for every matched route.
| Sessions, CSRF, auth and locale are named middleware applied per route group
| (start/routes.ts), so the hot polling endpoints of TV and ticket screens skip them.
*/
import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'

server.errorHandler(() => import('#exceptions/handler'))

server.use([
  () => import('#middleware/security_headers_middleware'),
  () => import('#middleware/request_id_middleware'),
  () => import('#middleware/in_flight_middleware'),
  () => import('#middleware/http_metrics_middleware'),
  () => import('#middleware/container_bindings_middleware'),
  () => import('#middleware/compression_middleware'),
  () => import('#middleware/static_assets_middleware'),
])

// The upload cleanup wraps the body parser, which writes each uploaded file to the temp directory.
router.use([
  () => import('#middleware/upload_cleanup_middleware'),
  () => import('@adonisjs/core/bodyparser_middleware'),
])

export const middleware = router.named({
  session: () => import('#middleware/session_middleware'),
  shield: () => import('@adonisjs/shield/shield_middleware'),
  initializeAuth: () => import('@adonisjs/auth/initialize_auth_middleware'),
  initializeBouncer: () => import('#middleware/initialize_bouncer_middleware'),
  locale: () => import('#middleware/locale_middleware'),
  guest: () => import('#middleware/guest_middleware'),
  auth: () => import('#middleware/auth_middleware'),
  staff: () => import('#middleware/staff_middleware'),
  role: () => import('#middleware/role_middleware'),
  apiKey: () => import('#middleware/api_key_middleware'),
  apiIdempotency: () => import('#middleware/api_idempotency_middleware'),
  ipAllowList: () => import('#middleware/ip_allow_list_middleware'),
  shedLoad: () => import('#middleware/shed_load_middleware'),
})
