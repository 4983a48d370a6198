/*
|--------------------------------------------------------------------------
| Field service REST API: customers and visit jobs
|--------------------------------------------------------------------------
| Under /api/v1 with an API key of the business (apiClients: the key, its rate limit, the
| Idempotency-Key on POSTs). Customers: list, add, read, change, deactivate. Jobs: list with CS's
| filters, create, read, cancel, and their history. Every id is looked up within the key's tenant.
*/
import router from '@adonisjs/core/services/router'
import { apiClients } from '#start/stacks'

const CustomersController = () => import('#controllers/field/api/customers_controller')
const JobsController = () => import('#controllers/field/api/jobs_controller')

router
  .group(() => {
    router.get('/customers', [CustomersController, 'index']).as('customers.index')
    router.post('/customers', [CustomersController, 'store']).as('customers.store')
    router.get('/customers/:id', [CustomersController, 'show']).as('customers.show')
    router.patch('/customers/:id', [CustomersController, 'update']).as('customers.update')
    router
      .post('/customers/:id/deactivate', [CustomersController, 'deactivate'])
      .as('customers.deactivate')

    router.get('/jobs', [JobsController, 'index']).as('jobs.index')
    router.post('/jobs', [JobsController, 'store']).as('jobs.store')
    router.get('/jobs/:id', [JobsController, 'show']).as('jobs.show')
    router.post('/jobs/:id/cancel', [JobsController, 'cancel']).as('jobs.cancel')
    router.get('/jobs/:id/events', [JobsController, 'events']).as('jobs.events')
  })
  .prefix('/api/v1')
  .as('api')
  .use(apiClients)
