import { INBOX_MANAGER_ROLES, type Role } from '#enums/role'
import type { TicketKind } from '#enums/inbox'

/**
 * The teams whose tickets a role works in the inbox (seed 004: support agents, sales with their
 * leads, the renewal team), its own first. Managers see every team; CS works support.
 */
export function teamsOf(role: Role): readonly TicketKind[] {
  if (role === 'sales') return ['lead', 'support']
  if (role === 'renewal') return ['renewal', 'support']
  if (INBOX_MANAGER_ROLES.includes(role)) return ['support', 'lead', 'renewal']
  return ['support']
}

/** The team the list shows: the one asked for when the role works it, else the role's own. */
export function teamFor(role: Role, asked: TicketKind | null | undefined): TicketKind {
  const teams = teamsOf(role)
  return asked && teams.includes(asked) ? asked : teams[0]
}
