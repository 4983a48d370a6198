/*
|--------------------------------------------------------------------------
| The WhatsApp inbox
|--------------------------------------------------------------------------
| Agents (and CS, sales, the renewal team, supervisors) work conversations under /app/inbox: the
| list and a thread, both live (polled with the inbox version, 204 while unchanged), replies, notes,
| assignment, categories, status moves, the presence heartbeat and the customer's media. Every id
| is looked up within the tenant and the agent's fid/oid scope (404 otherwise).
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { staff } from '#start/stacks'

const ConversationsController = () => import('#controllers/inbox/conversations_controller')
const CannedRepliesController = () => import('#controllers/inbox/canned_replies_controller')
const InboxSettingsController = () => import('#controllers/inbox/inbox_settings_controller')
const InboxAnalyticsController = () => import('#controllers/inbox/inbox_analytics_controller')

router
  .group(() => {
    router.get('/', [ConversationsController, 'index']).as('index')
    router.get('/live', [ConversationsController, 'list']).as('live')
    router.get('/:id', [ConversationsController, 'show']).as('show')
    router.get('/:id/live', [ConversationsController, 'thread']).as('thread')
    router.post('/:id/presence', [ConversationsController, 'presence']).as('presence')
    for (const action of ['reply', 'note', 'assign', 'categorize', 'move', 'link'] as const)
      router.post(`/:id/${action}`, [ConversationsController, action]).as(action)
    router.get('/:id/media/:messageId', [ConversationsController, 'media']).as('media')
  })
  .prefix('/app/inbox')
  .as('inbox')
  .use([...staff, middleware.role({ ability: 'useInbox' })])

router
  .group(() => {
    router.get('/', [CannedRepliesController, 'index']).as('index')
    router.post('/', [CannedRepliesController, 'store']).as('store')
    router.put('/:id', [CannedRepliesController, 'update']).as('update')
    router.delete('/:id', [CannedRepliesController, 'destroy']).as('destroy')
  })
  .prefix('/app/inbox-canned')
  .as('inbox.canned')
  .use([...staff, middleware.role({ ability: 'manageInbox' })])

router
  .group(() => {
    router.get('/', [InboxSettingsController, 'edit']).as('edit')
    router.put('/', [InboxSettingsController, 'update']).as('update')
  })
  .prefix('/app/inbox-settings')
  .as('inbox.settings')
  .use([...staff, middleware.role({ ability: 'manageInbox' })])

router
  .group(() => {
    router.get('/', [InboxAnalyticsController, 'index']).as('index')
    router.get('/export.csv', [InboxAnalyticsController, 'export']).as('export')
  })
  .prefix('/app/inbox-analytics')
  .as('inbox.analytics')
  .use([...staff, middleware.role({ ability: 'manageInbox' })])
