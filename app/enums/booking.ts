/** Kinds of bookable things. */
export const RESOURCE_KINDS = ['booth', 'room', 'chair', 'doctor'] as const
export type ResourceKind = (typeof RESOURCE_KINDS)[number]

export const BOOKING_STATUSES = [
  'pending_payment',
  'awaiting_customer',
  'arrived',
  'ongoing',
  'done',
  'expired',
  'cancelled',
  'no_show',
] as const
export type BookingStatus = (typeof BOOKING_STATUSES)[number]

/** Statuses in which a booking still holds its slot. */
export const HOLDING_STATUSES: readonly BookingStatus[] = [
  'pending_payment',
  'awaiting_customer',
  'arrived',
  'ongoing',
]

export const BOOKING_CHANNELS = ['web', 'staff', 'api'] as const
export type BookingChannel = (typeof BOOKING_CHANNELS)[number]

const BOOKING_EVENT_TYPES = [
  'created',
  'paid',
  'payment_expired',
  'arrived',
  'late',
  'enqueued',
  'started',
  'finished',
  'cancelled',
  'no_show',
  'rescheduled',
  'overridden',
] as const
export type BookingEventType = (typeof BOOKING_EVENT_TYPES)[number]

/** When an arriving appointment joins the walk-in queue (tenant setting). */
export const BLENDING_MODES = ['none', 'checkin', 'auto'] as const
export type BlendingMode = (typeof BLENDING_MODES)[number]

export const PAYMENT_PROVIDERS = ['midtrans', 'xendit'] as const
export type PaymentProvider = (typeof PAYMENT_PROVIDERS)[number]

const PAYMENT_STATUSES = ['pending', 'paid', 'expired', 'failed', 'refunded'] as const
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number]
