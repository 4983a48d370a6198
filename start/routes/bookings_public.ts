/*
| The customer's booking pages: no login, reached by the branch's slug and the booking's UUID.
| Forms carry CSRF tokens; booking, cancelling, moving and checking in are rate limited per client.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { throttlePoll, throttleTake } from '#start/limiter'

const PublicBookingsController = () => import('#controllers/bookings/public/bookings_controller')

const UUID = router.matchers.uuid()

router
  .group(() => {
    router.get('/book/:slug', [PublicBookingsController, 'services']).as('book.services')
    router.get('/book/:slug/services/:serviceId', [PublicBookingsController, 'times']).as('book.times').where('serviceId', router.matchers.number())
    router.post('/book/:slug', [PublicBookingsController, 'store']).as('book.store').use(throttleTake)
    router.get('/booking/:id', [PublicBookingsController, 'show']).as('booking.show').where('id', UUID)
    router.get('/booking/:id/calendar.ics', [PublicBookingsController, 'calendar']).as('booking.calendar').where('id', UUID)
    router.post('/booking/:id/cancel', [PublicBookingsController, 'cancel']).as('booking.cancel').where('id', UUID).use(throttleTake)
    router.get('/booking/:id/reschedule', [PublicBookingsController, 'rescheduleForm']).as('booking.reschedule.form').where('id', UUID)
    router.post('/booking/:id/reschedule', [PublicBookingsController, 'reschedule']).as('booking.reschedule').where('id', UUID).use(throttleTake)
    router.post('/booking/:id/checkin', [PublicBookingsController, 'checkIn']).as('booking.checkin').where('id', UUID).use(throttleTake)
  })
  .use([middleware.session(), middleware.shield()])

router.get('/booking/:id/live', [PublicBookingsController, 'live']).as('booking.live').where('id', UUID).use(throttlePoll)
