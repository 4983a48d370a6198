import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import i18nManager from '@adonisjs/i18n/services/main'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Branch from '#models/branch'
import Outlet from '#models/outlet'
import Renewal from '#models/renewal'
import RenewalAttempt from '#models/renewal_attempt'
import type User from '#models/user'
import { toSqlDateTime } from '#models/columns'
import { parseRenewalSettings, type RenewalSettings } from '#models/settings/renewal_settings'
import AuditTrail, { type Actor } from '#services/platform/audit_trail'
import messagingDirectory, { type MessagingProfile } from '#services/messaging/messaging_directory'
import { enqueueNotification } from '#services/messaging/notifications'
import { resolveTemplate } from '#services/messaging/message_templates'
import { transactionWithOutbox, type OutboxBatch } from '#services/messaging/outbox'
import {
  daysLeft,
  inQuietHours,
  isPaid,
  nextStep,
  outOfQuietHours,
  paidStatus,
  type CadenceState,
  type PlannedStep,
} from '#services/renewals/renewal_cadence'
import clock from '#support/clock'
import { hasRowLocks, isUniqueViolation, withTransaction } from '#support/database'
import { sqlOf } from '#support/sql'
import { formatMoment } from '#support/dates'
import DomainError from '#exceptions/domain_error'
import {
  OPEN_RENEWAL_STATUSES,
  type AttemptResult,
  type ManualStep,
  type RenewalStatus,
  type RenewalTab,
} from '#enums/renewals'

/** Renewals a pass of the reminders takes at a time. */
const REMIND_BATCH = 200

/** Outlets turned into renewals per insert. */
const COMPUTE_BATCH = 500

/** Contacts of an outlet a reminder goes to when the outlet has no phone of its own. */
const MAX_CONTACTS = 3

/** Renewals a board tab shows per page. */
export const RENEWALS_PER_PAGE = 25

/** Months the board's figures cover. */
export const STAT_MONTHS = 6

/** What the cadence rules need of a tenant. */
export interface RenewalContext {
  tenantId: number
  settings: RenewalSettings
  zone: string
  locale: string
}

/** A board month's figures. */
export interface MonthFigures {
  month: string
  /** Renewals of the month that went past their expiry date unpaid, and those of them paid since. */
  failed: number
  recovered: number
  recoveryRate: number | null
  /** Renewals that churned in the month, and those of them won back since. */
  churned: number
  wonBack: number
  winbackRate: number | null
}

/**
 * Renewals (seed 004 Renewal Flow): every day the outlets whose expiry date is within the
 * tenant's horizon get a renewal (one per outlet per expiry date); the reminder pass (hourly)
 * sends each due step of their cadence through the outbox as the `renewal_reminder` WhatsApp
 * template, writes every try to renewal_attempts, churns a renewal after its last reminder and
 * runs the winback steps after that. A payment (the POS webhook, or a later expiry date from the
 * sync) closes it as renewed, or recovered when after the expiry date. The renewal team logs
 * calls and notes; a merchant's reply is recorded by the inbox (renewal_inbox).
 */
@inject()
export default class RenewalService {
  constructor(protected auditTrail: AuditTrail) {}

  /** The tenant's renewal settings, time zone (its first branch's) and language. */
  async context(tenantId: number, trx?: TransactionClientContract): Promise<RenewalContext> {
    const client = trx ?? db
    const tenant = await client
      .from('tenants')
      .where('id', tenantId)
      .select('renewal_settings', 'locale')
      .first()
    const branch = await Branch.forTenant(tenantId, { client: trx })
      .orderBy('id')
      .select('timezone')
      .first()
    return {
      tenantId,
      settings: parseRenewalSettings(tenant?.renewal_settings),
      zone: branch?.timezone ?? 'Asia/Jakarta',
      locale: tenant?.locale ?? 'id',
    }
  }

