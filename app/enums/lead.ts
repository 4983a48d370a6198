/**
 * A lead's pipeline (seed 004, Sales Lead Flow): `new -> qualified -> onboarding_booked -> won`,
 * and `lost` from any open step. A won or lost lead can be opened again (`new`) by sales.
 */
export const LEAD_STATUSES = ['new', 'qualified', 'onboarding_booked', 'won', 'lost'] as const
export type LeadStatus = (typeof LEAD_STATUSES)[number]

/** Where a lead came from: a WhatsApp message, a member of sales, the tenant's public form. */
export const LEAD_SOURCES = ['whatsapp', 'manual', 'web_form'] as const
export type LeadSource = (typeof LEAD_SOURCES)[number]

/** The WhatsApp prompt's questions, in order. */
export const PROMPT_STEPS = ['name', 'business', 'interest'] as const
export type PromptStep = (typeof PROMPT_STEPS)[number]

/** The statuses a lead may move to from each (onboarding_booked is reached by booking). */
const MOVES: Record<LeadStatus, readonly LeadStatus[]> = {
  new: ['qualified', 'lost'],
  qualified: ['new', 'lost'],
  onboarding_booked: ['qualified', 'won', 'lost'],
  won: ['new'],
  lost: ['new'],
}

/** Whether sales may move a lead from `from` to `to` by hand. */
export function canMoveLead(from: LeadStatus, to: LeadStatus) {
  return MOVES[from].includes(to)
}

/** The moves offered from `from`. */
export function leadMovesFrom(from: LeadStatus) {
  return MOVES[from]
}

/** Whether a lead can still be booked for onboarding. */
export function canBookOnboarding(status: LeadStatus) {
  return status === 'new' || status === 'qualified' || status === 'onboarding_booked'
}
