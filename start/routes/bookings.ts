/*
|--------------------------------------------------------------------------
| Bookings: staff pages, admin pages, booths
|--------------------------------------------------------------------------
| Customers (no login): /book/:branch and /booking/:id, reached by the branch's slug and the
| booking's UUID; booking, cancelling, moving and checking in are rate limited per client.
| Staff (/app/bookings): the day's bookings, the scan box, a booking's page and its actions, the
| desk's booking form and the booth/outlet board. Admin: resources and the booking settings.
| Booths poll /booth/:token/status with no session, answered 204 while nothing changed.
| API: appointments, booth sessions, outlets and the booking settings.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { admins, apiClients, staff } from '#start/stacks'
import { throttlePoll, throttleScan, throttleTake } from '#start/limiter'

const PublicBookingsController = () => import('#controllers/bookings/public/bookings_controller')
const BookingsController = () => import('#controllers/bookings/bookings_controller')
const BookingActionsController = () => import('#controllers/bookings/booking_actions_controller')
const BookingBoardController = () => import('#controllers/bookings/booking_board_controller')
const BoothController = () => import('#controllers/bookings/booth_controller')
const ResourcesController = () => import('#controllers/bookings/admin/resources_controller')
const BookingSettingsController = () =>
  import('#controllers/bookings/admin/booking_settings_controller')
const AppointmentsController = () => import('#controllers/bookings/api/appointments_controller')
const SessionsController = () => import('#controllers/bookings/api/sessions_controller')
const OutletsController = () => import('#controllers/bookings/api/outlets_controller')
const ApiBookingSettingsController = () =>
  import('#controllers/bookings/api/booking_settings_controller')

const UUID = router.matchers.uuid()

/* Customers: book, then follow, move, cancel or check in on the booking's page. */
router
  .group(() => {
    router.get('/book/:slug', [PublicBookingsController, 'services']).as('book.services')
    router
      .get('/book/:slug/services/:serviceId', [PublicBookingsController, 'times'])
      .as('book.times')
    router
      .post('/book/:slug', [PublicBookingsController, 'store'])
      .as('book.store')
      .use(throttleTake)
    router
      .get('/booking/:id', [PublicBookingsController, 'show'])
      .as('booking.show')
      .where('id', UUID)
    router
      .get('/booking/:id/calendar.ics', [PublicBookingsController, 'calendar'])
      .as('booking.calendar')
      .where('id', UUID)
    router
      .post('/booking/:id/cancel', [PublicBookingsController, 'cancel'])
      .as('booking.cancel')
      .where('id', UUID)
      .use(throttleTake)
    router
      .get('/booking/:id/reschedule', [PublicBookingsController, 'rescheduleForm'])
      .as('booking.reschedule.form')
      .where('id', UUID)
    router
      .post('/booking/:id/reschedule', [PublicBookingsController, 'reschedule'])
      .as('booking.reschedule')
      .where('id', UUID)
      .use(throttleTake)
    router
      .post('/booking/:id/checkin', [PublicBookingsController, 'checkIn'])
      .as('booking.checkin')
      .where('id', UUID)
      .use(throttleTake)
  })
  .use([middleware.session(), middleware.shield()])

router
  .get('/booking/:id/live', [PublicBookingsController, 'live'])
  .as('booking.live')
  .where('id', UUID)
  .use(throttlePoll)

/* Staff: the day's bookings and the booth board. */
router
  .group(() => {
    router.get('/', [BookingsController, 'index']).as('index')
    router.post('/scan', [BookingsController, 'scan']).as('scan').use(throttleScan)
    router.get('/new', [BookingsController, 'create']).as('create')
    router.post('/', [BookingsController, 'store']).as('store')
    router.get('/board', [BookingBoardController, 'show']).as('board')
    router.get('/board/live', [BookingBoardController, 'live']).as('board.live')

    router
      .group(() => {
        router.get('/', [BookingsController, 'show']).as('show')
        router
          .post('/checkin', [BookingActionsController, 'checkIn'])
          .as('checkin')
          .use(throttleScan)
        router.post('/start', [BookingActionsController, 'start']).as('start')
        router.post('/finish', [BookingActionsController, 'finish']).as('finish')
        router.post('/cancel', [BookingActionsController, 'cancel']).as('cancel')
        router
          .get('/reschedule', [BookingActionsController, 'rescheduleForm'])
          .as('reschedule.form')
        router.post('/reschedule', [BookingActionsController, 'reschedule']).as('reschedule')
        router.post('/override', [BookingActionsController, 'override']).as('override')
      })
      .prefix('/:id')
      .where('id', UUID)
  })
  .prefix('/app/bookings')
  .as('bookings')
  .use([...staff, middleware.role({ ability: 'operateQueue' })])

router
  .group(() => {
    router.get('/resources', [ResourcesController, 'index']).as('resources.index')
    router.get('/resources/create', [ResourcesController, 'create']).as('resources.create')
    router.post('/resources', [ResourcesController, 'store']).as('resources.store')
    router.get('/resources/:id/edit', [ResourcesController, 'edit']).as('resources.edit')
    router.put('/resources/:id', [ResourcesController, 'update']).as('resources.update')
    router.post('/resources/:id/toggle', [ResourcesController, 'toggle']).as('resources.toggle')

    router.get('/bookings/settings', [BookingSettingsController, 'edit']).as('bookings.settings')
    router
      .put('/bookings/settings', [BookingSettingsController, 'update'])
      .as('bookings.settings.update')
  })
  .prefix('/admin')
  .as('admin')
  .use(admins)

router.get('/booth/:token/status', [BoothController, 'status']).as('booth.status').use(throttlePoll)

/* REST API: appointments and booth sessions. */
router
  .group(() => {
    router.post('/appointments', [AppointmentsController, 'store']).as('appointments.store')
    router
      .post('/appointments/:id/checkin', [AppointmentsController, 'checkIn'])
      .as('appointments.checkin')
      .where('id', UUID)
    router.get('/bookings', [SessionsController, 'index']).as('bookings.index')
    router
      .post('/sessions/:id/arrival', [SessionsController, 'arrival'])
      .as('sessions.arrival')
      .where('id', UUID)
    router
      .post('/sessions/:id/start', [SessionsController, 'start'])
      .as('sessions.start')
      .where('id', UUID)
    router
      .post('/sessions/:id/finish', [SessionsController, 'finish'])
      .as('sessions.finish')
      .where('id', UUID)
    router
      .post('/sessions/:id/override', [SessionsController, 'override'])
      .as('sessions.override')
      .where('id', UUID)
    router
      .get('/sessions/:id/status', [SessionsController, 'status'])
      .as('sessions.status')
      .where('id', UUID)
    router.get('/outlets', [OutletsController, 'index']).as('outlets.index')
    router.get('/settings', [ApiBookingSettingsController, 'show']).as('settings.show')
    router.put('/settings', [ApiBookingSettingsController, 'update']).as('settings.update')
  })
  .prefix('/api/v1')
  .as('api')
  .use(apiClients)
