/**
 * A renewal's life (seed 004 Renewal Flow): `due` (computed, nothing sent yet) -> `reminding`
 * (a reminder went) -> `renewed` (paid by the expiry date) | `recovered` (paid after it) |
 * `churned` (the cadence ran out unpaid; the winback cadence may still recover it).
 */
export const RENEWAL_STATUSES = ['due', 'reminding', 'renewed', 'recovered', 'churned'] as const
export type RenewalStatus = (typeof RENEWAL_STATUSES)[number]

/** Statuses whose cadence may still send something. */
export const OPEN_RENEWAL_STATUSES = [
  'due',
  'reminding',
  'churned',
] as const satisfies readonly RenewalStatus[]

/** What became of one try on a renewal. */
export const ATTEMPT_RESULTS = [
  'sent',
  'skipped_quiet_hours',
  'skipped_paid',
  'skipped_cap',
  'failed',
  'replied',
  'logged',
] as const
export type AttemptResult = (typeof ATTEMPT_RESULTS)[number]

/** What the renewal team logs by hand. */
export const MANUAL_STEPS = ['call', 'note'] as const
export type ManualStep = (typeof MANUAL_STEPS)[number]

/** Where a sync run's rows came from. */
export const SYNC_SOURCES = ['pos', 'csv', 'webhook'] as const
export type SyncSource = (typeof SYNC_SOURCES)[number]

export const SYNC_STATUSES = ['running', 'succeeded', 'partial', 'failed'] as const
export type SyncStatus = (typeof SYNC_STATUSES)[number]

/** The outlet fields a POS row is mapped to (dot paths in the tenant's mapping). */
export const POS_FIELDS = [
  'fid',
  'oid',
  'name',
  'address',
  'phone',
  'expires_on',
  'status',
] as const
export type PosField = (typeof POS_FIELDS)[number]

/** The board's tabs. */
export const RENEWAL_TABS = ['due', 'overdue', 'recovered', 'churned'] as const
export type RenewalTab = (typeof RENEWAL_TABS)[number]
