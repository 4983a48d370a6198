import type { DateTime } from 'luxon'
import Rating from '#models/rating'
import User from '#models/user'
import DomainError from '#exceptions/domain_error'
import clock from '#support/clock'
import liveVersion from '#support/live_version'
import { hasRowLocks } from '#support/database'
import { sqlOf } from '#support/sql'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { absoluteUrl } from '#support/urls'
import { toSqlDateTime } from '#models/columns'
import messagingDirectory, { type MessagingProfile } from '#services/messaging/messaging_directory'
import { transactionWithOutbox, type OutboxBatch } from '#services/messaging/outbox'
import { enqueueNotification } from '#services/messaging/notifications'
import { alertStaff } from '#services/messaging/staff_alerts'
import { enqueueWebhook } from '#services/messaging/webhooks'
import { SUPERVISOR_ROLES } from '#enums/role'

/** Rating links sent per scheduler run; the rest wait for the next minute. */
const SEND_BATCH = 200

/** The customer's page of a rating link. */
export function ratingUrl(rating: Pick<Rating, 'token'>) {
  return absoluteUrl('rating.public', { token: rating.token })
}

/** Whether a rating link can still be answered at `now`. */
export function isOpen(rating: Pick<Rating, 'answeredAt' | 'expiresAt'>, now: DateTime) {
  return !rating.answeredAt && rating.expiresAt > now
}

/**
 * Ratings (seed 003, FDB): the links finished work left (rating_requests.ts) go out once their
 * delay has passed, through the outbox in the customer's language; the customer answers once, with
 * 1-5 stars and a comment, before the link expires. A low score (the tenant's threshold) alerts
 * the branch's supervisors and the owners; every answer is announced as `rating.received`.
 */
export default class RatingService {
  /** Sends the links whose delay has passed (the scheduler, every minute); returns how many. */
  async sendDue() {
    const now = clock.now()
    const due = await Rating.query()
      .where('send_after', '<=', toSqlDateTime(now))
      .whereNull('sent_at')
      .orderBy('send_after')
      .limit(SEND_BATCH)
    let sent = 0
    for (const rating of due) if (await this.#send(rating, now)) sent++
    return sent
  }

  /**
   * The link's message, once: the row is claimed by clearing `send_after` in the message's own
   * transaction, so two servers running the same minute send it once. An expired link is dropped.
   */
  async #send(rating: Rating, now: DateTime) {
    const profile = await messagingDirectory.get(rating.tenantId)
    return transactionWithOutbox(async (trx, outbox) => {
      const claimed = await trx
        .from('ratings')
        .where('id', rating.id)
        .whereNotNull('send_after')
        .whereNull('sent_at')
        .update({ send_after: null, sent_at: toSqlDateTime(now) })
      if (Number(claimed) !== 1 || rating.expiresAt <= now || !rating.channel || !rating.recipient)
        return false
      const message = await enqueueNotification(
        sqlOf(trx),
        outbox,
        profile,
        {
          branchId: rating.branchId,
          event: 'rating_request',
          channel: rating.channel,
          recipient: rating.recipient,
          locale: rating.locale,
          variables: {
            subject: rating.label,
            link: ratingUrl(rating),
            tenant_name: profile.tenantName,
          },
          subject: { type: 'rating', id: rating.id },
          dedupeKey: `rating:${rating.id}`,
        },
        now
      )
      return message !== null
    })
  }

  /** The link of `token` (an unknown one: the 404 page). */
  find(token: string) {
    return Rating.query().where('token', token).firstOrFail()
  }

  /**
   * The customer's answer. A second answer changes nothing and returns the first (the page then
   * thanks them again); an expired link answers 410.
   */
  async answer(token: string, score: number, comment: string | null) {
    const found = await this.find(token)
    const profile = await messagingDirectory.get(found.tenantId)
    const answered = await transactionWithOutbox(async (trx, outbox) => {
      const now = clock.now()
      const query = Rating.query({ client: trx }).where('id', found.id)
      if (hasRowLocks(trx)) query.forUpdate()
      const rating = await query.firstOrFail()
      if (rating.answeredAt) return { rating, first: false }
      if (rating.expiresAt <= now) throw new DomainError('rating_expired', {}, 410)
      rating.merge({ score, comment: comment?.trim() || null, answeredAt: now })
      await rating.useTransaction(trx).save()
      const sql = sqlOf(trx)
      await enqueueWebhook(sql, outbox, profile, 'rating.received', ratingData(rating), now)
      if (score <= profile.billing.lowRatingThreshold)
        await this.#alert(trx, outbox, profile, rating, now)
      return { rating, first: true }
    })
    const { rating, first } = answered
    // The supervisor board lists the week's low ratings: it redraws when one arrives.
    if (first && rating.branchId && score <= profile.billing.lowRatingThreshold)
      await liveVersion.bump(rating.branchId)
    return answered
  }

  /** A low score: the branch's supervisors, admins and owners hear of it on their phone and email. */
  async #alert(
    trx: TransactionClientContract,
    outbox: OutboxBatch,
    profile: MessagingProfile,
    rating: Rating,
    now: DateTime
  ) {
    const people = rating.branchId
      ? await User.workingAt(rating.tenantId, rating.branchId, SUPERVISOR_ROLES, { client: trx })
      : await User.forTenant(rating.tenantId, { client: trx })
          .where('role', 'owner')
          .where('is_active', true)
    await alertStaff(
      sqlOf(trx),
      outbox,
      profile,
      people,
      {
        event: 'rating_low',
        branchId: rating.branchId,
        variables: {
          score: String(rating.score),
          subject: rating.label,
          comment: rating.comment ?? '-',
          link: absoluteUrl('ratings.index', {}) + '?low=1',
          tenant_name: profile.tenantName,
        },
        subject: { type: 'rating', id: rating.id },
      },
      now
    )
  }
}

/** What webhook receivers and API clients learn of a rating. */
export function ratingData(rating: Rating) {
  const iso = (moment: DateTime | null) => (moment ? moment.toUTC().toISO() : null)
  return {
    id: rating.id,
    branch_id: rating.branchId,
    subject_type: rating.subjectType,
    subject_id: rating.subjectId,
    label: rating.label,
    service_id: rating.serviceId,
    score: rating.score,
    comment: rating.comment,
    sent_at: iso(rating.sentAt),
    answered_at: iso(rating.answeredAt),
    expires_at: iso(rating.expiresAt),
    created_at: iso(rating.createdAt),
  }
}
