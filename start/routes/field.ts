/*
|--------------------------------------------------------------------------
| Field service: customers, visit jobs, the pool, attendance, extensions
|--------------------------------------------------------------------------
| CS (and supervisors, admins, owners) dispatch under /app/field: the job list, a job's page and
| its decisions, the live attendance board. Sales and dispatchers keep the customer list, its CSV
| import and export. Technicians work on phone-first pages: the open pool, their own jobs, their
| attendance. A job's page is shared: each sees the actions their role has.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { admins, staff } from '#start/stacks'

const JobsController = () => import('#controllers/field/jobs_controller')
const JobWorkController = () => import('#controllers/field/job_work_controller')
const PoolController = () => import('#controllers/field/pool_controller')
const AttendanceController = () => import('#controllers/field/attendance_controller')
const CustomersController = () => import('#controllers/field/customers_controller')
const CustomerImportsController = () => import('#controllers/field/customer_imports_controller')
const FieldSettingsController = () => import('#controllers/field/admin/field_settings_controller')

/* Customers: dispatchers and sales. */
router
  .group(() => {
    router.get('/', [CustomersController, 'index']).as('index')
    router.get('/new', [CustomersController, 'create']).as('create')
    router.post('/', [CustomersController, 'store']).as('store')
    router.get('/export.csv', [CustomersController, 'export']).as('export')
    router.get('/import', [CustomerImportsController, 'create']).as('import.create')
    router.post('/import', [CustomerImportsController, 'preview']).as('import.preview')
    router.post('/import/:token', [CustomerImportsController, 'commit']).as('import.commit')
    router.get('/import/:token', [CustomerImportsController, 'show']).as('import.show')
    router.get('/:id', [CustomersController, 'show']).as('show')
    router.get('/:id/edit', [CustomersController, 'edit']).as('edit')
    router.put('/:id', [CustomersController, 'update']).as('update')
    router.post('/:id/deactivate', [CustomersController, 'deactivate']).as('deactivate')
    router.post('/:id/reactivate', [CustomersController, 'reactivate']).as('reactivate')
  })
  .prefix('/app/field/customers')
  .as('field.customers')
  .use([...staff, middleware.role({ ability: 'manageCustomers' })])

/* Dispatch: jobs, decisions, the attendance board. */
router
  .group(() => {
    router.get('/jobs', [JobsController, 'index']).as('jobs.index')
    router.get('/jobs/new', [JobsController, 'create']).as('jobs.create')
    router.post('/jobs', [JobsController, 'store']).as('jobs.store')
    router.get('/jobs/:id/edit', [JobsController, 'edit']).as('jobs.edit')
    router.put('/jobs/:id', [JobsController, 'update']).as('jobs.update')
    router.post('/jobs/:id/cancel', [JobsController, 'cancel']).as('jobs.cancel')
    router.post('/jobs/:id/close', [JobsController, 'close']).as('jobs.close')
    router.post('/jobs/:id/return', [JobsController, 'returnToPool']).as('jobs.return')
    router
      .post('/extensions/:id/decide', [JobsController, 'decideExtension'])
      .as('extensions.decide')
    router.get('/attendance', [AttendanceController, 'board']).as('attendance.board')
    router.get('/attendance/live', [AttendanceController, 'live']).as('attendance.live')
  })
  .prefix('/app/field')
  .as('field')
  .use([...staff, middleware.role({ ability: 'dispatchJobs' })])

/* Technicians: the pool, their jobs, their work and their attendance. */
router
  .group(() => {
    router.get('/pool', [PoolController, 'index']).as('pool')
    router.get('/pool/live', [PoolController, 'live']).as('pool.live')
    router.get('/my-jobs', [PoolController, 'mine']).as('mine')
    router.post('/jobs/:id/claim', [JobWorkController, 'claim']).as('jobs.claim')
    router.post('/jobs/:id/release', [JobWorkController, 'release']).as('jobs.release')
    router.post('/jobs/:id/start', [JobWorkController, 'start']).as('jobs.start')
    router.post('/jobs/:id/finish', [JobWorkController, 'finish']).as('jobs.finish')
    router.post('/jobs/:id/extension', [JobWorkController, 'requestExtension']).as('jobs.extension')
    router.get('/attendance/me', [AttendanceController, 'mine']).as('attendance.mine')
    router.post('/attendance/check-in', [AttendanceController, 'checkIn']).as('attendance.in')
    router.post('/attendance/check-out', [AttendanceController, 'checkOut']).as('attendance.out')
  })
  .prefix('/app/field')
  .as('field')
  .use([...staff, middleware.role({ ability: 'workJobs' })])

/* A job's page, its live part, notes and photos: dispatchers, and technicians on it or offered it. */
router
  .group(() => {
    router.get('/jobs/:id', [JobsController, 'show']).as('jobs.show')
    router.get('/jobs/:id/live', [JobsController, 'live']).as('jobs.live')
    router.post('/jobs/:id/notes', [JobWorkController, 'note']).as('jobs.note')
    router.post('/jobs/:id/photos', [JobWorkController, 'photo']).as('jobs.photo')
    router.get('/jobs/:id/photos/:photoId', [JobWorkController, 'showPhoto']).as('jobs.photo.show')
  })
  .prefix('/app/field')
  .as('field')
  .use(staff)

/* Admin: the registration format and the technicians' working hours. */
router
  .group(() => {
    router.get('/field/settings', [FieldSettingsController, 'edit']).as('field.settings')
    router.put('/field/settings', [FieldSettingsController, 'update']).as('field.settings.update')
  })
  .prefix('/admin')
  .as('admin')
  .use(admins)
