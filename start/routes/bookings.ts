/*
|--------------------------------------------------------------------------
| Bookings: staff pages, admin pages, booths
|--------------------------------------------------------------------------
| Staff (/app/bookings): the day's bookings, the scan box, a booking's page and its actions, the
| desk's booking form and the booth/outlet board. Admin: resources and the booking settings.
| Booths poll /booth/:token/status with no session, answered 204 while nothing changed.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { admins, staff } from '#start/stacks'
import { throttlePoll, throttleScan } from '#start/limiter'

const BookingsController = () => import('#controllers/bookings/bookings_controller')
const BookingActionsController = () => import('#controllers/bookings/booking_actions_controller')
const BookingBoardController = () => import('#controllers/bookings/booking_board_controller')
const BoothController = () => import('#controllers/bookings/booth_controller')
const ResourcesController = () => import('#controllers/bookings/admin/resources_controller')
const BookingSettingsController = () => import('#controllers/bookings/admin/booking_settings_controller')

const UUID = router.matchers.uuid()


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
        router.post('/checkin', [BookingActionsController, 'checkIn']).as('checkin').use(throttleScan)
        router.post('/start', [BookingActionsController, 'start']).as('start')
        router.post('/finish', [BookingActionsController, 'finish']).as('finish')
        router.post('/cancel', [BookingActionsController, 'cancel']).as('cancel')
        router.get('/reschedule', [BookingActionsController, 'rescheduleForm']).as('reschedule.form')
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
    router.put('/bookings/settings', [BookingSettingsController, 'update']).as('bookings.settings.update')
  })
  .prefix('/admin')
  .as('admin')
  .use(admins)

router.get('/booth/:token/status', [BoothController, 'status']).as('booth.status').use(throttlePoll)