  /** Saves the tenant's renewal settings and plans its open renewals again by them. */
  async saveSettings(tenantId: number, settings: RenewalSettings, actor: Actor) {
    const before = (await this.context(tenantId)).settings
    await db
      .from('tenants')
      .where('id', tenantId)
      .update({ renewal_settings: JSON.stringify(settings) })
    await this.auditTrail.record(
      {
        action: 'tenant.renewal_settings_updated',
        tenantId,
        subject: { type: 'tenant', id: tenantId },
        changes: this.auditTrail.diff(
          before as unknown as Record<string, unknown>,
          settings as unknown as Record<string, unknown>
        ),
      },
      actor
    )
    await this.replan(tenantId)
  }

  /** Every open renewal of the tenant planned again (after its settings changed). */
  async replan(tenantId: number, now: DateTime = clock.now()) {
    const context = await this.context(tenantId)
    const open = await Renewal.forTenant(tenantId).whereIn('status', [...OPEN_RENEWAL_STATUSES])
    for (const renewal of open) {
      await withTransaction(async (trx) => {
        const done = await doneSteps(trx, renewal.id)
        const next = nextStep(
          stateOf(renewal, done, context.zone),
          context.settings,
          context.zone,
          now
        )
        await Renewal.query({ client: trx })
          .where('id', renewal.id)
          .update({
            next_step: next?.step ?? null,
            next_step_at: next ? toSqlDateTime(next.at) : null,
          })
      })
    }
  }

  /**
   * The daily computation for one tenant: a renewal for every active outlet whose expiry date is
   * within the horizon (or just past, within the reminder cadence) and has none yet; and open
   * renewals whose outlet now expires later (paid through the POS sync) closed as renewed or
   * recovered. Returns how many it made and closed.
   */
  async computeDue(tenantId: number, now: DateTime = clock.now()) {
    const context = await this.context(tenantId)
    const today = now.setZone(context.zone).toISODate()!
    const past = Math.max(0, ...context.settings.cadence) + 1
    const from = DateTime.fromISO(today).minus({ days: past }).toISODate()!
    const to = DateTime.fromISO(today).plus({ days: context.settings.horizonDays }).toISODate()!
    let created = 0
    let lastId = 0
    for (;;) {
      const outlets = await Outlet.forTenant(tenantId)
        .where('outlets.status', 'active')
        .whereNotNull('outlets.expires_on')
        .whereBetween('outlets.expires_on', [from, to])
        .where('outlets.id', '>', lastId)
        .whereNotExists(
          db
            .from('renewals')
            .whereColumn('renewals.outlet_id', 'outlets.id')
            .whereColumn('renewals.expires_on', 'outlets.expires_on')
            .select(db.raw('1'))
        )
        .orderBy('outlets.id')
        .limit(COMPUTE_BATCH)
        .select('outlets.id', 'outlets.fid', 'outlets.oid', 'outlets.expires_on')
      if (outlets.length === 0) break
      lastId = outlets.at(-1)!.id
      const at = toSqlDateTime(now)
      const rows = outlets.map((outlet) => {
        const plan = nextStep(
          {
            expiresOn: outlet.expiresOn!,
            status: 'due',
            churnedOn: null,
            remindersSent: 0,
            done: new Set(),
          },
          context.settings,
          context.zone,
          now
        )
        return {
          tenant_id: tenantId,
          outlet_id: outlet.id,
          fid: outlet.fid,
          oid: outlet.oid,
          expires_on: outlet.expiresOn,
          status: 'due',
          next_step: plan?.step ?? null,
          next_step_at: plan ? toSqlDateTime(plan.at) : null,
          reminders_sent: 0,
          created_at: at,
          updated_at: at,
        }
      })
      // Two servers computing at once: the unique (outlet, expiry) index keeps one of each.
      await db
        .knexQuery()
        .table('renewals')
        .insert(rows)
        .onConflict(['outlet_id', 'expires_on'])
        .ignore()
      created += rows.length
      if (outlets.length < COMPUTE_BATCH) break
    }

    const paid = await Renewal.forTenant(tenantId)
      .join('outlets', 'outlets.id', 'renewals.outlet_id')
      .whereIn('renewals.status', [...OPEN_RENEWAL_STATUSES])
      .whereColumn('outlets.expires_on', '>', 'renewals.expires_on')
      .select('renewals.id')
    let closed = 0
    for (const { id } of paid) if (await this.#settle(context, id, now)) closed++
    return { created, closed }
  }

  /**
   * The open renewals of an outlet whose expiry date moved past theirs (a POS push), closed as
   * renewed or recovered at once rather than at the next daily run.
   */
  async settleOutlet(tenantId: number, outletId: number, now: DateTime = clock.now()) {
    const context = await this.context(tenantId)
    const open = await Renewal.forTenant(tenantId)
      .where('outlet_id', outletId)
      .whereIn('status', [...OPEN_RENEWAL_STATUSES])
      .select('id')
    const closed: Renewal[] = []
    for (const { id } of open) {
      const renewal = await this.#settle(context, id, now)
      if (renewal) closed.push(renewal)
    }
    return closed
  }

  /** Closes one open renewal whose outlet now expires later: paid (see #closePaid). */
  #settle(context: RenewalContext, id: number, now: DateTime) {
    return withTransaction(async (trx) => {
      const renewal = await this.#locked(trx, context.tenantId, id)
      if (!renewal || !isOpen(renewal.status)) return null
      const outlet = await Outlet.query({ client: trx }).where('id', renewal.outletId).first()
      if (!outlet || !isPaid(renewal.expiresOn, outlet.expiresOn)) return null
      await this.#closePaid(trx, renewal, outlet.expiresOn!, context, now, 'skipped_paid')
      return renewal
    })
  }

