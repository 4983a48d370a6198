/*
|--------------------------------------------------------------------------
| REST API routes: /api/v1
|--------------------------------------------------------------------------
| Authenticated by API key (no session, no CSRF), rate limited per key, and with Idempotency-Key
| on every POST. Errors are JSON (app/exceptions/handler.ts answers /api/ paths that way).
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { throttleApi } from '#start/limiter'

const TicketsController = () => import('#controllers/queue/api/tickets_controller')
const TicketActionsController = () => import('#controllers/queue/api/ticket_actions_controller')
const QueuesController = () => import('#controllers/queue/api/queues_controller')
const DocsController = () => import('#controllers/platform/api/docs_controller')
const AppointmentsController = () => import('#controllers/bookings/api/appointments_controller')
const SessionsController = () => import('#controllers/bookings/api/sessions_controller')
const OutletsController = () => import('#controllers/bookings/api/outlets_controller')
const BookingSettingsController = () => import('#controllers/bookings/api/booking_settings_controller')

const UUID = router.matchers.uuid()

router
  .group(() => {
    router.get('/openapi.json', [DocsController, 'openApi']).as('openapi')

    router
      .group(() => {
        router.post('/tickets', [TicketsController, 'store']).as('tickets.store')
        router.get('/tickets/:id', [TicketsController, 'show']).as('tickets.show').where('id', router.matchers.uuid())
        router
          .post('/tickets/:id/actions', [TicketActionsController, 'store'])
          .as('tickets.actions')
          .where('id', router.matchers.uuid())
        router.get('/queues', [QueuesController, 'index']).as('queues.index')

        router.post('/appointments', [AppointmentsController, 'store']).as('appointments.store')
        router.post('/appointments/:id/checkin', [AppointmentsController, 'checkIn']).as('appointments.checkin').where('id', UUID)
        router.get('/bookings', [SessionsController, 'index']).as('bookings.index')
        router.post('/sessions/:id/arrival', [SessionsController, 'arrival']).as('sessions.arrival').where('id', UUID)
        router.post('/sessions/:id/start', [SessionsController, 'start']).as('sessions.start').where('id', UUID)
        router.post('/sessions/:id/finish', [SessionsController, 'finish']).as('sessions.finish').where('id', UUID)
        router.post('/sessions/:id/override', [SessionsController, 'override']).as('sessions.override').where('id', UUID)
        router.get('/sessions/:id/status', [SessionsController, 'status']).as('sessions.status').where('id', UUID)
        router.get('/outlets', [OutletsController, 'index']).as('outlets.index')
        router.get('/settings', [BookingSettingsController, 'show']).as('settings.show')
        router.put('/settings', [BookingSettingsController, 'update']).as('settings.update')
      })
      .use([middleware.apiKey(), throttleApi, middleware.apiIdempotency()])
  })
  .prefix('/api/v1')
  .as('api')

/* The readable reference, for people: a normal web page. */
router
  .get('/api/docs', [DocsController, 'show'])
  .as('api.docs')
  .use([middleware.session(), middleware.shield()])
