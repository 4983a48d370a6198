/*
|--------------------------------------------------------------------------
| Leads and onboarding
|--------------------------------------------------------------------------
| Sales (and owners, admins, supervisors) work the pipeline under /app/leads: the board by status
| with counts and an owner filter, manual entry, a lead's page (owner, notes, next step, status
| moves, booking the onboarding), and the one-click correction of a conversation's team ("Ini
| lead" / "Ini dukungan"). Managers edit the lead settings. Prospects use the public form
| /lead/:slug (no login; CSRF, rate limited per client, a honeypot field).
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { publicWeb, staff } from '#start/stacks'
import { throttleTake } from '#start/limiter'

const LeadsController = () => import('#controllers/leads/leads_controller')
const LeadSettingsController = () => import('#controllers/leads/lead_settings_controller')
const PublicLeadsController = () => import('#controllers/leads/public_leads_controller')

router
  .group(() => {
    router.get('/', [LeadsController, 'index']).as('index')
    router.get('/new', [LeadsController, 'create']).as('create')
    router.post('/', [LeadsController, 'store']).as('store')
    router.get('/:id', [LeadsController, 'show']).as('show')
    router.post('/:id', [LeadsController, 'update']).as('update')
    router.post('/:id/move', [LeadsController, 'move']).as('move')
    router.post('/:id/onboarding', [LeadsController, 'book']).as('book')
  })
  .prefix('/app/leads')
  .as('leads')
  .use([...staff, middleware.role({ ability: 'workLeads' })])

/* The thread's correction: anyone working the inbox says which team a conversation is. */
router
  .post('/app/leads/conversations/:id/route', [LeadsController, 'reroute'])
  .as('leads.reroute')
  .use([...staff, middleware.role({ ability: 'useInbox' })])

router
  .group(() => {
    router.get('/', [LeadSettingsController, 'edit']).as('edit')
    router.put('/', [LeadSettingsController, 'update']).as('update')
  })
  .prefix('/app/lead-settings')
  .as('leads.settings')
  .use([...staff, middleware.role({ ability: 'manageLeads' })])

router
  .group(() => {
    router.get('/lead/:slug', [PublicLeadsController, 'show']).as('lead.public')
    router
      .post('/lead/:slug', [PublicLeadsController, 'store'])
      .as('lead.public.store')
      .use(throttleTake)
    router.get('/lead/:slug/thanks', [PublicLeadsController, 'thanks']).as('lead.public.thanks')
  })
  .use(publicWeb)
