import type { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import i18nManager from '@adonisjs/i18n/services/main'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Branch from '#models/branch'
import Contact from '#models/contact'
import Conversation from '#models/conversation'
import ConversationMessage from '#models/conversation_message'
import Customer from '#models/customer'
import Lead from '#models/lead'
import LeadEvent from '#models/lead_event'
import Outlet from '#models/outlet'
import Service from '#models/service'
import Tenant from '#models/tenant'
import User from '#models/user'
import DomainError from '#exceptions/domain_error'
import clock from '#support/clock'
import liveVersion from '#support/live_version'
import { hasRowLocks, withTransaction } from '#support/database'
import { sqlOf } from '#support/sql'
import { countryOfTimezone, normalizePhone } from '#support/phone'
import { enqueueNotification } from '#services/messaging/notifications'
import type { OutboxBatch } from '#services/messaging/outbox'
import type { MessagingProfile } from '#services/messaging/messaging_directory'
import AuditTrail from '#services/platform/audit_trail'
import branchDirectory from '#services/platform/branch_directory'
import BookingService from '#services/bookings/booking_service'
import { nextAgent } from '#services/inbox/inbox_intake'
import type { RoutedMessage, Routing } from '#services/inbox/inbox_router'
import LeadSettingsStore from '#services/leads/lead_settings_store'
import { classifyFirstMessage } from '#services/leads/lead_classifier'
import type { LeadSettings } from '#models/settings/lead_settings'
import { LEAD_ROLES } from '#enums/role'
import { TICKET_KINDS } from '#enums/inbox'
import {
  PROMPT_STEPS,
  canBookOnboarding,
  canMoveLead,
  type LeadSource,
  type LeadStatus,
  type PromptStep,
} from '#enums/lead'

/** The member of staff acting. */
export interface LeadActor {
  by: User
  ip?: string | null
}

/** A lead as sales or the public form describe it; the phone as typed. */
export interface LeadInput {
  name: string
  business?: string | null
  phone: string
  email?: string | null
  interest?: string | null
  notes?: string | null
  ownerId?: number | null
  nextStep?: string | null
  nextStepAt?: DateTime | null
}

/** What sales change on a lead's page. */
export interface LeadChanges {
  ownerId: number | null
  notes: string | null
  nextStep: string | null
  nextStepAt: DateTime | null
}

/** A time of the onboarding service picked on the lead's page. */
export interface OnboardingPick {
  date: string
  time: string
  resourceId?: number | null
  /** The form's one-off id: submitting twice books once. */
  requestId: string
}

/** Leads still being worked: a new message of their number joins them instead of opening another. */
const OPEN_STATUSES: readonly LeadStatus[] = ['new', 'qualified', 'onboarding_booked']

/** Why a lead closed when an agent said its conversation is support after all. */
export const NOT_A_LEAD = 'not_a_lead'

/**
 * Leads (seed 004, Sales Lead Flow). From WhatsApp: the first message of an unknown number is
 * classified by the tenant's keywords; a lead gets a short prompt for name, business and interest,
 * its answers fill the lead step by step, and then it goes to the sales manager (or sales in
 * turn). An agent corrects the team in one click, which creates or closes the lead. Sales enter
 * leads by hand, prospects through the public form; each lead moves through its pipeline in one
 * transaction with a lead_events row and an audit entry, and its onboarding is booked through the
 * bookings (its .ics and reminders with it).
 */
@inject()
export default class LeadService {
  constructor(
    protected auditTrail: AuditTrail,
    protected settingsStore: LeadSettingsStore,
    protected bookings: BookingService
  ) {}

  /*
  | WhatsApp
  */

  /**
   * The team of an unknown number's first message: a number with an open lead is that lead's; a
   * number the business knows (a linked outlet, an outlet with its phone, an earlier ticket) is
   * not for this rule (null); otherwise the tenant's keywords decide.
   */
  async route(message: RoutedMessage): Promise<Routing | null> {
    const { trx, tenant, contact } = message
    const lead = await this.#openLeadOf(trx, tenant.id, contact.phone)
    if (lead) return { kind: 'lead', reason: 'known_lead' }
    // A registration or STOP/START is answered by its own feature; a field customer is known.
    if (message.command) return null
    const settings = await this.settingsStore.get(tenant.id, trx)
    if (!settings.whatsappLeads) return null
    const [linked, outlet, earlier, customer] = await Promise.all([
      trx.from('contact_outlets').where('contact_id', contact.id).select('id').first(),
      Outlet.forTenant(tenant.id, { client: trx })
        .where('phone', contact.phone)
        .select('id')
        .first(),
      Conversation.forTenant(tenant.id, { client: trx })
        .where('contact_id', contact.id)
        .whereIn('kind', [...TICKET_KINDS])
        .select('id')
        .first(),
      Customer.forTenant(tenant.id, { client: trx })
        .where('phone', contact.phone)
        .select('id')
        .first(),
    ])
    if (linked || outlet || earlier || customer) return null
    const { kind, reason } = classifyFirstMessage(message.text, {
      lead: settings.leadKeywords,
      support: settings.supportKeywords,
    })
    return { kind, reason }
  }

  /**
   * A new conversation routed to sales: the number's open lead is joined (and its owner takes the
   * conversation), or a new lead is made and asked its first question.
   */
  async opened(message: RoutedMessage, conversation: Conversation) {
    if (conversation.kind !== 'lead') return
    const { trx, tenant, contact } = message
    const now = clock.now()
    const known = await this.#openLeadOf(trx, tenant.id, contact.phone)
    if (known) {
      known.merge({ conversationId: conversation.id, contactId: contact.id })
      await known.useTransaction(trx).save()
      if (known.ownerId) {
        conversation.assigneeId = known.ownerId
        await conversation.useTransaction(trx).save()
      }
      return known
    }
    const lead = await Lead.create(
      {
        tenantId: tenant.id,
        contactId: contact.id,
        conversationId: conversation.id,
        name: null,
        phone: contact.phone,
        source: 'whatsapp',
        status: 'new',
        promptStep: PROMPT_STEPS[0],
      },
      { client: trx }
    )
    await this.#event(trx, lead, null, 'new', null, null, now)
    await this.auditTrail.record(
      {
        action: 'lead.created',
        tenantId: tenant.id,
        subject: { type: 'lead', id: lead.id },
        changes: { source: 'whatsapp', conversation_id: conversation.id },
      },
      { user: null },
      trx
    )
    await this.#ask(trx, message.outbox, message.profile, conversation, lead, PROMPT_STEPS[0], now)
    return lead
  }

  /**
   * A prospect's answer to the prompt: it fills the asked field and the next question goes; after
   * the last one the lead goes to its owner (the sales manager, or sales in turn) with the ticket.
   */
  async answered(message: RoutedMessage, conversation: Conversation) {
    if (conversation.kind !== 'lead') return
    const { trx, tenant } = message
    const text = message.text?.trim()
    if (!text) return
    const lead = await Lead.forTenant(tenant.id, { client: trx })
      .where('conversation_id', conversation.id)
      .whereNotNull('prompt_step')
      .orderBy('id', 'desc')
      .first()
    if (!lead || !lead.promptStep) return
    const step = lead.promptStep
    if (step === 'name') lead.name = text.slice(0, 160)
    if (step === 'business') lead.business = text.slice(0, 160)
    if (step === 'interest') lead.interest = text.slice(0, 500)
    const next = PROMPT_STEPS[PROMPT_STEPS.indexOf(step) + 1] ?? null
    lead.promptStep = next
    const now = clock.now()
    if (!next) {
      const settings = await this.settingsStore.get(tenant.id, trx)
      const owner = await this.pickOwner(trx, tenant.id, settings, conversation.assigneeId)
      lead.ownerId = lead.ownerId ?? owner
      if (lead.ownerId) {
        conversation.assigneeId = lead.ownerId
        await conversation.useTransaction(trx).save()
      }
    }
    await lead.useTransaction(trx).save()
    await this.#ask(trx, message.outbox, message.profile, conversation, lead, next ?? 'done', now)
  }

  /**
   * Who a new lead goes to: the tenant's sales manager (an active member of sales or their
   * managers), else `preferred` when sales (the agent the inbox gave the ticket to), else the
   * member of sales whose latest lead is the oldest (round-robin). Null with no sales at all.
   */
  async pickOwner(
    trx: TransactionClientContract,
    tenantId: number,
    settings: LeadSettings,
    preferred: number | null = null
  ) {
    if (settings.salesManagerId) {
      const manager = await User.forTenant(tenantId, { client: trx })
        .where('id', settings.salesManagerId)
        .where('is_active', true)
        .whereIn('role', [...LEAD_ROLES])
        .select('id')
        .first()
      if (manager) return manager.id
    }
    const sales = await User.forTenant(tenantId, { client: trx })
      .where('role', 'sales')
      .where('is_active', true)
      .orderBy('id')
      .select('id')
    if (sales.length === 0) return null
    if (preferred && sales.some((user) => user.id === preferred)) return preferred
    const rows = await Lead.forTenant(tenantId, { client: trx })
      .whereIn(
        'owner_id',
        sales.map((user) => user.id)
      )
      .groupBy('owner_id')
      .select('owner_id')
      .max('id as last')
      .pojo<{ owner_id: number; last: number }>()
    const last = new Map(rows.map((row) => [Number(row.owner_id), Number(row.last)]))
    const [next] = sales
      .map((user) => ({ id: user.id, last: last.get(user.id) ?? 0 }))
      .sort((a, b) => a.last - b.last || a.id - b.id)
    return next.id
  }

  /*
  | The correction on the thread
  */

  /**
   * An agent says which team the conversation is ("Ini lead" / "Ini dukungan"): its kind changes
   * (the reason reads `corrected`), a lead is made (or the one closed as not a lead is opened
   * again) and given its owner, or the conversation's open lead is closed as not a lead and the
   * ticket goes back to support. Nothing else learns from it: keywords change only by a manager.
   */
  async reroute(
    conversationId: number,
    tenantId: number,
    kind: 'lead' | 'support',
    act: LeadActor
  ) {
    const result = await withTransaction(async (trx) => {
      const query = Conversation.forTenant(tenantId, { client: trx }).where('id', conversationId)
      if (hasRowLocks(trx)) query.forUpdate()
      const conversation = await query.first()
      if (!conversation) throw new DomainError('inbox_conversation_not_found', {}, 404)
      const from = conversation.kind
      if (from !== 'lead' && from !== 'support')
        throw new DomainError('lead_reroute_refused', {}, 409)
      if (from === kind) return { conversation, lead: null }
      const now = clock.now()
      const settings = await this.settingsStore.get(tenantId, trx)
      let lead = await Lead.forTenant(tenantId, { client: trx })
        .where('conversation_id', conversation.id)
        .orderBy('id', 'desc')
        .first()
      conversation.kind = kind
      if (kind === 'lead') {
        if (lead && lead.status === 'lost' && lead.lostReason === NOT_A_LEAD) {
          lead.merge({ status: 'new', lostReason: null })
          await lead.useTransaction(trx).save()
          await this.#event(trx, lead, 'lost', 'new', act.by, null, now)
        } else if (!lead || !OPEN_STATUSES.includes(lead.status)) {
          const contact = await Contact.findOrFail(conversation.contactId, { client: trx })
          lead = await Lead.create(
            {
              tenantId,
              contactId: contact.id,
              conversationId: conversation.id,
              name: contact.displayName,
              phone: contact.phone,
              source: 'whatsapp',
              status: 'new',
              promptStep: null,
            },
            { client: trx }
          )
          await this.#event(trx, lead, null, 'new', act.by, null, now)
          await this.auditTrail.record(
            {
              action: 'lead.created',
              tenantId,
              subject: { type: 'lead', id: lead.id },
              changes: { source: 'whatsapp', conversation_id: conversation.id },
            },
            { user: act.by, ip: act.ip },
            trx
          )
        }
        lead.ownerId = lead.ownerId ?? (await this.pickOwner(trx, tenantId, settings))
        await lead.useTransaction(trx).save()
        conversation.assigneeId = lead.ownerId ?? conversation.assigneeId
      } else {
        if (lead && OPEN_STATUSES.includes(lead.status)) {
          const was = lead.status
          lead.merge({ status: 'lost', lostReason: NOT_A_LEAD, promptStep: null })
          await lead.useTransaction(trx).save()
          await this.#event(trx, lead, was, 'lost', act.by, null, now)
        }
        const tenant = await Tenant.findOrFail(tenantId, { client: trx })
        conversation.assigneeId = tenant.inbox.autoAssign
          ? await nextAgent(trx, tenantId, 'support')
          : null
      }
      conversation.version++
      await conversation.useTransaction(trx).save()
      await trx
        .from('conversations')
        .where('id', conversation.id)
        .update({ route_reason: 'corrected' })
      await this.auditTrail.record(
        {
          action: 'conversation.rerouted',
          tenantId,
          subject: { type: 'conversation', id: conversation.id },
          changes: { kind: [from, kind], lead_id: lead?.id ?? null },
        },
        { user: act.by, ip: act.ip },
        trx
      )
      return { conversation, lead }
    })
    await liveVersion.bumpInbox(tenantId)
    return result
  }

  /*
  | The pipeline
  */

  /** A lead entered by a member of sales (source `manual`), or sent by the public form (`web_form`, no actor). */
  async create(tenantId: number, input: LeadInput, source: LeadSource, act: LeadActor | null) {
    const phone = normalizePhone(input.phone, await this.#country(tenantId))
    if (!phone) throw new DomainError('invalid_phone', {}, 422)
    return withTransaction(async (trx) => {
      const settings = await this.settingsStore.get(tenantId, trx)
      let ownerId = input.ownerId ?? null
      if (ownerId !== null) await this.#assertOwner(trx, tenantId, ownerId)
      else ownerId = await this.pickOwner(trx, tenantId, settings)
      const lead = await Lead.create(
        {
          tenantId,
          name: input.name,
          business: input.business ?? null,
          phone,
          email: input.email ?? null,
          interest: input.interest ?? null,
          notes: input.notes ?? null,
          nextStep: input.nextStep ?? null,
          nextStepAt: input.nextStepAt ?? null,
          source,
          status: 'new',
          ownerId,
          promptStep: null,
        },
        { client: trx }
      )
      await this.#event(trx, lead, null, 'new', act?.by ?? null, null, clock.now())
      await this.auditTrail.record(
        {
          action: 'lead.created',
          tenantId,
          subject: { type: 'lead', id: lead.id },
          changes: { source, owner_id: ownerId },
        },
        { user: act?.by ?? null, ip: act?.ip ?? null },
        trx
      )
      return lead
    })
  }

  /** Owner, notes and next step (with its date), audited with what changed. */
  async update(leadId: number, tenantId: number, changes: LeadChanges, act: LeadActor) {
    return this.#step(leadId, tenantId, async (lead, trx) => {
      if (changes.ownerId !== null && changes.ownerId !== lead.ownerId)
        await this.#assertOwner(trx, tenantId, changes.ownerId)
      const before = {
        owner_id: lead.ownerId,
        notes: lead.notes,
        next_step: lead.nextStep,
        next_step_at: lead.nextStepAt?.toISO() ?? null,
      }
      lead.merge(changes)
      const after = {
        owner_id: lead.ownerId,
        notes: lead.notes,
        next_step: lead.nextStep,
        next_step_at: lead.nextStepAt?.toISO() ?? null,
      }
      await lead.useTransaction(trx).save()
      await this.auditTrail.record(
        {
          action: 'lead.updated',
          tenantId,
          subject: { type: 'lead', id: lead.id },
          changes: this.auditTrail.diff(before, after),
        },
        { user: act.by, ip: act.ip },
        trx
      )
      return lead
    })
  }

  /** Moves the lead along its pipeline (a lost one keeps why); refused moves answer 409. */
  async move(
    leadId: number,
    tenantId: number,
    to: LeadStatus,
    options: { note?: string | null; lostReason?: string | null },
    act: LeadActor
  ) {
    return this.#step(leadId, tenantId, async (lead, trx, now) => {
      const from = lead.status
      if (!canMoveLead(from, to)) throw new DomainError('lead_move_refused', { from, to }, 409)
      if (to === 'lost' && !options.lostReason?.trim())
        throw new DomainError('lead_lost_reason', {}, 422)
      lead.status = to
      lead.lostReason = to === 'lost' ? options.lostReason!.trim().slice(0, 255) : null
      await lead.useTransaction(trx).save()
      await this.#event(trx, lead, from, to, act.by, options.note ?? null, now)
      await this.auditTrail.record(
        {
          action: 'lead.moved',
          tenantId,
          subject: { type: 'lead', id: lead.id },
          changes: { status: [from, to], lost_reason: lead.lostReason },
        },
        { user: act.by, ip: act.ip },
        trx
      )
      return lead
    })
  }

  /** The tenant's onboarding service, bookable and active, with its branch (409 when unset). */
  async onboardingService(tenantId: number) {
    const settings = await this.settingsStore.get(tenantId)
    const service = settings.onboardingServiceId
      ? await Service.forTenant(tenantId)
          .where('id', settings.onboardingServiceId)
          .where('is_bookable', true)
          .where('is_active', true)
          .first()
      : null
    if (!service) return null
    const entry = await branchDirectory.byId(service.branchId)
    return entry ? { service, entry } : null
  }

  /**
   * Books the lead's onboarding at a time of the tenant's onboarding service (one of the
   * merchant-success team's resources) through the bookings, so its confirmation, .ics file and
   * reminders go as every booking's; then the lead is `onboarding_booked` with the booking linked.
   * The form's request id makes a repeated submit book once.
   */
  async bookOnboarding(leadId: number, tenantId: number, pick: OnboardingPick, act: LeadActor) {
    const lead = await Lead.findForTenantOrFail(tenantId, leadId)
    if (!canBookOnboarding(lead.status))
      throw new DomainError('lead_move_refused', { from: lead.status, to: 'onboarding_booked' })
    const onboarding = await this.onboardingService(tenantId)
    if (!onboarding) throw new DomainError('lead_onboarding_unset', {}, 409)
    const { service, entry } = onboarding
    const booking = await this.bookings.book(entry, service, {
      date: pick.date,
      time: pick.time,
      resourceId: pick.resourceId ?? null,
      name: (lead.name ?? lead.business ?? lead.phone).slice(0, 120),
      phone: lead.phone,
      email: lead.email,
      note: [lead.business, lead.interest].filter(Boolean).join(' — ').slice(0, 500) || null,
      locale: entry.tenant.locale,
      channel: 'staff',
      requestId: `lead-${lead.id}-${pick.requestId}`.slice(0, 64),
      by: act.by,
    })
    return this.#step(leadId, tenantId, async (locked, trx, now) => {
      if (locked.bookingId === booking.id) return locked
      const from = locked.status
      locked.merge({ status: 'onboarding_booked', bookingId: booking.id })
      await locked.useTransaction(trx).save()
      await this.#event(trx, locked, from, 'onboarding_booked', act.by, booking.code, now)
      await this.auditTrail.record(
        {
          action: 'lead.onboarding_booked',
          tenantId,
          subject: { type: 'lead', id: locked.id },
          changes: { status: [from, 'onboarding_booked'], booking_id: booking.id },
        },
        { user: act.by, ip: act.ip },
        trx
      )
      return locked
    })
  }

  /*
  | Helpers
  */

  /** One step on the locked lead of the tenant (404 otherwise). */
  async #step<T>(
    leadId: number,
    tenantId: number,
    work: (lead: Lead, trx: TransactionClientContract, now: DateTime) => Promise<T>
  ) {
    return withTransaction(async (trx) => {
      const query = Lead.forTenant(tenantId, { client: trx }).where('id', leadId)
      if (hasRowLocks(trx)) query.forUpdate()
      const lead = await query.first()
      if (!lead) throw new DomainError('lead_not_found', {}, 404)
      return work(lead, trx, clock.now())
    })
  }

  /** The open lead with this phone, newest first (a prospect writing again). */
  #openLeadOf(trx: TransactionClientContract, tenantId: number, phone: string) {
    return Lead.forTenant(tenantId, { client: trx })
      .where('phone', phone)
      .whereIn('status', [...OPEN_STATUSES])
      .orderBy('id', 'desc')
      .first()
  }

  async #assertOwner(trx: TransactionClientContract, tenantId: number, ownerId: number) {
    const owner = await User.forTenant(tenantId, { client: trx })
      .where('id', ownerId)
      .where('is_active', true)
      .whereIn('role', [...LEAD_ROLES])
      .first()
    if (!owner) throw new DomainError('lead_owner_unknown', {}, 422)
  }

  #event(
    trx: TransactionClientContract,
    lead: Lead,
    from: LeadStatus | null,
    to: LeadStatus,
    by: User | null,
    note: string | null,
    now: DateTime
  ) {
    return LeadEvent.create(
      {
        tenantId: lead.tenantId,
        leadId: lead.id,
        fromStatus: from,
        toStatus: to,
        userId: by?.id ?? null,
        note: note?.slice(0, 500) ?? null,
        createdAt: now,
      },
      { client: trx }
    )
  }

  /** The prompt's question `step` (or its thanks, `done`) to the prospect, kept on the thread. */
  async #ask(
    trx: TransactionClientContract,
    outbox: OutboxBatch,
    profile: MessagingProfile,
    conversation: Conversation,
    lead: Lead,
    step: PromptStep | 'done',
    now: DateTime
  ) {
    const locale = profile.tenantLocale
    const question = i18nManager
      .locale(i18nManager.supportedLocales().includes(locale) ? locale : 'id')
      .t(`leads.prompt.${step}`, { tenant: profile.tenantName })
    const notificationId = await enqueueNotification(
      sqlOf(trx),
      outbox,
      profile,
      {
        event: 'lead_prompt',
        channel: 'whatsapp',
        recipient: lead.phone,
        locale,
        variables: { question, tenant_name: profile.tenantName },
        subject: { type: 'lead', id: lead.id },
        dedupeKey: `lead:${lead.id}:${step}`,
      },
      now
    )
    if (notificationId === null) return
    await ConversationMessage.create(
      {
        tenantId: lead.tenantId,
        conversationId: conversation.id,
        direction: 'out',
        kind: 'text',
        body: question,
        authorId: null,
        notificationId: Number(notificationId),
        createdAt: now,
      },
      { client: trx }
    )
  }

  /** The tenant's country, by its first branch's time zone: how a local number is read. */
  async #country(tenantId: number) {
    const branch = await Branch.forTenant(tenantId).orderBy('id').select('timezone').first()
    return countryOfTimezone(branch?.timezone ?? 'Asia/Jakarta')
  }
}
