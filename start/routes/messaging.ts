/*
| Admin: messaging. The outbox (every message to a visitor and what became of it), the
| visitor-messaging settings and the message templates. Tenant-wide: owners and admins not
| limited to one branch (MessagingPolicy).
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { admins } from '#start/stacks'
import { throttleTake } from '#start/limiter'

const MessagingController = () => import('#controllers/messaging/admin/messaging_controller')
const OptOutsController = () => import('#controllers/messaging/public/opt_outs_controller')


router
  .group(() => {
    router.get('/', [MessagingController, 'outbox']).as('outbox')
    router.post('/outbox/retry', [MessagingController, 'retry']).as('outbox.retry')
    router.post('/outbox/drop', [MessagingController, 'drop']).as('outbox.drop')
    router.get('/templates', [MessagingController, 'templates']).as('templates')
    router.put('/settings', [MessagingController, 'updateSettings']).as('settings')
    router.post('/templates/preview', [MessagingController, 'preview']).as('templates.preview')
    router.get('/templates/:event/:locale', [MessagingController, 'editTemplate']).as('templates.edit')
    router.put('/templates/:event/:locale', [MessagingController, 'updateTemplate']).as('templates.update')
    router.delete('/templates/:event/:locale', [MessagingController, 'resetTemplate']).as('templates.reset')
  })
  .prefix('/admin/messaging')
  .as('admin.messaging')
  .use(admins)

/* The opt-out link at the end of every message: no login; a signed token says who and where. */
router
  .group(() => {
    router.get('/:token', [OptOutsController, 'show']).as('show')
    router.post('/:token', [OptOutsController, 'store']).as('store')
    router.delete('/:token', [OptOutsController, 'destroy']).as('destroy')
  })
  .prefix('/o')
  .as('opt_out')
  .use([middleware.session(), middleware.shield(), throttleTake])
