/*
| Messaging: the outbox (every message to a visitor and what became of it), the visitor-messaging
| settings and templates, the channels (provider accounts) and the outgoing webhooks: tenant-wide,
| for owners and admins not limited to one branch (MessagingPolicy). The opt-out link at the end of
| every message, and the inbound WhatsApp webhook, which carries no session and no CSRF token: Meta
| proves each request with its signature.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { admins } from '#start/stacks'
import { throttleTake, throttleWebhook } from '#start/limiter'

const MessagingController = () => import('#controllers/messaging/admin/messaging_controller')
const OptOutsController = () => import('#controllers/messaging/public/opt_outs_controller')
const ChannelsController = () => import('#controllers/messaging/admin/channels_controller')
const WhatsappWebhookController = () => import('#controllers/messaging/whatsapp_webhook_controller')
const WebhooksController = () => import('#controllers/messaging/admin/webhooks_controller')

const CONFIGURABLE = /^(whatsapp|sms|email)$/

router
  .group(() => {
    router.get('/', [MessagingController, 'outbox']).as('outbox')
    router.post('/outbox/retry', [MessagingController, 'retry']).as('outbox.retry')
    router.post('/outbox/drop', [MessagingController, 'drop']).as('outbox.drop')
    router.get('/templates', [MessagingController, 'templates']).as('templates')
    router.put('/settings', [MessagingController, 'updateSettings']).as('settings')
    router.post('/templates/preview', [MessagingController, 'preview']).as('templates.preview')
    router
      .get('/templates/:event/:locale', [MessagingController, 'editTemplate'])
      .as('templates.edit')
    router
      .put('/templates/:event/:locale', [MessagingController, 'updateTemplate'])
      .as('templates.update')
    router
      .delete('/templates/:event/:locale', [MessagingController, 'resetTemplate'])
      .as('templates.reset')
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

/* The channels: the tenant's WhatsApp, SMS and email accounts. */
router
  .group(() => {
    router.get('/', [ChannelsController, 'index']).as('index')
    router.put('/:kind', [ChannelsController, 'update']).as('update').where('kind', CONFIGURABLE)
    router.post('/:kind/test', [ChannelsController, 'test']).as('test').where('kind', CONFIGURABLE)
  })
  .prefix('/admin/messaging/channels')
  .as('admin.messaging.channels')
  .use(admins)

/* WhatsApp's webhook: the verification handshake and signed inbound messages. */
router
  .group(() => {
    router.get('/whatsapp/:tenant', [WhatsappWebhookController, 'verify']).as('whatsapp.verify')
    router.post('/whatsapp/:tenant', [WhatsappWebhookController, 'receive']).as('whatsapp.receive')
  })
  .prefix('/webhooks')
  .as('webhooks')
  .use(throttleWebhook)

/* Outgoing webhooks: endpoints, their secrets, delivery logs and test events. */
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
        router
          .post('/deliveries/:deliveryId/drop', [WebhooksController, 'drop'])
          .as('deliveries.drop')
      })
      .prefix('/:id')
  })
  .prefix('/admin/webhooks')
  .as('admin.webhooks')
  .use(admins)
