/*
| Message channels: the admin page of the tenant's provider accounts (owners and admins not
| limited to one branch, MessagingPolicy), and the inbound WhatsApp webhook, which carries no
| session and no CSRF token: Meta proves each request with its signature.
*/
import router from '@adonisjs/core/services/router'
import { admins } from '#start/stacks'
import { throttleWebhook } from '#start/limiter'

const ChannelsController = () => import('#controllers/messaging/admin/channels_controller')
const WhatsappWebhookController = () => import('#controllers/messaging/whatsapp_webhook_controller')


const CONFIGURABLE = /^(whatsapp|sms|email)$/

router
  .group(() => {
    router.get('/', [ChannelsController, 'index']).as('index')
    router.put('/:kind', [ChannelsController, 'update']).as('update').where('kind', CONFIGURABLE)
    router.post('/:kind/test', [ChannelsController, 'test']).as('test').where('kind', CONFIGURABLE)
  })
  .prefix('/admin/messaging/channels')
  .as('admin.messaging.channels')
  .use(admins)

router
  .group(() => {
    router.get('/whatsapp/:tenant', [WhatsappWebhookController, 'verify']).as('whatsapp.verify')
    router.post('/whatsapp/:tenant', [WhatsappWebhookController, 'receive']).as('whatsapp.receive')
  })
  .prefix('/webhooks')
  .as('webhooks')
  .use(throttleWebhook)
