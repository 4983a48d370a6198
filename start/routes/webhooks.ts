/*
| Admin: outgoing webhooks. Endpoints, their secrets, delivery logs and test events.
| Tenant-wide: owners and admins not limited to one branch (MessagingPolicy).
*/
import router from '@adonisjs/core/services/router'
import { admins } from '#start/stacks'

const WebhooksController = () => import('#controllers/messaging/admin/webhooks_controller')


router
  .group(() => {
    router.get('/', [WebhooksController, 'index']).as('index')
    router.get('/create', [WebhooksController, 'create']).as('create')
    router.post('/', [WebhooksController, 'store']).as('store')
    router
      .group(() => {
        router.get('/', [WebhooksController, 'show']).as('show')
        router.get('/edit', [WebhooksController, 'edit']).as('edit')
        router.put('/', [WebhooksController, 'update']).as('update')
        router.delete('/', [WebhooksController, 'destroy']).as('destroy')
        router.post('/rotate', [WebhooksController, 'rotate']).as('rotate')
        router.post('/test', [WebhooksController, 'test']).as('test')
        router
          .post('/deliveries/:deliveryId/retry', [WebhooksController, 'retry'])
          .as('deliveries.retry')
          .where('deliveryId', router.matchers.number())
        router
          .post('/deliveries/:deliveryId/drop', [WebhooksController, 'drop'])
          .as('deliveries.drop')
          .where('deliveryId', router.matchers.number())
      })
      .prefix('/:id')
      .where('id', router.matchers.number())
  })
  .prefix('/admin/webhooks')
  .as('admin.webhooks')
  .use(admins)
