/*
|--------------------------------------------------------------------------
| Personal data (PDPA, UU PDP)
|--------------------------------------------------------------------------
| Owners and admins find a person by phone or email under /app/privacy: where their data is, its
| export (JSON and a printable page), their consent, and its erasure; and set retention per kind
| and the staff pages' IP allow-list under /app/privacy/settings.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { staff } from '#start/stacks'

const PrivacyController = () => import('#controllers/privacy/privacy_controller')
const PrivacySettingsController = () => import('#controllers/privacy/privacy_settings_controller')

router
  .group(() => {
    router.get('/', [PrivacyController, 'index']).as('index')
    router.get('/export.json', [PrivacyController, 'exportJson']).as('export.json')
    router.get('/export.html', [PrivacyController, 'exportHtml']).as('export.html')
    router.post('/erase', [PrivacyController, 'erase']).as('erase')
    router.post('/consents', [PrivacyController, 'consent']).as('consents.store')
    router.get('/settings', [PrivacySettingsController, 'edit']).as('settings.edit')
    router.put('/settings', [PrivacySettingsController, 'update']).as('settings.update')
  })
  .prefix('/app/privacy')
  .as('privacy')
  .use([...staff, middleware.role({ ability: 'managePrivacy' })])
