/*
|--------------------------------------------------------------------------
| Outlets (the WhatsApp inbox's set-up): the directory and who may see what
|--------------------------------------------------------------------------
| Inbox managers and CS keep the business's outlets under /app/outlets: the list (searched, 25 a
| page), an outlet's page with the contacts who speak for it (link one by phone, unlink), the
| form, and the CSV import with its report. Owners and admins limit an agent's inbox to some
| franchises or outlets from the user's admin page (/admin/users/:id/scopes).
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { admins, staff } from '#start/stacks'

const OutletsController = () => import('#controllers/inbox/outlets_controller')
const OutletImportsController = () => import('#controllers/inbox/outlet_imports_controller')
const UserScopesController = () => import('#controllers/inbox/user_scopes_controller')

router
  .group(() => {
    router.get('/', [OutletsController, 'index']).as('index')
    router.get('/new', [OutletsController, 'create']).as('create')
    router.post('/', [OutletsController, 'store']).as('store')
    router.get('/import', [OutletImportsController, 'create']).as('import.create')
    router.post('/import', [OutletImportsController, 'store']).as('import.store')
    router.get('/:id', [OutletsController, 'show']).as('show')
    router.get('/:id/edit', [OutletsController, 'edit']).as('edit')
    router.put('/:id', [OutletsController, 'update']).as('update')
    router.post('/:id/contacts', [OutletsController, 'link']).as('links.store')
    router.delete('/:id/contacts/:contactId', [OutletsController, 'unlink']).as('links.destroy')
  })
  .prefix('/app/outlets')
  .as('outlets')
  .use([...staff, middleware.role({ ability: 'manageOutlets' })])

router
  .group(() => {
    router.put('/users/:id/scopes', [UserScopesController, 'update']).as('users.scopes.update')
  })
  .prefix('/admin')
  .as('admin')
  .use(admins)
