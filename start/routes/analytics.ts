/*
| Analytics: the day's report per service (supervisors, admins and owners).
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { staff } from '#start/stacks'

const ReportsController = () => import('#controllers/analytics/reports_controller')

router
  .get('/app/reports/daily', [ReportsController, 'daily'])
  .as('reports.daily')
  .use([
    ...staff,
    middleware.role({ ability: 'operateQueue' }),
    middleware.role({ ability: 'supervise' }),
  ])
