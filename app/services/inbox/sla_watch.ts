import type { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Conversation from '#models/conversation'
import User from '#models/user'
import clock from '#support/clock'
import liveVersion from '#support/live_version'
import { hasRowLocks } from '#support/database'
import { sqlOf } from '#support/sql'
import { absoluteUrl } from '#support/urls'
import { toSqlDateTime } from '#models/columns'
import { formatMoment } from '#support/dates'
import messagingDirectory from '#services/messaging/messaging_directory'
import { transactionWithOutbox, type OutboxBatch } from '#services/messaging/outbox'
import { alertStaff } from '#services/messaging/staff_alerts'
import slaPlanner from '#services/inbox/sla_planner'
import { INBOX_MANAGER_ROLES } from '#enums/role'
import { TICKET_KINDS, isTicketKind } from '#enums/inbox'

export type SlaClockName = 'first_response' | 'resolution'

/** The sweeper looks at this many due conversations per run. */
const SWEEP_BATCH = 200

/**
 * Flags SLA breaches on time (seed 004): a job is scheduled for each due time as it is set, and
 * runs `check` then; `sweep` (the scheduler, every minute) is the safety net for a job that was
 * lost (a restart, Redis down). A clock is breached when its due time passed while it still ran:
 * no first answer yet, or the ticket still open. The flag is set once (in a transaction on the
 * locked row), and the supervisors, admins and owners hear of it through the outbox.
 */
export default class SlaWatch {
  /** The job at a due time: flags the clock when it is still breached (a due time moved since is left to its own job). */
  async check(conversationId: number, name: SlaClockName) {
    const row = await Conversation.query().where('id', conversationId).select('tenant_id').first()
    if (!row) return false
    return this.#flag(row.tenantId, conversationId, name)
  }

  /** Flags every clock past due that no job flagged; returns how many it flagged. */
  async sweep(now: DateTime = clock.now()) {
    const at = toSqlDateTime(now)
    let flagged = 0
    for (const name of ['first_response', 'resolution'] as const) {
      const due = await Conversation.query()
        .whereIn('kind', [...TICKET_KINDS])
        .where(breachedColumn(name), false)
        .where(dueColumn(name), '<=', at)
        .if(name === 'first_response', (query) =>
          query.whereNull('first_responded_at').whereIn('status', ['open', 'pending'])
        )
        .if(name === 'resolution', (query) => query.where('status', 'open'))
        .select('id', 'tenant_id')
        .limit(SWEEP_BATCH)
      for (const conversation of due)
        if (await this.#flag(conversation.tenantId, conversation.id, name)) flagged++
    }
    return flagged
  }

  async #flag(tenantId: number, conversationId: number, name: SlaClockName) {
    const profile = await messagingDirectory.get(tenantId)
    const flagged = await transactionWithOutbox(async (trx, outbox) => {
      const query = Conversation.forTenant(tenantId, { client: trx }).where('id', conversationId)
      if (hasRowLocks(trx)) query.forUpdate()
      const conversation = await query.first()
      if (!conversation || !breached(conversation, name, clock.now())) return false
      if (name === 'first_response') conversation.firstResponseBreached = true
      else conversation.resolutionBreached = true
      conversation.version++
      await conversation.useTransaction(trx).save()
      await this.#alert(trx, outbox, profile, conversation, name)
      return true
    })
    if (flagged) await liveVersion.bumpInbox(tenantId)
    return flagged
  }

  async #alert(
    trx: TransactionClientContract,
    outbox: OutboxBatch,
    profile: Awaited<ReturnType<typeof messagingDirectory.get>>,
    conversation: Conversation,
    name: SlaClockName
  ) {
    const people = await User.forTenant(conversation.tenantId, { client: trx })
      .whereIn('role', [...INBOX_MANAGER_ROLES])
      .where('is_active', true)
    const due =
      name === 'first_response' ? conversation.firstResponseDueAt : conversation.resolutionDueAt
    const { zone } = await slaPlanner.calendar(conversation.tenantId, trx)
    await alertStaff(
      sqlOf(trx),
      outbox,
      profile,
      people,
      {
        event: 'inbox_sla_breached',
        variables: {
          clock: name === 'first_response' ? 'first response' : 'resolution',
          subject: `#${conversation.id}`,
          due: due ? formatMoment(due, 'd LLL HH:mm', profile.tenantLocale, zone) : '-',
          link: absoluteUrl('inbox.show', { id: conversation.id }),
          tenant_name: profile.tenantName,
        },
        subject: { type: 'conversation', id: conversation.id },
      },
      clock.now()
    )
  }
}

/** Whether a clock ran past its due time and is not flagged yet. */
export function breached(conversation: Conversation, name: SlaClockName, now: DateTime) {
  if (!isTicketKind(conversation.kind)) return false
  if (name === 'first_response')
    return (
      !conversation.firstResponseBreached &&
      !conversation.firstRespondedAt &&
      ['open', 'pending'].includes(conversation.status) &&
      Boolean(conversation.firstResponseDueAt && conversation.firstResponseDueAt <= now)
    )
  return (
    !conversation.resolutionBreached &&
    conversation.status === 'open' &&
    Boolean(conversation.resolutionDueAt && conversation.resolutionDueAt <= now)
  )
}

function dueColumn(name: SlaClockName) {
  return name === 'first_response' ? 'first_response_due_at' : 'resolution_due_at'
}

function breachedColumn(name: SlaClockName) {
  return name === 'first_response' ? 'first_response_breached' : 'resolution_breached'
}
