/*
|--------------------------------------------------------------------------
| Routes, grouped by area
|--------------------------------------------------------------------------
| Public pages (visitor, TV) need no login; staff pages sit under /app and /admin,
| platform pages under /platform. Polling endpoints carry no session middleware.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { publicWeb, web, staff, admins } from '#start/stacks'
import { throttleLogin, throttlePoll, throttleTake } from '#start/limiter'

const VisitorController = () => import('#controllers/queue/visitor_controller')
const DisplayController = () => import('#controllers/queue/display_controller')
const CounterController = () => import('#controllers/queue/counter_controller')
const TicketActionsController = () => import('#controllers/queue/ticket_actions_controller')
const DeskController = () => import('#controllers/queue/desk_controller')
const BoardController = () => import('#controllers/queue/board_controller')
const SessionController = () => import('#controllers/platform/session_controller')
const StaffController = () => import('#controllers/platform/staff_controller')
const HealthController = () => import('#controllers/platform/health_controller')
const MetricsController = () => import('#controllers/platform/metrics_controller')
const BrandController = () => import('#controllers/platform/brand_controller')
const DashboardController = () => import('#controllers/queue/admin/dashboard_controller')
const ServicesController = () => import('#controllers/queue/admin/services_controller')
const CountersController = () => import('#controllers/queue/admin/counters_controller')
const AreasController = () => import('#controllers/queue/admin/areas_controller')
const UsersController = () => import('#controllers/platform/admin/users_controller')
const DevicesController = () => import('#controllers/queue/admin/devices_controller')
const SettingsController = () => import('#controllers/platform/admin/settings_controller')
const QueueController = () => import('#controllers/queue/admin/queue_controller')
const ReportsController = () => import('#controllers/analytics/reports_controller')
const AuditController = () => import('#controllers/platform/admin/audit_controller')
const ApiKeysController = () => import('#controllers/platform/admin/api_keys_controller')
const TenantsController = () => import('#controllers/platform/tenants_controller')


router.get('/healthz', [HealthController, 'show']).as('health')
router.get('/metrics', [MetricsController, 'show']).as('metrics')
router.get('/brand/:slug/logo', [BrandController, 'logo']).as('brand.logo')

/** Liveness: the process answers (no dependency checked). */
router.get('/livez', ({ response }) => response.send('ok')).as('live')

/* Visitors: take a number and follow it. */
router
  .group(() => {
    router.on('/').render('pages/home').as('home')
    router.get('/b/:slug', [VisitorController, 'branch']).as('visitor.branch')
    router.get('/b/:slug/manifest.webmanifest', [VisitorController, 'manifest']).as('visitor.manifest')
    router.post('/b/:slug/tickets', [VisitorController, 'take']).as('visitor.take').use(throttleTake)
    router
      .get('/t/:id', [VisitorController, 'ticket'])
      .as('visitor.ticket')
      .where('id', router.matchers.uuid())
  })
  .use(publicWeb)

/* Live fragments polled by screens: no session, answered 204 while nothing changed. */
router
  .group(() => {
    router
      .get('/t/:id/live', [VisitorController, 'ticketLive'])
      .as('visitor.ticket.live')
      .where('id', router.matchers.uuid())
    router.get('/display/:token/live', [DisplayController, 'live']).as('display.live')
  })
  .use([throttlePoll])

router.get('/display/:token', [DisplayController, 'show']).as('display.show')

/* Staff sign-in. */
router
  .group(() => {
    router.get('/login', [SessionController, 'create']).as('auth.login').use(middleware.guest())
    router.post('/login', [SessionController, 'store']).as('auth.login.store').use([middleware.guest(), throttleLogin])
    router.post('/logout', [SessionController, 'destroy']).as('auth.logout').use(middleware.auth())
    router.post('/logout/everywhere', [SessionController, 'destroyAll']).as('auth.logout.everywhere').use(middleware.auth())
  })
  .use(web)

