/** Where a customer record came from. */
export const CUSTOMER_SOURCES = ['whatsapp', 'manual', 'import'] as const
export type CustomerSource = (typeof CUSTOMER_SOURCES)[number]

export const CUSTOMER_STATUSES = ['active', 'inactive'] as const
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number]

/**
 * A visit job's life:
 *   open -> assigned (every place claimed) -> in_progress (a technician started) -> done
 *   open -> cancelled (only while nobody has claimed it)
 *   assigned -> open (a technician released a place, or CS returned one to the pool)
 */
export const JOB_STATUSES = ['open', 'assigned', 'in_progress', 'done', 'cancelled'] as const
export type JobStatus = (typeof JOB_STATUSES)[number]

/** Statuses in which a job is still work to do. */
export const LIVE_JOB_STATUSES: readonly JobStatus[] = ['open', 'assigned', 'in_progress']

export const JOB_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export type JobPriority = (typeof JOB_PRIORITIES)[number]

export const JOB_EVENT_TYPES = [
  'created',
  'edited',
  'claimed',
  'released',
  'returned_to_pool',
  'started',
  'note',
  'photo',
  'technician_done',
  'done',
  'closed',
  'cancelled',
  'extension_requested',
  'extension_approved',
  'extension_rejected',
] as const
export type JobEventType = (typeof JOB_EVENT_TYPES)[number]

export const EXTENSION_STATUSES = ['pending', 'approved', 'rejected'] as const
export type ExtensionStatus = (typeof EXTENSION_STATUSES)[number]

/** The most days one extension may add. */
export const MAX_EXTENSION_DAYS = 30

/** The most technicians one job may need. */
export const MAX_JOB_QUOTA = 20
