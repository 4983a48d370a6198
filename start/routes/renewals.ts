/*
|--------------------------------------------------------------------------
| Renewals (seed 004 Renewal Flow) and the POS sync
|--------------------------------------------------------------------------
| The renewal board and a renewal's page with its tries (owners, admins, supervisors and the
| renewal team: `renewals`), where the team logs a call or a note; the sync log (the same
| people); the set-up (POS source, its webhook secret, cadence, sync now, CSV import: owners,
| admins and supervisors, `manageRenewals`). The POS pushes to its signed webhook without a
| session or CSRF token.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { staff } from '#start/stacks'
import { throttleWebhook } from '#start/limiter'

const RenewalsController = () => import('#controllers/renewals/renewals_controller')
const RenewalSettingsController = () => import('#controllers/renewals/renewal_settings_controller')
const PosWebhookController = () => import('#controllers/renewals/pos_webhook_controller')

router
  .group(() => {
    router.get('/', [RenewalsController, 'index']).as('index')
    router.get('/sync-log', [RenewalSettingsController, 'syncLog']).as('sync_log')
    router.get('/:id', [RenewalsController, 'show']).as('show')
    router.post('/:id/log', [RenewalsController, 'log']).as('log')
  })
  .prefix('/app/renewals')
  .as('renewals')
  .use([...staff, middleware.role({ ability: 'renewals' })])

router
  .group(() => {
    router.get('/settings', [RenewalSettingsController, 'edit']).as('settings')
    router
      .put('/settings/source', [RenewalSettingsController, 'updateSource'])
      .as('settings.source')
    router
      .put('/settings/cadence', [RenewalSettingsController, 'updateCadence'])
      .as('settings.cadence')
    router
      .post('/settings/secret', [RenewalSettingsController, 'regenerateSecret'])
      .as('settings.secret')
    router.post('/sync', [RenewalSettingsController, 'syncNow']).as('sync')
    router.post('/sync/csv', [RenewalSettingsController, 'importCsv']).as('sync.csv')
  })
  .prefix('/app/renewals')
  .as('renewals')
  .use([...staff, middleware.role({ ability: 'manageRenewals' })])

/* The POS's pushes: signed with the tenant's webhook secret. */
router
  .post('/webhooks/pos/:slug', [PosWebhookController, 'receive'])
  .as('webhooks.pos')
  .use(throttleWebhook)
