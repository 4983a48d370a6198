import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import CannedReply from '#models/canned_reply'
import Contact from '#models/contact'
import ConversationMessage from '#models/conversation_message'
import User from '#models/user'
import DomainError from '#exceptions/domain_error'
import clock from '#support/clock'
import liveVersion from '#support/live_version'
import { deleteStored, sendStored, storeUpload } from '#support/file_store'
import { CHAT_MEDIA_TYPES } from '#support/uploads'
import InboxBoard, { type InboxFilter } from '#services/inbox/inbox_board'
import ConversationService, {
  REPLY_MEDIA_MAX_BYTES,
  REPLY_MEDIA_TYPES,
  attachmentName,
  windowOpen,
} from '#services/inbox/conversation_service'
import inboxPresence from '#services/inbox/inbox_presence'
import OutletDirectory from '#services/inbox/outlet_directory'
import UserScopes from '#services/inbox/user_scopes'
import { teamFor, teamsOf } from '#services/inbox/inbox_teams'
import ContactHistory from '#services/inbox/contact_history'
import { parameterCount } from '#models/settings/inbox_settings'
import { filledQuery } from '#controllers/scope'
import { withTransaction } from '#support/database'
import {
  assignValidator,
  categoryValidator,
  inboxFilterValidator,
  linkOutletValidator,
  moveValidator,
  noteValidator,
  presenceValidator,
  replyValidator,
} from '#validators/conversations'
import { INBOX_ROLES } from '#enums/role'
import { OUTCOMES } from '#enums/inbox'
import { readPoll } from '#validators/queue'

/**
 * The WhatsApp inbox (`/app/inbox`): the list of support conversations a member of staff may see,
 * live (a poll answered 204 while the tenant's inbox version holds), and a conversation's thread
 * with the contact's outlet and history, where agents reply, write notes, assign, file and move
 * the ticket, and see who else is on it.
 */
@inject()
export default class ConversationsController {
  constructor(
    protected board: InboxBoard,
    protected conversations: ConversationService,
    protected scopes: UserScopes,
    protected outlets: OutletDirectory,
    protected history: ContactHistory
  ) {}

