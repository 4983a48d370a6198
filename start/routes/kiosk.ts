/*
| The kiosk (a touch screen in the lobby that prints numbers), reached by its device's secret
| token. Its JSON endpoints carry the session's CSRF token and are rate limited per kiosk.
*/
import router from '@adonisjs/core/services/router'
import { publicWeb } from '#start/stacks'
import { throttleKiosk } from '#start/limiter'

const KioskController = () => import('#controllers/queue/kiosk_controller')
const KioskCheckInController = () => import('#controllers/bookings/kiosk_check_in_controller')

router
  .group(() => {
    router.get('/', [KioskController, 'show']).as('show')
    router.post('/tickets', [KioskController, 'take']).as('take').use(throttleKiosk)
    router.post('/reserve', [KioskController, 'reserve']).as('reserve').use(throttleKiosk)
    router.post('/sync', [KioskController, 'sync']).as('sync').use(throttleKiosk)
    router.post('/bookings/checkin', [KioskCheckInController, 'store']).as('bookings.checkin').use(throttleKiosk)
  })
  .prefix('/kiosk/:token')
  .as('kiosk')
  .use(publicWeb)

/* The printable ticket: no session or form; the controller allows framing by this site only. */
router
  .get('/kiosk/:token/tickets/:id/print', [KioskController, 'print'])
  .as('kiosk.print')
  .where('id', router.matchers.uuid())