  /**
   * The reminder pass: every open renewal whose next step is due at `now` takes it (see #step).
   * Safe on several servers at once: each renewal is locked while it takes a step, and the unique
   * (renewal, step) index of the attempts refuses a second try of the same step.
   */
  async remind(now: DateTime = clock.now(), options: { tenantId?: number } = {}) {
    const contexts = new Map<number, RenewalContext>()
    const failed: number[] = []
    let taken = 0
    for (let round = 0; round < 50; round++) {
      // Every tenant's renewals (the scheduler), or one tenant's.
      const renewals = options.tenantId ? Renewal.forTenant(options.tenantId) : Renewal.query()
      const due = await renewals
        .whereIn('status', [...OPEN_RENEWAL_STATUSES])
        .whereNotNull('next_step_at')
        .where('next_step_at', '<=', toSqlDateTime(now))
        .if(failed.length, (query) => query.whereNotIn('id', failed))
        .orderBy('next_step_at')
        .orderBy('id')
        .limit(REMIND_BATCH)
        .select('id', 'tenant_id')
      for (const renewal of due) {
        let context = contexts.get(renewal.tenantId)
        if (!context) {
          context = await this.context(renewal.tenantId)
          contexts.set(renewal.tenantId, context)
        }
        try {
          if (await this.#step(renewal.id, context, now)) taken++
        } catch (error) {
          failed.push(renewal.id)
          logger.error({ err: error, renewalId: renewal.id }, 'renewal step failed')
        }
      }
      if (due.length < REMIND_BATCH) break
    }
    return taken
  }

  /** The scheduled job (hourly): every tenant with outlets expiring is computed, then the reminder pass runs. */
  async run(now: DateTime = clock.now()) {
    const tenants = await db
      .from('outlets')
      .join('tenants', 'tenants.id', 'outlets.tenant_id')
      .where('tenants.is_active', true)
      .whereNotNull('outlets.expires_on')
      .distinct('outlets.tenant_id')
    let created = 0
    for (const row of tenants) {
      try {
        created += (await this.computeDue(Number(row.tenant_id), now)).created
      } catch (error) {
        logger.error({ err: error, tenantId: row.tenant_id }, 'renewals computation failed')
      }
    }
    const reminded = await this.remind(now)
    return { created, reminded }
  }

  /**
   * `payment.received` from the POS: the outlet `fid`/`oid` is paid until `paidUntil`. Its
   * expiry date moves there (never back), and its open renewals for an earlier date close as
   * renewed (paid by their expiry date) or recovered (after it). 422 (DomainError) for an
   * unknown outlet; returns the outlet and the renewals closed.
   */
  async recordPayment(
    tenantId: number,
    payment: { fid: string; oid: string; paidUntil: string },
    now: DateTime = clock.now()
  ) {
    const context = await this.context(tenantId)
    return withTransaction(async (trx) => {
      const query = Outlet.forTenant(tenantId, { client: trx })
        .where('fid', payment.fid)
        .where('oid', payment.oid)
      if (hasRowLocks(trx)) query.forUpdate()
      const outlet = await query.first()
      if (!outlet) throw new DomainError('renewal_outlet_unknown', payment, 422)
      const moved = !outlet.expiresOn || payment.paidUntil > outlet.expiresOn
      if (moved) {
        outlet.merge({ expiresOn: payment.paidUntil, status: 'active' })
        await outlet.useTransaction(trx).save()
      }
      const open = await Renewal.forTenant(tenantId, { client: trx })
        .where('outlet_id', outlet.id)
        .whereIn('status', [...OPEN_RENEWAL_STATUSES])
        .where('expires_on', '<', payment.paidUntil)
      const closed: Renewal[] = []
      for (const found of open) {
        const renewal = (await this.#locked(trx, tenantId, found.id))!
        await this.#closePaid(trx, renewal, payment.paidUntil, context, now, 'logged')
        closed.push(renewal)
      }
      return { outlet, closed, moved }
    })
  }

  /** The renewal team logs a call or a note on a renewal. */
  async logManual(renewal: Renewal, user: User, step: ManualStep, note: string) {
    return RenewalAttempt.create({
      tenantId: renewal.tenantId,
      renewalId: renewal.id,
      step,
      stepKey: null,
      channel: step === 'call' ? 'phone' : null,
      template: null,
      result: 'logged',
      notificationId: null,
      conversationId: null,
      userId: user.id,
      note,
    })
  }

  /**
   * The open renewal a contact's message is about, inside the inbox's transaction: of the outlets
   * the contact is linked to, or whose phone is theirs, one with a renewal being reminded (or
   * churned with its winback still running); the soonest expiry first.
   */
  async activeFor(
    trx: TransactionClientContract,
    tenantId: number,
    contact: { id: number; phone: string }
  ) {
    return Renewal.forTenant(tenantId, { client: trx })
      .join('outlets', 'outlets.id', 'renewals.outlet_id')
      .where((where) =>
        where
          .where('outlets.phone', contact.phone)
          .orWhereIn(
            'outlets.id',
            trx.from('contact_outlets').where('contact_id', contact.id).select('outlet_id')
          )
      )
      .where((where) =>
        where
          .where('renewals.status', 'reminding')
          .orWhere((churned) =>
            churned.where('renewals.status', 'churned').whereNotNull('renewals.next_step')
          )
      )
      .orderBy('renewals.expires_on')
      .orderBy('renewals.id')
      .select('renewals.*')
      .first()
  }

  /** The merchant replied (the inbox opened a renewal conversation): a `replied` try. */
  async recordReply(
    trx: TransactionClientContract,
    renewal: Renewal,
    reply: { conversationId: number; text: string | null; at: DateTime }
  ) {
    await RenewalAttempt.create(
      {
        tenantId: renewal.tenantId,
        renewalId: renewal.id,
        step: 'reply',
        stepKey: null,
        channel: 'whatsapp',
        template: null,
        result: 'replied',
        notificationId: null,
        conversationId: reply.conversationId,
        userId: null,
        note: reply.text ? reply.text.slice(0, 1000) : null,
      },
      { client: trx }
    )
    await Renewal.query({ client: trx })
      .where('id', renewal.id)
      .update({ replied_at: toSqlDateTime(reply.at), updated_at: toSqlDateTime(clock.now()) })
  }

  /*
  | The board
  */

  /** How many renewals each tab holds. */
  async counts(tenantId: number, today: string) {
    const counts = {} as Record<RenewalTab, number>
    for (const tab of ['due', 'overdue', 'recovered', 'churned'] as const) {
      const row = await this.tabQuery(tenantId, tab, today).count('* as total').first()
      counts[tab] = Number(row?.$extras.total ?? 0)
    }
    return counts
  }

  /** A tab's renewals: due this week (expiring in the next 7 days), overdue (past it, unpaid), recovered, churned. */
  tabQuery(tenantId: number, tab: RenewalTab, today: string) {
    const query = Renewal.forTenant(tenantId)
    const weekEnd = DateTime.fromISO(today).plus({ days: 6 }).toISODate()!
    switch (tab) {
      case 'due':
        return query
          .whereIn('status', ['due', 'reminding'])
          .whereBetween('expires_on', [today, weekEnd])
      case 'overdue':
        return query.whereIn('status', ['due', 'reminding']).where('expires_on', '<', today)
      case 'recovered':
        return query.where('status', 'recovered')
      case 'churned':
        return query.where('status', 'churned')
    }
  }

  /** A tab's page, with each renewal's outlet. */
  page(tenantId: number, tab: RenewalTab, today: string, page: number) {
    const query = this.tabQuery(tenantId, tab, today).preload('outlet')
    if (tab === 'recovered') query.orderBy('renewed_at', 'desc')
    else if (tab === 'churned') query.orderBy('churned_at', 'desc')
    else query.orderBy('expires_on')
    return query.orderBy('id').paginate(page, RENEWALS_PER_PAGE)
  }

  /**
   * The recovery rate and the winback conversion of the last STAT_MONTHS months: of the renewals
   * expiring in a month that went past their date unpaid, how many were paid since (recovered);
   * of those that churned in a month, how many were won back (recovered after churning).
   */
  async figures(
    tenantId: number,
    zone: string,
    now: DateTime = clock.now()
  ): Promise<MonthFigures[]> {
    const today = now.setZone(zone).toISODate()!
    const first = now
      .setZone(zone)
      .startOf('month')
      .minus({ months: STAT_MONTHS - 1 })
    const months = Array.from({ length: STAT_MONTHS }, (_, index) =>
      first.plus({ months: index }).toFormat('yyyy-LL')
    )
    const byMonth = new Map<string, MonthFigures>(
      months.map((month) => [
        month,
        {
          month,
          failed: 0,
          recovered: 0,
          recoveryRate: null,
          churned: 0,
          wonBack: 0,
          winbackRate: null,
        },
      ])
    )
    const rows = await Renewal.forTenant(tenantId)
      .where((where) =>
        where
          .where('expires_on', '>=', first.toISODate()!)
          .orWhere('churned_at', '>=', toSqlDateTime(first.toUTC()))
      )
      .select('expires_on', 'status', 'churned_at')
    for (const row of rows) {
      const expiryMonth = byMonth.get(row.expiresOn.slice(0, 7))
      const failed =
        row.status === 'recovered' ||
        row.status === 'churned' ||
        (isOpen(row.status) && row.expiresOn < today)
      if (expiryMonth && failed) {
        expiryMonth.failed++
        if (row.status === 'recovered') expiryMonth.recovered++
      }
      const churnMonth = row.churnedAt
        ? byMonth.get(row.churnedAt.setZone(zone).toFormat('yyyy-LL'))
        : undefined
      if (churnMonth) {
        churnMonth.churned++
        if (row.status === 'recovered') churnMonth.wonBack++
      }
    }
    return months.map((month) => {
      const figures = byMonth.get(month)!
      figures.recoveryRate = figures.failed ? figures.recovered / figures.failed : null
      figures.winbackRate = figures.churned ? figures.wonBack / figures.churned : null
      return figures
    })
  }

  /*
  | One step of a renewal
  */

  async #step(id: number, context: RenewalContext, now: DateTime) {
    const profile = await messagingDirectory.get(context.tenantId)
    try {
      return await transactionWithOutbox(async (trx, outbox) => {
        const renewal = await this.#locked(trx, context.tenantId, id)
        if (!renewal || !isOpen(renewal.status) || !renewal.nextStepAt || renewal.nextStepAt > now)
          return false
        const outlet = await Outlet.query({ client: trx }).where('id', renewal.outletId).first()
        if (!outlet) return false
        if (isPaid(renewal.expiresOn, outlet.expiresOn)) {
          await this.#closePaid(trx, renewal, outlet.expiresOn!, context, now, 'skipped_paid')
          return true
        }
        const done = await doneSteps(trx, renewal.id)
        const plan = nextStep(
          stateOf(renewal, done, context.zone),
          context.settings,
          context.zone,
          now
        )
        if (!plan || plan.at > now) {
          await this.#plan(trx, renewal, plan)
          return false
        }
        if (plan.kind === 'churn') {
          await this.#attempt(trx, renewal, { step: 'churn', stepKey: 'churn', result: 'logged' })
          renewal.merge({ status: 'churned', churnedAt: now })
        } else if (inQuietHours(now, context.settings, context.zone)) {
          // Late (the server was down at the step's time) and now in quiet hours: it waits.
          await trx
            .knexQuery()
            .table('renewal_attempts')
            .insert({
              tenant_id: renewal.tenantId,
              renewal_id: renewal.id,
              step: plan.step,
              step_key: `${plan.step}~quiet`,
              result: 'skipped_quiet_hours',
              created_at: toSqlDateTime(now),
            })
            .onConflict(['renewal_id', 'step_key'])
            .ignore()
          await this.#plan(trx, renewal, {
            ...plan,
            at: outOfQuietHours(now, context.settings, context.zone),
          })
          return true
        } else {
          const template = resolveTemplate(profile.templates, 'renewal_reminder', context.locale)
          const attempt = await this.#attempt(trx, renewal, {
            step: plan.step,
            stepKey: plan.step,
            result: 'sent',
            channel: 'whatsapp',
            template: template.whatsappTemplate,
          })
          const sent = await this.#send(trx, outbox, profile, context, renewal, outlet, plan, now)
          attempt.merge({
            result: sent.ids.length ? 'sent' : 'failed',
            notificationId: sent.ids[0] ?? null,
            note: sent.ids.length ? null : sent.reason,
          })
          await attempt.useTransaction(trx).save()
          if (plan.kind === 'reminder') {
            renewal.remindersSent++
            if (renewal.status === 'due') renewal.status = 'reminding'
          }
        }
        done.add(plan.step)
        const next = nextStep(
          stateOf(renewal, done, context.zone),
          context.settings,
          context.zone,
          now
        )
        await this.#plan(trx, renewal, next)
        return true
      })
    } catch (error) {
      // Another server took this step first: the unique (renewal, step) index refused ours.
      if (isUniqueViolation(error)) return false
      throw error
    }
  }

  /** The reminder to the outlet's phone, or to the contacts who speak for it; the outbox rows written. */
  async #send(
    trx: TransactionClientContract,
    outbox: OutboxBatch,
    profile: MessagingProfile,
    context: RenewalContext,
    renewal: Renewal,
    outlet: Outlet,
    plan: PlannedStep,
    now: DateTime
  ) {
    const phones = outlet.phone
      ? [outlet.phone]
      : (
          await trx
            .from('contact_outlets')
            .join('contacts', 'contacts.id', 'contact_outlets.contact_id')
            .where('contact_outlets.outlet_id', outlet.id)
            .orderBy('contact_outlets.id')
            .limit(MAX_CONTACTS)
            .select('contacts.phone')
        ).map((row) => String(row.phone))
    if (phones.length === 0) return { ids: [] as number[], reason: 'no_phone' }
    const i18n = i18nManager.locale(context.locale)
    const days = daysLeft(renewal.expiresOn, now.setZone(context.zone).toISODate()!)
    const when =
      plan.kind === 'winback'
        ? i18n.t('renewals.when.winback')
        : days > 0
          ? i18n.t('renewals.when.before', { days })
          : days === 0
            ? i18n.t('renewals.when.today')
            : i18n.t('renewals.when.after', { days: -days })
    const ids: number[] = []
    for (const phone of phones) {
      const id = await enqueueNotification(
        sqlOf(trx),
        outbox,
        profile,
        {
          event: 'renewal_reminder',
          channel: 'whatsapp',
          recipient: phone,
          locale: context.locale,
          variables: {
            outlet_name: outlet.name,
            fid: outlet.fid,
            oid: outlet.oid,
            expires_on: formatMoment(
              DateTime.fromISO(renewal.expiresOn),
              'd LLL yyyy',
              context.locale
            ),
            when,
            tenant_name: profile.tenantName,
          },
          subject: { type: 'renewal', id: renewal.id },
          dedupeKey: `renewal:${renewal.id}:${plan.step}:${phone}`.slice(0, 120),
        },
        now
      )
      if (id) ids.push(Number(id))
    }
    return { ids, reason: ids.length ? null : 'not_sent' }
  }

  async #closePaid(
    trx: TransactionClientContract,
    renewal: Renewal,
    paidUntil: string,
    context: RenewalContext,
    now: DateTime,
    result: Extract<AttemptResult, 'skipped_paid' | 'logged'>
  ) {
    const status = paidStatus(renewal, now.setZone(context.zone).toISODate()!)
    await this.#attempt(trx, renewal, {
      step: result === 'skipped_paid' ? (renewal.nextStep ?? 'payment') : 'payment',
      stepKey: null,
      result,
      note: `paid_until:${paidUntil}`,
    })
    renewal.merge({ status, renewedAt: now, paidUntil, nextStep: null, nextStepAt: null })
    await renewal.useTransaction(trx).save()
  }

  #attempt(
    trx: TransactionClientContract,
    renewal: Renewal,
    fields: {
      step: string
      stepKey: string | null
      result: AttemptResult
      channel?: string
      template?: string
      note?: string
    }
  ) {
    return RenewalAttempt.create(
      {
        tenantId: renewal.tenantId,
        renewalId: renewal.id,
        step: fields.step,
        stepKey: fields.stepKey,
        channel: fields.channel ?? null,
        template: fields.template ?? null,
        result: fields.result,
        notificationId: null,
        conversationId: null,
        userId: null,
        note: fields.note ?? null,
      },
      { client: trx }
    )
  }

  async #plan(trx: TransactionClientContract, renewal: Renewal, next: PlannedStep | null) {
    renewal.merge({ nextStep: next?.step ?? null, nextStepAt: next?.at.toUTC() ?? null })
    await renewal.useTransaction(trx).save()
  }

  /** The renewal, locked for this transaction (MySQL; SQLite writes one transaction at a time). */
  #locked(trx: TransactionClientContract, tenantId: number, id: number) {
    const query = Renewal.forTenant(tenantId, { client: trx }).where('id', id)
    if (hasRowLocks(trx)) query.forUpdate()
    return query.first()
  }
}

function isOpen(status: RenewalStatus) {
  return (OPEN_RENEWAL_STATUSES as readonly string[]).includes(status)
}

/** The automatic steps a renewal has tried (a quiet-hours wait is not a try). */
async function doneSteps(trx: TransactionClientContract, renewalId: number) {
  const rows = await trx
    .from('renewal_attempts')
    .where('renewal_id', renewalId)
    .whereNotNull('step_key')
    .select('step_key')
  return new Set(rows.map((row) => String(row.step_key)).filter((key) => !key.endsWith('~quiet')))
}

function stateOf(renewal: Renewal, done: ReadonlySet<string>, zone: string): CadenceState {
  return {
    expiresOn: renewal.expiresOn,
    status: renewal.status,
    churnedOn: renewal.churnedAt ? renewal.churnedAt.setZone(zone).toISODate() : null,
    remindersSent: renewal.remindersSent,
    done,
  }
}
