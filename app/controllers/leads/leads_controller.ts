import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import LeadBoard from '#services/leads/lead_board'
import LeadService from '#services/leads/lead_service'
import BookingService from '#services/bookings/booking_service'
import InboxBoard from '#services/inbox/inbox_board'
import UserScopes from '#services/inbox/user_scopes'
import clock from '#support/clock'
import { filledQuery } from '#controllers/scope'
import {
  leadFilterValidator,
  leadMoveValidator,
  leadUpdateValidator,
  leadValidator,
  onboardingDateValidator,
  onboardingValidator,
  rerouteValidator,
} from '#validators/leads'
import { LEAD_STATUSES, leadMovesFrom, canBookOnboarding } from '#enums/lead'

/**
 * The leads pipeline (`/app/leads`): the leads of a status with every status's count, by owner;
 * manual entry; a lead's page with its owner, notes, next step, moves, history and the onboarding
 * booking (the onboarding service's free times of a day); the thread's one-click correction.
 */
@inject()
export default class LeadsController {
  constructor(
    protected board: LeadBoard,
    protected leads: LeadService,
    protected bookings: BookingService,
    protected inbox: InboxBoard,
    protected scopes: UserScopes
  ) {}

  async index(ctx: HttpContext) {
    const raw = await leadFilterValidator.validate(ctx.request.qs())
    const owner =
      raw.owner === 'me' || raw.owner === 'none' ? raw.owner : raw.owner ? Number(raw.owner) : null
    const status = raw.status ?? 'new'
    const userId = ctx.auth.user!.id
    const page = await this.board.list(ctx.tenant.id, userId, { status, owner, page: raw.page })
    page.baseUrl(ctx.request.url())
    page.queryString({ ...filledQuery(ctx), page: undefined })
    return ctx.view.render('pages/leads/index', {
      section: 'leads',
      filter: { status, owner: raw.owner ?? '' },
      statuses: LEAD_STATUSES,
      counts: await this.board.counts(ctx.tenant.id, userId, owner),
      page,
      owners: await this.board.owners(ctx.tenant.id),
    })
  }

  async create(ctx: HttpContext) {
    return ctx.view.render('pages/leads/create', {
      section: 'leads',
      owners: await this.board.owners(ctx.tenant.id),
    })
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(leadValidator)
    const lead = await this.leads.create(
      ctx.tenant.id,
      {
        name: input.name,
        business: input.business ?? null,
        phone: input.phone,
        email: input.email ?? null,
        interest: input.interest ?? null,
        notes: input.notes ?? null,
        ownerId: input.owner_id ?? null,
        nextStep: input.next_step ?? null,
        nextStepAt: this.#localMoment(ctx, input.next_step_at),
      },
      'manual',
      this.#act(ctx)
    )
    ctx.session.flash('success', ctx.i18n.t('leads.flash.created', { name: input.name }))
    return ctx.response.redirect().toRoute('leads.show', { id: lead.id })
  }

  async show(ctx: HttpContext) {
    const detail = await this.board.detail(ctx.tenant.id, Number(ctx.params.id))
    const { date: asked } = await onboardingDateValidator.validate(ctx.request.qs())
    const onboarding = await this.leads.onboardingService(ctx.tenant.id)
    const date = asked ?? onboarding?.entry.branch.today() ?? ctx.branch.today()
    const times =
      onboarding && canBookOnboarding(detail.lead.status)
        ? await this.bookings.availability(onboarding.entry, onboarding.service, date)
        : []
    return ctx.view.render('pages/leads/show', {
      section: 'leads',
      ...detail,
      moves: leadMovesFrom(detail.lead.status),
      owners: await this.board.owners(ctx.tenant.id),
      onboarding,
      canBook: canBookOnboarding(detail.lead.status),
      date,
      times,
      requestId: randomUUID(),
      timezone: onboarding?.entry.branch.timezone ?? ctx.branch.timezone,
      nextStepValue: detail.lead.nextStepAt
        ? detail.lead.nextStepAt.setZone(ctx.branch.timezone).toFormat("yyyy-MM-dd'T'HH:mm")
        : '',
      overdue: Boolean(detail.lead.nextStepAt && detail.lead.nextStepAt < clock.now()),
    })
  }

  async update(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(leadUpdateValidator)
    await this.leads.update(
      Number(ctx.params.id),
      ctx.tenant.id,
      {
        ownerId: input.owner_id ?? null,
        notes: input.notes ?? null,
        nextStep: input.next_step ?? null,
        nextStepAt: this.#localMoment(ctx, input.next_step_at),
      },
      this.#act(ctx)
    )
    ctx.session.flash('success', ctx.i18n.t('leads.flash.saved'))
    return ctx.response.redirect().toRoute('leads.show', { id: ctx.params.id })
  }

  async move(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(leadMoveValidator)
    await this.leads.move(
      Number(ctx.params.id),
      ctx.tenant.id,
      input.status,
      { note: input.note ?? null, lostReason: input.lost_reason ?? null },
      this.#act(ctx)
    )
    ctx.session.flash(
      'success',
      ctx.i18n.t('leads.flash.moved', { status: ctx.i18n.t(`leads.statuses.${input.status}`) })
    )
    return ctx.response.redirect().toRoute('leads.show', { id: ctx.params.id })
  }

  async book(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(onboardingValidator)
    await this.leads.bookOnboarding(
      Number(ctx.params.id),
      ctx.tenant.id,
      {
        date: input.date,
        time: input.time,
        resourceId: input.resource_id ?? null,
        requestId: input.request_id,
      },
      this.#act(ctx)
    )
    ctx.session.flash('success', ctx.i18n.t('leads.flash.booked'))
    return ctx.response.redirect().toRoute('leads.show', { id: ctx.params.id })
  }

  /** "Ini lead" / "Ini dukungan" on a thread: back to the thread, or to the lead made. */
  async reroute(ctx: HttpContext) {
    const { kind } = await ctx.request.validateUsing(rerouteValidator)
    // Within the agent's fid/oid scope, like every inbox action (404 otherwise).
    const scopes = await this.scopes.of(ctx.tenant.id, ctx.auth.user!.id)
    await this.inbox.find(ctx.tenant.id, scopes, Number(ctx.params.id))
    const { conversation } = await this.leads.reroute(
      Number(ctx.params.id),
      ctx.tenant.id,
      kind,
      this.#act(ctx)
    )
    ctx.session.flash('success', ctx.i18n.t(`leads.flash.rerouted_${kind}`))
    return ctx.response.redirect().toRoute('inbox.show', { id: conversation.id })
  }

  #act(ctx: HttpContext) {
    return { by: ctx.auth.user!, ip: ctx.request.ip() }
  }

  /** A `datetime-local` value read in the branch's time zone. */
  #localMoment(ctx: HttpContext, value: string | undefined) {
    if (!value) return null
    const moment = DateTime.fromISO(value, { zone: ctx.branch.timezone })
    return moment.isValid ? moment.toUTC() : null
  }
}
