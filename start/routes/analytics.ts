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

const AnalyticsController = () => import('#controllers/analytics/analytics_controller')

/* The analytics area: the queue's KPIs, charts and exports (owners, admins, supervisors). */
router
  .group(() => {
    router.get('/', [AnalyticsController, 'show']).as('index')
    router.get('/export.csv', [AnalyticsController, 'exportCsv']).as('export.csv')
    router.get('/export.xlsx', [AnalyticsController, 'exportXlsx']).as('export.xlsx')
  })
  .prefix('/app/analytics')
  .as('analytics')
  .use([...staff, middleware.role({ ability: 'supervise' })])
