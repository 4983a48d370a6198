/*
|--------------------------------------------------------------------------
| Routes, one file per module (start/routes/<module>.ts)
|--------------------------------------------------------------------------
| Public pages (visitor, TV, kiosk, booking) need no login; staff pages sit under /app, admin
| pages under /admin, platform pages under /platform, the REST API under /api/v1. The middleware
| stacks they share are in start/stacks.ts.
*/
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