  async index(ctx: HttpContext) {
    return ctx.view.render('pages/inbox/index', await this.#list(ctx))
  }

  async list(ctx: HttpContext) {
    const { version } = readPoll(ctx.request.qs())
    if (version !== null && (await liveVersion.inbox(ctx.tenant.id)) === version)
      return ctx.response.noContent()
    return ctx.view.render('partials/inbox/list', await this.#list(ctx))
  }

  async show(ctx: HttpContext) {
    const state = await this.#thread(ctx)
    await this.conversations.markRead(state.conversation)
    await inboxPresence.beat(ctx.tenant.id, state.conversation.id, ctx.auth.user!)
    return ctx.view.render('pages/inbox/show', state)
  }

  async thread(ctx: HttpContext) {
    const { version } = readPoll(ctx.request.qs())
    if (version !== null && (await liveVersion.inbox(ctx.tenant.id)) === version)
      return ctx.response.noContent()
    const state = await this.#thread(ctx)
    await this.conversations.markRead(state.conversation)
    return ctx.view.render('partials/inbox/thread', state)
  }

  /** The heartbeat of an open thread: who else is on it (and typing) comes back. */
  async presence(ctx: HttpContext) {
    const conversation = await this.#find(ctx)
    const { typing } = await ctx.request.validateUsing(presenceValidator)
    const user = ctx.auth.user!
    await inboxPresence.beat(ctx.tenant.id, conversation.id, user, typing ?? false)
    return ctx.view.render('partials/inbox/presence', {
      viewers: await inboxPresence.viewers(ctx.tenant.id, conversation.id, user.id),
    })
  }

  async reply(ctx: HttpContext) {
    const conversation = await this.#find(ctx)
    const input = await ctx.request.validateUsing(replyValidator)
    const known = ctx.tenant.inbox.templates.find((template) => template.name === input.template)
    if (input.template && !known) throw new DomainError('inbox_template_unknown', {}, 422)
    const attachment = input.attachment
      ? {
          ...(await storeUpload(input.attachment, {
            allowed: REPLY_MEDIA_TYPES,
            maxBytes: REPLY_MEDIA_MAX_BYTES,
            prefix: `inbox/${ctx.tenant.id}/${conversation.id}`,
          })),
          name: attachmentName(input.attachment.clientName),
        }
      : null
    try {
      await this.conversations.reply(
        conversation.id,
        ctx.tenant.id,
        {
          text: input.text ?? '',
          seenMessageId: input.seen_message_id,
          confirmed: input.confirmed ?? false,
          template: known
            ? {
                ...known,
                parameters: (input.parameters ?? []).slice(0, parameterCount(known.body)),
              }
            : null,
          attachment,
        },
        this.#act(ctx)
      )
    } catch (error) {
      // Not sent: the file stays nowhere.
      if (attachment) await deleteStored(attachment.key)
      // A stale reply: the thread shows the new messages, the draft stays, "send anyway" appears.
      if (!(error instanceof DomainError) || error.key !== 'inbox_reply_stale') throw error
      ctx.session.flash('inbox_draft', input.text ?? '')
      ctx.session.flash('inbox_stale', true)
      throw error
    }
    return this.#back(ctx, conversation.id)
  }

  async note(ctx: HttpContext) {
    const conversation = await this.#find(ctx)
    const { text } = await ctx.request.validateUsing(noteValidator)
    await this.conversations.note(conversation.id, ctx.tenant.id, text, this.#act(ctx))
    return this.#back(ctx, conversation.id)
  }

  async assign(ctx: HttpContext) {
    const conversation = await this.#find(ctx)
    const { assignee_id: assigneeId } = await ctx.request.validateUsing(assignValidator)
    await this.conversations.assign(
      conversation.id,
      ctx.tenant.id,
      assigneeId ?? null,
      this.#act(ctx)
    )
    return this.#back(ctx, conversation.id)
  }

  async categorize(ctx: HttpContext) {
    const conversation = await this.#find(ctx)
    const { category } = await ctx.request.validateUsing(categoryValidator)
    await this.conversations.categorize(
      conversation.id,
      ctx.tenant.id,
      category || null,
      this.#act(ctx)
    )
    return this.#back(ctx, conversation.id)
  }

  async move(ctx: HttpContext) {
    const conversation = await this.#find(ctx)
    const { status, outcome } = await ctx.request.validateUsing(moveValidator)
    await this.conversations.move(
      conversation.id,
      ctx.tenant.id,
      status,
      { outcome: outcome ?? null },
      this.#act(ctx)
    )
    ctx.session.flash('success', ctx.i18n.t(`inbox.flash.${status}`, { id: conversation.id }))
    return this.#back(ctx, conversation.id)
  }

  /** Links the contact to one of the outlets (the agent's pick when several or none matched). */
  async link(ctx: HttpContext) {
    const conversation = await this.#find(ctx)
    const { outlet_id: outletId } = await ctx.request.validateUsing(linkOutletValidator)
    await this.conversations.linkOutlet(conversation.id, ctx.tenant.id, outletId, this.#act(ctx))
    return this.#back(ctx, conversation.id)
  }

  /** A customer's photo, document, voice note or video, typed again on the way out. */
  async media(ctx: HttpContext) {
    const conversation = await this.#find(ctx)
    const message = await ConversationMessage.forTenant(ctx.tenant)
      .where('conversation_id', conversation.id)
      .where('id', Number(ctx.params.messageId))
      .where('media_status', 'stored')
      .firstOrFail()
    return sendStored(ctx.response, message.mediaPath!, CHAT_MEDIA_TYPES)
  }

  async #list(ctx: HttpContext) {
    const raw = await ctx.request.validateUsing(inboxFilterValidator, { data: ctx.request.qs() })
    const user = ctx.auth.user!
    const filter: InboxFilter = {
      ...raw,
      team: teamFor(user.role, raw.team),
      assignee:
        raw.assignee === 'me' || raw.assignee === 'none'
          ? raw.assignee
          : raw.assignee
            ? Number(raw.assignee)
            : null,
    }
    const scopes = await this.scopes.of(ctx.tenant.id, user.id)
    await inboxPresence.beat(ctx.tenant.id, null, user)
    const page = await this.board.list(ctx.tenant.id, scopes, user.id, filter, clock.now())
    page.baseUrl(ctx.request.url())
    page.queryString({ ...filledQuery(ctx), page: undefined })
    return {
      section: 'inbox',
      filter: { ...raw, team: filter.team, status: raw.status ?? 'open' },
      teams: teamsOf(user.role),
      page,
      counts: await this.board.counts(ctx.tenant.id, scopes, filter.team),
      agents: await this.#agents(ctx),
      categories: ctx.tenant.inbox.categories,
      version: await liveVersion.inbox(ctx.tenant.id),
      query: filledQuery(ctx),
      now: clock.now(),
    }
  }

  async #thread(ctx: HttpContext) {
    const conversation = await this.#find(ctx)
    const user = ctx.auth.user!
    const contact = await Contact.findOrFail(conversation.contactId)
    const resolution = await withTransaction((trx) =>
      this.outlets.resolve(trx, ctx.tenant.id, contact)
    )
    const outletQuery = String(ctx.request.qs().outlet_q ?? '').slice(0, 80)
    const outletMatches = outletQuery
      ? (await this.outlets.search(ctx.tenant.id, outletQuery, 1, { perPage: 10 })).all()
      : []
    const thread = await this.board.thread(conversation)
    const now = clock.now()
    const canned = await CannedReply.forTenant(ctx.tenant).orderBy('shortcut')
    const outlet = resolution.linked.find((candidate) => candidate.id === conversation.outletId)
    const fillCanned = (body: string) =>
      body
        .replaceAll('{{name}}', contact.displayName ?? '')
        .replaceAll('{{outlet}}', outlet?.name ?? resolution.linked[0]?.name ?? '')
    return {
      section: 'inbox',
      conversation,
      contact,
      thread,
      lastMessageId: thread.at(-1)?.message.id ?? 0,
      resolution,
      outlet: outlet ?? null,
      outletQuery,
      outletMatches,
      earlier: await this.board.earlier(conversation),
      history: await this.history.of(ctx.tenant.id, contact.phone),
      viewers: await inboxPresence.viewers(ctx.tenant.id, conversation.id, user.id),
      windowOpen: windowOpen(contact.lastInboundAt, now),
      canned: canned.map((reply) => ({ ...reply.serialize(), body: fillCanned(reply.body) })),
      templates: ctx.tenant.inbox.templates.map((template) => ({
        ...template,
        count: parameterCount(template.body),
      })),
      categories: ctx.tenant.inbox.categories,
      outcomes: OUTCOMES,
      agents: await this.#agents(ctx),
      version: await liveVersion.inbox(ctx.tenant.id),
      draft: ctx.session.flashMessages.get('inbox_draft') ?? '',
      stale: Boolean(ctx.session.flashMessages.get('inbox_stale')),
      now,
    }
  }

  #find(ctx: HttpContext) {
    return this.scopes
      .of(ctx.tenant.id, ctx.auth.user!.id)
      .then((scopes) => this.board.find(ctx.tenant.id, scopes, Number(ctx.params.id)))
  }

  #agents(ctx: HttpContext) {
    return User.forTenant(ctx.tenant)
      .whereIn('role', [...INBOX_ROLES])
      .where('is_active', true)
      .orderBy('full_name')
      .select('id', 'full_name', 'role')
  }

  #act(ctx: HttpContext) {
    return { by: ctx.auth.user!, ip: ctx.request.ip() }
  }

  #back(ctx: HttpContext, id: number) {
    return ctx.response.redirect().toRoute('inbox.show', { id })
  }
}