/* Staff: the operator console. */
router
  .group(() => {
    router.get('/', [StaffController, 'home']).as('staff.home')
    router.post('/branch', [StaffController, 'switchBranch']).as('staff.branch.switch')
    router.get('/counter', [CounterController, 'show']).as('counter.show')
    router.get('/counter/live', [CounterController, 'live']).as('counter.live')
    router.post('/counter/select', [CounterController, 'select']).as('counter.select')
    router.post('/counter/leave', [CounterController, 'leave']).as('counter.leave')
    router.post('/counter/presence', [CounterController, 'presence']).as('counter.presence')
    router.post('/counter/call-next', [CounterController, 'callNext']).as('counter.call_next')

    router
      .group(() => {
        router.get('/', [TicketActionsController, 'show']).as('show')
        router.post('/call', [TicketActionsController, 'call']).as('call')
        router.post('/recall', [TicketActionsController, 'recall']).as('recall')
        router.post('/start', [TicketActionsController, 'start']).as('start')
        router.post('/complete', [TicketActionsController, 'complete']).as('complete')
        router.post('/skip', [TicketActionsController, 'skip']).as('skip')
        router.post('/no-show', [TicketActionsController, 'noShow']).as('no_show')
        router.post('/transfer', [TicketActionsController, 'transfer']).as('transfer')
        router.post('/hold', [TicketActionsController, 'hold']).as('hold')
        router.post('/unhold', [TicketActionsController, 'unhold']).as('unhold')
        router.post('/cancel', [TicketActionsController, 'cancel']).as('cancel')
        router.post('/note', [TicketActionsController, 'annotate']).as('note')
      })
      .prefix('/tickets/:id')
      .as('counter.tickets')
      .where('id', router.matchers.uuid())

    router.get('/desk', [DeskController, 'create']).as('desk.create')
    router.post('/desk', [DeskController, 'store']).as('desk.store')
    router.get('/desk/tickets/:id', [DeskController, 'show']).as('desk.show').where('id', router.matchers.uuid())

    router.get('/reports/daily', [ReportsController, 'daily']).as('reports.daily').use(middleware.role({ ability: 'supervise' }))
    router.get('/board', [BoardController, 'show']).as('board.show').use(middleware.role({ ability: 'supervise' }))
    router.get('/board/live', [BoardController, 'live']).as('board.live').use(middleware.role({ ability: 'supervise' }))
  })
  .prefix('/app')
  .use([...staff, middleware.role({ ability: 'operateQueue' })])

/* Admin: configuration, reports and the audit log (owners and admins). */
router
  .group(() => {
    router.get('/', [DashboardController, 'index']).as('dashboard')

    router.get('/services', [ServicesController, 'index']).as('services.index')
    router.get('/services/create', [ServicesController, 'create']).as('services.create')
    router.post('/services', [ServicesController, 'store']).as('services.store')
    router.get('/services/:id/edit', [ServicesController, 'edit']).as('services.edit')
    router.put('/services/:id', [ServicesController, 'update']).as('services.update')
    router.post('/services/:id/move', [ServicesController, 'move']).as('services.move')
    router.post('/services/:id/toggle', [ServicesController, 'toggle']).as('services.toggle')

    router.get('/areas', [AreasController, 'index']).as('areas.index')
    router.post('/areas', [AreasController, 'store']).as('areas.store')
    router.put('/areas/:id', [AreasController, 'update']).as('areas.update')
    router.delete('/areas/:id', [AreasController, 'destroy']).as('areas.destroy')

    router.get('/counters', [CountersController, 'index']).as('counters.index')
    router.get('/counters/create', [CountersController, 'create']).as('counters.create')
    router.post('/counters', [CountersController, 'store']).as('counters.store')
    router.get('/counters/:id/edit', [CountersController, 'edit']).as('counters.edit')
    router.put('/counters/:id', [CountersController, 'update']).as('counters.update')

    router.get('/users', [UsersController, 'index']).as('users.index')
    router.get('/users/create', [UsersController, 'create']).as('users.create')
    router.post('/users', [UsersController, 'store']).as('users.store')
    router.get('/users/:id/edit', [UsersController, 'edit']).as('users.edit')
    router.put('/users/:id', [UsersController, 'update']).as('users.update')
    router.post('/users/:id/sessions/end', [UsersController, 'endSessions']).as('users.sessions.end')

    router.get('/devices', [DevicesController, 'index']).as('devices.index')
    router.post('/devices', [DevicesController, 'store']).as('devices.store')
    router.get('/devices/:id/edit', [DevicesController, 'edit']).as('devices.edit')
    router.put('/devices/:id', [DevicesController, 'update']).as('devices.update')
    router.post('/devices/:id/regenerate', [DevicesController, 'regenerate']).as('devices.regenerate')
    router.delete('/devices/:id', [DevicesController, 'destroy']).as('devices.destroy')

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
    router.get('/qr', [SettingsController, 'qr']).as('qr')

    router.post('/queue/reset', [QueueController, 'reset']).as('queue.reset')
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

import '#start/routes/kiosk'
import '#start/routes/api'
import '#start/routes/messaging'
import '#start/routes/webhooks'
import '#start/routes/channels'
import '#start/routes/bookings'
import '#start/routes/bookings_public'
import '#start/routes/payments'
