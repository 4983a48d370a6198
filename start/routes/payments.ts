/*
| Payments: the admin page of the tenant's gateway accounts and payments (owners, PaymentsPolicy),
| and the gateways' notifications, which carry no session and no CSRF token: Midtrans proves each
| with its signature, Xendit with the account's callback token.
*/
import router from '@adonisjs/core/services/router'
import { admins } from '#start/stacks'
import { throttleWebhook } from '#start/limiter'

const PaymentsController = () => import('#controllers/payments/admin/payments_controller')
const PaymentWebhooksController = () => import('#controllers/payments/webhooks_controller')

router
  .group(() => {
    router.get('/', [PaymentsController, 'index']).as('index')
    router.put('/provider', [PaymentsController, 'provider']).as('provider')
    router
      .put('/:provider', [PaymentsController, 'update'])
      .as('update')
      .where('provider', /^(midtrans|xendit)$/)
  })
  .prefix('/admin/payments')
  .as('admin.payments')
  .use(admins)

router
  .group(() => {
    router.post('/midtrans/:tenant', [PaymentWebhooksController, 'midtrans']).as('midtrans')
    router.post('/xendit/:tenant', [PaymentWebhooksController, 'xendit']).as('xendit')
  })
  .prefix('/webhooks/payments')
  .as('webhooks.payments')
  .use(throttleWebhook)
