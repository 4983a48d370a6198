import type { DateTime } from 'luxon'
import type Booking from '#models/booking'
import type Customer from '#models/customer'
import type Job from '#models/job'
import type Ticket from '#models/ticket'
import { toSqlDateTime } from '#models/columns'
import type { MessagingProfile } from '#services/messaging/messaging_directory'
import { urlToken } from '#support/secrets'
import type { SqlRunner } from '#support/sql'
import type { RatingPart, RatingSubject } from '#enums/billing'
import type { ChannelKind } from '#enums/messaging'

/** What finished work leaves for its rating link: what it was, who to ask, who served. */
interface FinishedWork {
  tenantId: number
  branchId: number | null
  type: RatingSubject
  id: string
  label: string
  serviceId: number | null
  phone: string | null
  email: string | null
  locale: string | null
}

interface Credit {
  userId: number
  part: RatingPart
}

/**
 * A rating link for finished work (seed 003, FDB), written in the transaction that finished it:
 * when the tenant asks for ratings and the customer can be reached (their phone on the visitor
 * channel, else their email), a `ratings` row to send after the tenant's delay and to expire the
 * tenant's number of days later, and its credits: the staff who served, as recorded now. The
 * scheduler sends it (RatingService.sendDue). One link per ticket, booking or job, ever.
 */
async function requestRating(
  sql: SqlRunner,
  profile: MessagingProfile,
  work: FinishedWork,
  credits: Credit[],
  now: DateTime
) {
  const settings = profile.billing
  if (!settings.ratingsEnabled) return null
  const recipient = reachable(profile, work.phone, work.email)
  if (!recipient) return null
  const sendAfter = now.plus({ minutes: settings.ratingDelayMinutes })
  const verb = sql.dialect === 'mysql' ? 'INSERT IGNORE' : 'INSERT OR IGNORE'
  const { changes, insertId } = await sql.run(
    `${verb} INTO ratings (tenant_id, branch_id, subject_type, subject_id, label, service_id, token, channel, recipient, locale, send_after, expires_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      work.tenantId,
      work.branchId,
      work.type,
      work.id,
      work.label.slice(0, 160),
      work.serviceId,
      urlToken(),
      recipient.channel,
      recipient.address,
      work.locale ?? profile.tenantLocale,
      toSqlDateTime(sendAfter),
      toSqlDateTime(sendAfter.plus({ days: settings.ratingExpiryDays })),
      toSqlDateTime(now),
    ]
  )
  if (changes !== 1) return null
  const seen = new Set<string>()
  for (const credit of credits) {
    const key = `${credit.userId}:${credit.part}`
    if (seen.has(key)) continue
    seen.add(key)
    await sql.run(
      'INSERT INTO rating_credits (tenant_id, rating_id, user_id, part) VALUES (?, ?, ?, ?)',
      [work.tenantId, insertId, credit.userId, credit.part]
    )
  }
  return insertId
}

/** Where a rating link can go: the phone on the tenant's visitor channel, else the email. */
function reachable(
  profile: MessagingProfile,
  phone: string | null,
  email: string | null
): { channel: ChannelKind; address: string } | null {
  const phoneChannel = profile.settings.visitorChannel
  if (phone && phoneChannel && profile.activeChannels.has(phoneChannel))
    return { channel: phoneChannel, address: phone }
  if (email && profile.activeChannels.has('email')) return { channel: 'email', address: email }
  return null
}

/** A served ticket: its visitor rates the operators who called and served it. */
export async function requestTicketRating(
  sql: SqlRunner,
  profile: MessagingProfile,
  ticket: Ticket,
  now: DateTime
) {
  if (!profile.billing.ratingsEnabled || !ticket.customerPhone) return null
  const operators = await sql.all<{ user_id: number }>(
    "SELECT DISTINCT user_id FROM ticket_events WHERE ticket_id = ? AND type IN ('called', 'started', 'completed') AND user_id IS NOT NULL",
    [ticket.id]
  )
  return requestRating(
    sql,
    profile,
    {
      tenantId: ticket.tenantId,
      branchId: ticket.branchId,
      type: 'ticket',
      id: ticket.id,
      label: ticket.number,
      serviceId: ticket.serviceId,
      phone: ticket.customerPhone,
      email: null,
      locale: ticket.locale,
    },
    operators.map((row) => ({ userId: Number(row.user_id), part: 'operator' as const })),
    now
  )
}

/** A finished booking: its customer rates the staff who checked them in, started and finished it. */
export async function requestBookingRating(
  sql: SqlRunner,
  profile: MessagingProfile,
  booking: Booking,
  now: DateTime
) {
  if (!profile.billing.ratingsEnabled) return null
  const staff = await sql.all<{ user_id: number }>(
    "SELECT DISTINCT user_id FROM booking_events WHERE booking_id = ? AND type IN ('arrived', 'started', 'finished') AND user_id IS NOT NULL",
    [booking.id]
  )
  return requestRating(
    sql,
    profile,
    {
      tenantId: booking.tenantId,
      branchId: booking.branchId,
      type: 'booking',
      id: booking.id,
      label: booking.code,
      serviceId: booking.serviceId,
      phone: booking.customerPhone,
      email: booking.customerEmail,
      locale: booking.locale,
    },
    staff.map((row) => ({ userId: Number(row.user_id), part: 'staff' as const })),
    now
  )
}

/** A done visit job: its customer rates the technicians who did it and the CS who dispatched it. */
export async function requestJobRating(
  sql: SqlRunner,
  profile: MessagingProfile,
  job: Job,
  customer: Customer,
  now: DateTime
) {
  if (!profile.billing.ratingsEnabled || customer.status !== 'active') return null
  const technicians = await sql.all<{ technician_id: number }>(
    'SELECT DISTINCT technician_id FROM job_assignments WHERE job_id = ? AND released_at IS NULL',
    [job.id]
  )
  const credits: Credit[] = technicians.map((row) => ({
    userId: Number(row.technician_id),
    part: 'technician',
  }))
  if (job.createdBy) credits.push({ userId: job.createdBy, part: 'cs' })
  return requestRating(
    sql,
    profile,
    {
      tenantId: job.tenantId,
      branchId: job.branchId,
      type: 'job',
      id: String(job.id),
      label: `${job.code} · ${job.title}`,
      serviceId: null,
      phone: customer.phone,
      email: null,
      locale: customer.locale,
    },
    credits,
    now
  )
}

/**
 * A resolved support conversation (CSAT, seed 004): the customer rates the agent who resolved it,
 * as recorded at the resolve. One link per resolution: a reopened ticket resolved again asks again.
 */
export async function requestConversationRating(
  sql: SqlRunner,
  profile: MessagingProfile,
  conversation: { id: number; tenantId: number; reopenCount: number },
  phone: string,
  agentId: number | null,
  now: DateTime
) {
  return requestRating(
    sql,
    profile,
    {
      tenantId: conversation.tenantId,
      branchId: null,
      type: 'conversation',
      id: `${conversation.id}-${conversation.reopenCount}`,
      label: `#${conversation.id}`,
      serviceId: null,
      phone,
      email: null,
      locale: null,
    },
    agentId ? [{ userId: agentId, part: 'agent' }] : [],
    now
  )
}
