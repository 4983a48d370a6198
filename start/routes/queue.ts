/*
|--------------------------------------------------------------------------
| Queue: visitors, screens, the counter console, the kiosk, the admin pages, the API
|--------------------------------------------------------------------------
| Visitor pages and the kiosk need no login; the live fragments polled by screens carry no session
| and answer 204 while nothing changed. Staff work under /app, admins configure under /admin.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { admins, apiClients, publicWeb, staff } from '#start/stacks'
import { throttleKiosk, throttlePoll, throttleTake } from '#start/limiter'
import { API_TICKET_ACTIONS } from '#services/queue/ticket_commands'

const VisitorController = () => import('#controllers/queue/visitor_controller')
const DisplayController = () => import('#controllers/queue/display_controller')
const CounterController = () => import('#controllers/queue/counter_controller')
const TicketActionsController = () => import('#controllers/queue/ticket_actions_controller')
const DeskController = () => import('#controllers/queue/desk_controller')
const BoardController = () => import('#controllers/queue/board_controller')
const KioskController = () => import('#controllers/queue/kiosk_controller')
const KioskCheckInController = () => import('#controllers/bookings/kiosk_check_in_controller')
const DashboardController = () => import('#controllers/queue/admin/dashboard_controller')
const SetupController = () => import('#controllers/queue/admin/setup_controller')
const ServicesController = () => import('#controllers/queue/admin/services_controller')
const CountersController = () => import('#controllers/queue/admin/counters_controller')
const AreasController = () => import('#controllers/queue/admin/areas_controller')
const DevicesController = () => import('#controllers/queue/admin/devices_controller')
const QueueController = () => import('#controllers/queue/admin/queue_controller')
const ApiTicketsController = () => import('#controllers/queue/api/tickets_controller')
const ApiTicketActionsController = () => import('#controllers/queue/api/ticket_actions_controller')
const ApiQueuesController = () => import('#controllers/queue/api/queues_controller')

const UUID = router.matchers.uuid()
/** The one-click ticket actions: runTicketCommand's names, written with hyphens in URLs (`no-show`). */
const TICKET_ACTION = new RegExp(
  `^(${API_TICKET_ACTIONS.map((action) => action.replace('_', '-')).join('|')})$`
)

/* Visitors: take a number and follow it. */
router
  .group(() => {
    router.get('/b/:slug', [VisitorController, 'branch']).as('visitor.branch')
    router
      .get('/b/:slug/manifest.webmanifest', [VisitorController, 'manifest'])
      .as('visitor.manifest')
    router
      .post('/b/:slug/tickets', [VisitorController, 'take'])
      .as('visitor.take')
      .use(throttleTake)
    router.get('/t/:id', [VisitorController, 'ticket']).as('visitor.ticket').where('id', UUID)
  })
  .use([middleware.shedLoad(), ...publicWeb])

/* Live fragments polled by screens: no session, answered 204 while nothing changed. */
router
  .group(() => {
    router
      .get('/t/:id/live', [VisitorController, 'ticketLive'])
      .as('visitor.ticket.live')
      .where('id', UUID)
    router.get('/display/:token/live', [DisplayController, 'live']).as('display.live')
  })
  .use([throttlePoll])

router.get('/display/:token', [DisplayController, 'show']).as('display.show')

/* The kiosk, reached by its device's secret token: JSON with the session's CSRF token, limited per kiosk. */
router
  .group(() => {
    router.get('/', [KioskController, 'show']).as('show')
    router.post('/tickets', [KioskController, 'take']).as('take').use(throttleKiosk)
    router.post('/reserve', [KioskController, 'reserve']).as('reserve').use(throttleKiosk)
    router.post('/sync', [KioskController, 'sync']).as('sync').use(throttleKiosk)
    router
      .post('/bookings/checkin', [KioskCheckInController, 'store'])
      .as('bookings.checkin')
      .use(throttleKiosk)
  })
  .prefix('/kiosk/:token')
  .as('kiosk')
  .use(publicWeb)

/* The printable ticket: no session or form. */
router
  .get('/kiosk/:token/tickets/:id/print', [KioskController, 'print'])
  .as('kiosk.print')
  .where('id', UUID)

/* Staff: the counter console, the front desk and the supervisor board. */
router
  .group(() => {
    router.get('/counter', [CounterController, 'show']).as('counter.show')
    router.get('/counter/live', [CounterController, 'live']).as('counter.live')
    router.post('/counter/select', [CounterController, 'select']).as('counter.select')
    router.post('/counter/leave', [CounterController, 'leave']).as('counter.leave')
    router.post('/counter/presence', [CounterController, 'presence']).as('counter.presence')
    router.post('/counter/call-next', [CounterController, 'callNext']).as('counter.call_next')

    router
      .group(() => {
        router.get('/', [TicketActionsController, 'show']).as('show')
        router.post('/note', [TicketActionsController, 'annotate']).as('note')
        router
          .post('/:action', [TicketActionsController, 'act'])
          .as('act')
          .where('action', TICKET_ACTION)
      })
      .prefix('/tickets/:id')
      .as('counter.tickets')
      .where('id', UUID)

    router.get('/desk', [DeskController, 'create']).as('desk.create')
    router.post('/desk', [DeskController, 'store']).as('desk.store')
    router.get('/desk/tickets/:id', [DeskController, 'show']).as('desk.show').where('id', UUID)

    router
      .get('/board', [BoardController, 'show'])
      .as('board.show')
      .use(middleware.role({ ability: 'supervise' }))
    router
      .get('/board/live', [BoardController, 'live'])
      .as('board.live')
      .use(middleware.role({ ability: 'supervise' }))
  })
  .prefix('/app')
  .use([...staff, middleware.role({ ability: 'operateQueue' })])

/* Admin: the branch's queue (owners and admins). */
router
  .group(() => {
    router.get('/', [DashboardController, 'index']).as('dashboard')
    router.get('/setup', [SetupController, 'edit']).as('setup.edit')
    router.post('/setup', [SetupController, 'store']).as('setup.store')
    router.get('/setup/done', [SetupController, 'done']).as('setup.done')

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

    router.get('/devices', [DevicesController, 'index']).as('devices.index')
    router.post('/devices', [DevicesController, 'store']).as('devices.store')
    router.get('/devices/:id/edit', [DevicesController, 'edit']).as('devices.edit')
    router.put('/devices/:id', [DevicesController, 'update']).as('devices.update')
    router
      .post('/devices/:id/regenerate', [DevicesController, 'regenerate'])
      .as('devices.regenerate')
    router.delete('/devices/:id', [DevicesController, 'destroy']).as('devices.destroy')

    router.get('/qr', [QueueController, 'qr']).as('qr')
    router.post('/queue/reset', [QueueController, 'reset']).as('queue.reset')
  })
  .prefix('/admin')
  .as('admin')
  .use(admins)

/* REST API: take a number, follow and move tickets, read queues. */
router
  .group(() => {
    router.post('/tickets', [ApiTicketsController, 'store']).as('tickets.store')
    router.get('/tickets/:id', [ApiTicketsController, 'show']).as('tickets.show').where('id', UUID)
    router
      .post('/tickets/:id/actions', [ApiTicketActionsController, 'store'])
      .as('tickets.actions')
      .where('id', UUID)
    router.get('/queues', [ApiQueuesController, 'index']).as('queues.index')
  })
  .prefix('/api/v1')
  .as('api')
  .use(apiClients)
