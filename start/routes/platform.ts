/*
|--------------------------------------------------------------------------
| Platform: health, sign-in, the staff home, the tenant's users and settings, API keys and docs
|--------------------------------------------------------------------------
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { admins, publicWeb, staff, web } from '#start/stacks'
import { throttleLogin } from '#start/limiter'

const SessionController = () => import('#controllers/platform/session_controller')
const TwoFactorController = () => import('#controllers/platform/two_factor_controller')
const StaffController = () => import('#controllers/platform/staff_controller')
const HealthController = () => import('#controllers/platform/health_controller')
const MetricsController = () => import('#controllers/platform/metrics_controller')
const BrandController = () => import('#controllers/platform/brand_controller')
const TenantsController = () => import('#controllers/platform/tenants_controller')
const UsersController = () => import('#controllers/platform/admin/users_controller')
const SettingsController = () => import('#controllers/platform/admin/settings_controller')
const AuditController = () => import('#controllers/platform/admin/audit_controller')
const ApiKeysController = () => import('#controllers/platform/admin/api_keys_controller')
const DocsController = () => import('#controllers/platform/api/docs_controller')

router.get('/healthz', [HealthController, 'show']).as('health')
router.get('/metrics', [MetricsController, 'show']).as('metrics')
router.get('/brand/:slug/logo', [BrandController, 'logo']).as('brand.logo')

/** Liveness: the process answers (no dependency checked). */
router.get('/livez', ({ response }) => response.send('ok')).as('live')

router.on('/').render('pages/home').as('home').use(publicWeb)

/* Staff sign-in. */
router
  .group(() => {
    router.get('/login', [SessionController, 'create']).as('auth.login').use(middleware.guest())
    router
      .post('/login', [SessionController, 'store'])
      .as('auth.login.store')
      .use([middleware.guest(), throttleLogin])
    router
      .get('/login/two-factor', [TwoFactorController, 'challenge'])
      .as('auth.two_factor')
      .use(middleware.guest())
    router
      .post('/login/two-factor', [TwoFactorController, 'verify'])
      .as('auth.two_factor.verify')
      .use([middleware.guest(), throttleLogin])
    router.post('/logout', [SessionController, 'destroy']).as('auth.logout').use(middleware.auth())
    router
      .post('/logout/everywhere', [SessionController, 'destroyAll'])
      .as('auth.logout.everywhere')
      .use(middleware.auth())
  })
  .use(web)

/* The member's own two-factor login (outside the staff pages: a tenant that requires it sends them here). */
router
  .group(() => {
    router.get('/', [TwoFactorController, 'show']).as('account.two_factor')
    router.post('/', [TwoFactorController, 'enable']).as('account.two_factor.enable')
    router.post('/disable', [TwoFactorController, 'disable']).as('account.two_factor.disable')
  })
  .prefix('/app/account/two-factor')
  .use([...web, middleware.auth()])

/* The staff home (each role's start page) and the branch switcher. */
router
  .group(() => {
    router.get('/', [StaffController, 'home']).as('staff.home')
    router.post('/branch', [StaffController, 'switchBranch']).as('staff.branch.switch')
  })
  .prefix('/app')
  .use([...staff, middleware.role({ ability: 'workInTenant' })])

/* Admin: users, the tenant's and the branch's settings, the audit log, API keys. */
router
  .group(() => {
    router.get('/users', [UsersController, 'index']).as('users.index')
    router.get('/users/create', [UsersController, 'create']).as('users.create')
    router.post('/users', [UsersController, 'store']).as('users.store')
    router.get('/users/:id/edit', [UsersController, 'edit']).as('users.edit')
    router.put('/users/:id', [UsersController, 'update']).as('users.update')
    router
      .post('/users/:id/sessions/end', [UsersController, 'endSessions'])
      .as('users.sessions.end')
    router
      .post('/users/:id/two-factor/reset', [TwoFactorController, 'reset'])
      .as('users.two_factor.reset')
    router
      .put('/settings/two-factor', [TwoFactorController, 'requirement'])
      .as('settings.two_factor')

    router.get('/settings', [SettingsController, 'edit']).as('settings.edit')
    router.put('/settings/tenant', [SettingsController, 'updateTenant']).as('settings.tenant')
    router.put('/settings/branch', [SettingsController, 'updateBranch']).as('settings.branch')
    router.put('/settings/hours', [SettingsController, 'updateHours']).as('settings.hours')
    router.put('/settings/queue', [SettingsController, 'updateQueue']).as('settings.queue')
    router.post('/settings/logo', [SettingsController, 'uploadLogo']).as('settings.logo')
    router.delete('/settings/logo', [SettingsController, 'removeLogo']).as('settings.logo.remove')
    router.post('/holidays', [SettingsController, 'storeHoliday']).as('holidays.store')
    router.delete('/holidays/:id', [SettingsController, 'destroyHoliday']).as('holidays.destroy')
    router.get('/branches/create', [SettingsController, 'createBranch']).as('branches.create')
    router.post('/branches', [SettingsController, 'storeBranch']).as('branches.store')

    router.get('/audit', [AuditController, 'index']).as('audit.index')

    router.get('/api-keys', [ApiKeysController, 'index']).as('api_keys.index')
    router.post('/api-keys', [ApiKeysController, 'store']).as('api_keys.store')
    router.post('/api-keys/:id/revoke', [ApiKeysController, 'revoke']).as('api_keys.revoke')
  })
  .prefix('/admin')
  .as('admin')
  .use(admins)

/* Platform staff: tenants. */
router
  .group(() => {
    router.get('/tenants', [TenantsController, 'index']).as('tenants.index')
    router.get('/tenants/create', [TenantsController, 'create']).as('tenants.create')
    router.post('/tenants', [TenantsController, 'store']).as('tenants.store')
  })
  .prefix('/platform')
  .as('platform')
  .use([...web, middleware.auth(), middleware.role({ ability: 'managePlatform' })])

/* The API's reference: the OpenAPI document for code generators, and a readable page for people. */
router.get('/api/v1/openapi.json', [DocsController, 'openApi']).as('api.openapi')
router
  .get('/api/docs', [DocsController, 'show'])
  .as('api.docs')
  .use([middleware.session(), middleware.shield()])
