/*
|--------------------------------------------------------------------------
| Routes, one file per module (start/routes/<module>.ts)
|--------------------------------------------------------------------------
| Public pages (visitor, TV, kiosk, booking) need no login; staff pages sit under /app, admin
| pages under /admin, platform pages under /platform, the REST API under /api/v1. The middleware
| stacks they share are in start/stacks.ts.
*/
import router from '@adonisjs/core/services/router'
import '#start/routes/platform'
import '#start/routes/queue'
import '#start/routes/bookings'
import '#start/routes/payments'
import '#start/routes/messaging'
import '#start/routes/analytics'
import '#start/routes/field'
import '#start/routes/field_api'
import '#start/routes/billing'
import '#start/routes/outlets'
import '#start/routes/inbox'
import '#start/routes/privacy'
import '#start/routes/leads'
import '#start/routes/renewals'

/*
| A record's id in a path is a whole number unless its route says otherwise (tickets, bookings and
| booth sessions are UUIDs): `/admin/users/abc` or `/admin/users/Infinity` is a 404 of the router's,
| never a query with a value the database cannot read.
*/
export const RECORD_ID_PARAMS = [
  'id',
  'serviceId',
  'contactId',
  'messageId',
  'photoId',
  'deliveryId',
]
for (const param of RECORD_ID_PARAMS) {
  router.where(param, router.matchers.number())
}
