/*
|--------------------------------------------------------------------------
| Billing: invoices and ratings
|--------------------------------------------------------------------------
| Staff read and work invoices under /app/invoices (each step checks the reader's role: CS bills,
| sales approves); the customer opens their invoice at /i/:token and rates finished work at
| /r/:token, both without logging in, rate limited per address, and pays it through the tenant's
| gateway. Admins set billing and ratings up. Other systems read invoices and ratings under
| /api/v1 with an API key.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { admins, apiClients, publicWeb, staff } from '#start/stacks'
import { throttleTake } from '#start/limiter'

const InvoicesController = () => import('#controllers/billing/invoices_controller')
const PublicInvoicesController = () => import('#controllers/billing/public_invoices_controller')
const RatingsController = () => import('#controllers/billing/ratings_controller')
const PublicRatingsController = () => import('#controllers/billing/public_ratings_controller')
const BillingSettingsController = () => import('#controllers/billing/billing_settings_controller')
const ApiInvoicesController = () => import('#controllers/billing/api/invoices_controller')
const ApiRatingsController = () => import('#controllers/billing/api/ratings_controller')

const TOKEN = /^[A-Za-z0-9_-]{16,64}$/

router
  .group(() => {
    router.get('/', [InvoicesController, 'index']).as('index')
    router.get('/export.csv', [InvoicesController, 'export']).as('export')
    router.get('/new', [InvoicesController, 'create']).as('create')
    router.post('/', [InvoicesController, 'store']).as('store')
    router.get('/:id', [InvoicesController, 'show']).as('show')
    router.get('/:id/edit', [InvoicesController, 'edit']).as('edit')
    router.put('/:id', [InvoicesController, 'update']).as('update')
    for (const step of ['submit', 'approve', 'reject', 'send', 'pay', 'void'] as const)
      router.post(`/:id/${step}`, [InvoicesController, step]).as(step)
    router.get('/:id/invoice.pdf', [InvoicesController, 'pdf']).as('pdf')
    router.get('/:id/proof', [InvoicesController, 'proof']).as('proof')
  })
  .prefix('/app/invoices')
  .as('invoices')
  .use([...staff, middleware.role({ ability: 'readInvoices' })])

router
  .group(() => {
    router.get('/', [RatingsController, 'index']).as('index')
    router.get('/export.csv', [RatingsController, 'export']).as('export')
  })
  .prefix('/app/ratings')
  .as('ratings')
  .use([...staff, middleware.role({ ability: 'readRatings' })])

router
  .group(() => {
    router.get('/r/:token', [PublicRatingsController, 'show']).as('rating.public')
    router.post('/r/:token', [PublicRatingsController, 'answer']).as('rating.answer')
    router.get('/i/:token', [PublicInvoicesController, 'show']).as('invoice.public')
    router.post('/i/:token/pay', [PublicInvoicesController, 'pay']).as('invoice.public.pay')
    router.get('/i/:token/invoice.pdf', [PublicInvoicesController, 'pdf']).as('invoice.public.pdf')
  })
  .where('token', TOKEN)
  .use([...publicWeb, throttleTake])

router
  .group(() => {
    router.get('/billing/settings', [BillingSettingsController, 'edit']).as('billing.settings')
    router
      .put('/billing/settings', [BillingSettingsController, 'update'])
      .as('billing.settings.update')
  })
  .prefix('/admin')
  .as('admin')
  .use(admins)

router
  .group(() => {
    router.get('/invoices', [ApiInvoicesController, 'index']).as('invoices.index')
    router.get('/invoices/:id', [ApiInvoicesController, 'show']).as('invoices.show')
    router.get('/ratings', [ApiRatingsController, 'index']).as('ratings.index')
    router.get('/ratings/:id', [ApiRatingsController, 'show']).as('ratings.show')
  })
  .prefix('/api/v1')
  .as('api')
  .use(apiClients)
