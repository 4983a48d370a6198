import type { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import i18nManager from '@adonisjs/i18n/services/main'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Branch from '#models/branch'
import Ticket from '#models/ticket'
import WhatsappQueueMenu from '#models/whatsapp_queue_menu'
import MessagingChannel from '#models/messaging_channel'
import DomainError from '#exceptions/domain_error'
import QueueEngine from '#services/queue/queue_engine'
import { ticketVariables } from '#services/queue/ticket_messaging'
import branchDirectory, { type BranchEntry } from '#services/platform/branch_directory'
import { enqueueNotification } from '#services/messaging/notifications'
import type { MessagingProfile } from '#services/messaging/messaging_directory'
import type { OutboxBatch } from '#services/messaging/outbox'
import type { WhatsappInteractive } from '#channels/channel'
import type { WhatsappSettings } from '#channels/whatsapp_channel'
import type { MessageEvent } from '#enums/messaging'
import clock from '#support/clock'
import { formatMoment } from '#support/dates'
import { hasRowLocks } from '#support/database'
import liveVersion from '#support/live_version'
import { sqlOf } from '#support/sql'

/** A customer's WhatsApp message as the queue-by-WhatsApp conversation reads it. */
export interface QueueChatMessage {
  /** The webhook item's transaction (its receipt is in it): write only through it. */
  trx: TransactionClientContract
  outbox: OutboxBatch
  profile: MessagingProfile
  /** E.164. */
  phone: string
  /** WhatsApp's id of the message (`wamid...`), for dedupe keys. */
  messageId: string
  /** What was typed, or the title of a tapped button or list row. */
  text: string | null
  /** The id of a tapped interactive button or list row (or a quick-reply button's payload). */
  replyId: string | null
  at: DateTime
  /** Runs `task` once the transaction committed (e.g. bumping a branch's live version). */
  afterCommit: (task: () => Promise<void>) => void
}

/** What a customer's WhatsApp message asks of the queue. */
export type QueueCommand =
  /** `ANTRI <branch>` (or `ANTRI` alone): the branch's services open now. */
  | { kind: 'menu'; branch: string | null; locale: string | null }
  /** `BATAL`: cancel the numbers taken in this chat. */
  | { kind: 'cancel'; locale: string | null }
  /** A typed `2`: the second service of the open menu. */
  | { kind: 'choose'; position: number }
  /** A tapped button or list row (`q:<service id>`). */
  | { kind: 'pick'; serviceId: number }

/**
 * The words that ask for the menu and those that cancel, with the language they give away: an
 * English word is answered in English; the others (Indonesian and Malay share them) in the tenant's.
 */
const MENU_WORDS = new Map<string, string | null>([
  ['ANTRI', null],
  ['ANTRE', null],
  ['GILIRAN', null],
  ['QUEUE', 'en'],
])
const CANCEL_WORDS = new Map<string, string | null>([
  ['BATAL', null],
  ['BATALKAN', null],
  ['CANCEL', 'en'],
])

/** A branch's link name as `ANTRI <slug>` carries it (validators/fields.ts `slug`). */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/** How long a menu answers taps and typed numbers. */
const MENU_MINUTES = 15

/** How long after a menu a BATAL without a number to cancel is still answered (else it is the inbox's). */
const CHAT_MEMORY_HOURS = 24

/** Numbers their visitor still waits on: a second ANTRI answers with one, BATAL cancels them. */
const HELD_STATUSES = ['waiting', 'held', 'called'] as const

/** The cancel reason of a BATAL (shown translated: `ui.reasons.whatsapp_cancel`). */
const CANCEL_REASON = 'whatsapp_cancel'

/** How many branches the "which branch?" answer lists. */
const LISTED_BRANCHES = 10

/**
 * Reads a WhatsApp message as a queue command, or null when it is none (the inbox keeps it).
 *
 * - A tapped button or list row with the id `q:<service id>` picks that service.
 * - `ANTRI`, `ANTRE`, `GILIRAN` or `QUEUE` (any case, spaces trimmed), alone or followed by one
 *   branch slug, asks for the menu. A longer sentence starting with the word ("antri berapa
 *   lama?") is a question for the staff, not a command.
 * - `BATAL`, `BATALKAN` or `CANCEL` alone cancels.
 * - A number alone (`1` to `99`) chooses from the open menu (the caller checks there is one).
 */
export function parseQueueCommand(
  text: string | null,
  replyId: string | null
): QueueCommand | null {
  const tapped = /^q:(\d{1,10})$/.exec(replyId ?? '')
  if (tapped) return { kind: 'pick', serviceId: Number(tapped[1]) }
  const words = (text ?? '').trim().split(/\s+/)
  const word = words[0].toUpperCase()
  if (MENU_WORDS.has(word) && words.length <= 2) {
    const branch = words[1]?.toLowerCase() ?? null
    if (branch !== null && !SLUG.test(branch)) return null
    return { kind: 'menu', branch, locale: MENU_WORDS.get(word)! }
  }
  if (words.length !== 1) return null
  if (CANCEL_WORDS.has(word)) return { kind: 'cancel', locale: CANCEL_WORDS.get(word)! }
  if (/^[1-9]\d?$/.test(word)) return { kind: 'choose', position: Number(word) }
  return null
}

/**
 * Taking a number by WhatsApp (issue 14). A visitor scans the branch's `wa.me` QR code and sends
 * the prefilled `ANTRI <branch>`; Loket answers with the services open now (reply buttons up to
 * 3, a list up to 10, always numbered in the text) and remembers the offer for 15 minutes. A tap
 * or a typed number takes an ordinary ticket of channel `whatsapp` with the sender's phone, whose
 * messages (its number and link, "N to go", the call, BATAL's confirmation) then go to this chat
 * (ticket_messaging.ts, visitorChannelOf). A visitor who already holds a number at the branch is
 * answered with it instead of taking another; `BATAL` cancels the numbers taken in the chat.
 *
 * Everything runs in the transaction of the message's receipt (WhatsappInbound), so a message
 * Meta delivers twice is answered once. Two messages of one phone at once (a double tap, `1` and
 * `2`) line up on the phone's menu row, locked first: the second finds the menu closed by the
 * first's ticket. Answers are written in the chat's language: an English keyword's, else the
 * tenant's; a ticket's own messages in the language it was taken in.
 */
@inject()
export default class WhatsappQueue {
  constructor(protected queue: QueueEngine) {}

  /** Whether the message was a queue command (and was answered); false lets the inbox take it. */
  async handle(message: QueueChatMessage): Promise<boolean> {
    const command = parseQueueCommand(message.text, message.replyId)
    // With the WhatsApp channel off nothing could be answered: the message stays the inbox's.
    if (!command || !message.profile.activeChannels.has('whatsapp')) return false
    const locale = ('locale' in command && command.locale) || message.profile.tenantLocale
    switch (command.kind) {
      case 'menu':
        return this.#menu(message, command.branch, locale)
      case 'cancel':
        return this.#cancel(message, locale)
      default:
        return this.#take(message, command)
    }
  }

  /**
   * What a branch's QR poster offers for taking a number by WhatsApp: nothing without an active
   * WhatsApp channel; else the `wa.me` link that opens the chat with `ANTRI <branch>` typed, or
   * null while the channel does not say which number customers write to.
   */
  async posterLink(branch: Branch): Promise<{ url: string | null } | null> {
    const channel = await MessagingChannel.forTenant(branch.tenantId)
      .where('kind', 'whatsapp')
      .where('is_active', true)
      .first()
    if (!channel) return null
    const phone = (channel.settings as WhatsappSettings).display_phone
    if (!phone) return { url: null }
    const text = encodeURIComponent(`ANTRI ${branch.slug}`)
    return { url: `https://wa.me/${phone.replace(/\D/g, '')}?text=${text}` }
  }

  /** `ANTRI [branch]`: the branch's open services, its held number, or which branches there are. */
  async #menu(message: QueueChatMessage, slug: string | null, locale: string) {
    const query = Branch.forTenant(message.profile.tenantId, { client: message.trx })
    // Another tenant's branch is unknown here: the slug is looked up among this tenant's only.
    const branches = slug ? await query.where('slug', slug) : await query.limit(2)
    const entry =
      branches.length === 1 ? await branchDirectory.byId(branches[0].id, message.trx) : null
    if (!entry) return this.#whichBranch(message, locale)
    return this.#offer(message, entry, locale)
  }

  /** The menu of `entry`'s services open now, remembered for this phone; or why none can be taken. */
  async #offer(message: QueueChatMessage, entry: BranchEntry, locale: string) {
    const held = await this.#heldTicket(message, entry)
    if (held) return this.#answerHeld(message, entry, held, locale)
    const open = entry.services.filter((service) => branchDirectory.openState(entry, service).open)
    if (open.length === 0)
      return this.#unavailable(message, entry, closedReason(entry, locale), locale)

    await this.#remember(message, entry.branch.id, open, locale)
    const i18n = i18nManager.locale(locale)
    const waiting = await this.#waitingByService(message.trx, entry)
    const choices = open.map((service, index) => ({
      id: `q:${service.id}`,
      title: `${index + 1}. ${service.nameIn(locale)}`,
      description: i18n.t('messaging.queue_chat.waiting', { count: waiting.get(service.id) ?? 0 }),
    }))
    const interactive: WhatsappInteractive = {
      body: i18n.t('messaging.queue_chat.choose', { branch: entry.branch.name }),
      button: i18n.t('messaging.queue_chat.list_button'),
      choices,
    }
    await this.#answer(message, 'queue_menu', locale, {
      variables: {
        branch_name: entry.branch.name,
        menu: choices.map((choice) => `${choice.title} (${choice.description})`).join('\n'),
      },
      branchId: entry.branch.id,
      interactive: choices.length <= 10 ? interactive : undefined,
    })
    return true
  }

  /** A tap or a typed number while the phone's menu is open: takes the number. */
  async #take(message: QueueChatMessage, command: QueueCommand & { kind: 'choose' | 'pick' }) {
    const menu = await this.#lockedMenu(message)
    if (!menu) return false
    const open = menu.expiresAt > clock.now()
    // A bare number after the menu closed is a message for the staff; a tap is still ours.
    if (!open && command.kind === 'choose') return false
    const entry = await branchDirectory.byId(menu.branchId, message.trx)
    if (!entry) return false
    const locale = menu.locale

    const serviceId =
      command.kind === 'pick' ? command.serviceId : menu.offered[command.position - 1]
    const service =
      open && menu.offered.includes(serviceId)
        ? entry.services.find((candidate) => candidate.id === serviceId)
        : undefined
    // An old button, a number not on the menu or a service closed since: the menu as it is now.
    if (!service) return this.#offer(message, entry, locale)

    const held = await this.#heldTicket(message, entry)
    if (held) return this.#answerHeld(message, entry, held, locale)
    try {
      const taking = await this.queue.prepareTake(entry.branch, service, {
        client: message.trx,
        profile: message.profile,
      })
      // Its first message (number, people ahead, link) goes to this chat: ticket_messaging.ts.
      await this.queue.takeWithin(sqlOf(message.trx), message.outbox, taking, {
        channel: 'whatsapp',
        phone: message.phone,
        locale,
      })
    } catch (error) {
      // Closed since the menu, or full for today: said politely, in the chat's language.
      if (!(error instanceof DomainError)) throw error
      const reason = i18nManager.locale(locale).t(`errors.${error.key}`, error.params)
      return this.#unavailable(message, entry, reason, locale)
    }
    menu.expiresAt = clock.now()
    await menu.save()
    message.afterCommit(async () => {
      await liveVersion.bump(entry.branch.id)
    })
    return true
  }

  /**
   * `BATAL`: cancels the numbers this phone took in the chat that are still to be served (the
   * state machine's cancel, each announced to the chat). With none, a phone that used the queue
   * chat lately is told so; anyone else's "batal" is a message for the staff.
   */
  async #cancel(message: QueueChatMessage, locale: string) {
    const { trx, profile, phone } = message
    // After this phone's other commands (its menu row is their lock), and with the tickets read
    // locked too, so that a number taken a moment ago is seen (MySQL's locking reads see it).
    const menu = await this.#lockedMenu(message)
    // Open numbers live one local day (the nightly reset closes the rest); a day back covers every zone.
    const since = clock.now().minus({ days: 1 }).toISODate()!
    const query = Ticket.forTenant(profile.tenantId, { client: trx })
      .where('customer_phone', phone)
      .where('channel', 'whatsapp')
      .whereIn('status', [...HELD_STATUSES])
      .where('service_date', '>=', since)
      .select('id')
    if (hasRowLocks(trx)) query.forUpdate()
    const tickets = await query
    const branches = new Set<number>()
    for (const { id } of tickets) {
      const cancelled = await this.queue.cancelWithin(trx, message.outbox, id, CANCEL_REASON, {
        profile,
      })
      if (cancelled) branches.add(cancelled.branchId)
    }
    if (branches.size > 0) {
      message.afterCommit(async () => {
        for (const branchId of branches) await liveVersion.bump(branchId)
      })
      return true
    }

    if (!menu || menu.expiresAt < clock.now().minus({ hours: CHAT_MEMORY_HOURS })) return false
    await this.#answer(message, 'queue_nothing_to_cancel', locale, {})
    return true
  }

  /**
   * The phone's number of today at the branch, taken in the chat and still to be served. (A plain
   * read: a number taken by the same phone's message a moment ago may not show yet on MySQL, but
   * that message closed the menu, which is what stops a second number.)
   */
  #heldTicket(message: QueueChatMessage, entry: BranchEntry) {
    return Ticket.forTenant(message.profile.tenantId, { client: message.trx })
      .where('branch_id', entry.branch.id)
      .where('service_date', entry.branch.today())
      .where('customer_phone', message.phone)
      .where('channel', 'whatsapp')
      .whereIn('status', [...HELD_STATUSES])
      .orderBy('queued_at')
      .first()
  }

  /** The phone's menu row, locked (MySQL) so that one phone's commands run one at a time. */
  #lockedMenu(message: QueueChatMessage) {
    const query = WhatsappQueueMenu.forTenant(message.profile.tenantId, {
      client: message.trx,
    }).where('phone', message.phone)
    if (hasRowLocks(message.trx)) query.forUpdate()
    return query.first()
  }

  /**
   * Remembers what was offered to the phone, overwriting its earlier menu. Two first menus of a
   * phone at once clash on the unique (tenant, phone) index; WhatsappInbound then runs the
   * message again, and it finds the row.
   */
  async #remember(
    message: QueueChatMessage,
    branchId: number,
    offered: { id: number }[],
    locale: string
  ) {
    const menu =
      (await this.#lockedMenu(message)) ??
      new WhatsappQueueMenu().merge({ tenantId: message.profile.tenantId, phone: message.phone })
    menu.merge({
      branchId,
      offered: offered.map((service) => service.id),
      locale,
      expiresAt: clock.now().plus({ minutes: MENU_MINUTES }),
    })
    menu.useTransaction(message.trx)
    await menu.save()
  }

  /** How many wait now for each service of the branch. */
  async #waitingByService(trx: TransactionClientContract, entry: BranchEntry) {
    const rows = await trx
      .from('tickets')
      .where('branch_id', entry.branch.id)
      .where('service_date', entry.branch.today())
      .where('status', 'waiting')
      .groupBy('service_id')
      .select('service_id')
      .count('* as total')
    return new Map(rows.map((row) => [Number(row.service_id), Number(row.total)]))
  }

  async #answerHeld(message: QueueChatMessage, entry: BranchEntry, ticket: Ticket, locale: string) {
    const chatLocale = ticket.locale ?? locale
    const variables = await ticketVariables(sqlOf(message.trx), ticket, {
      profile: message.profile,
      entry,
    })
    await this.#answer(message, 'queue_ticket_held', chatLocale, {
      variables,
      branchId: entry.branch.id,
      subject: { type: 'ticket', id: ticket.id },
    })
    return true
  }

  async #unavailable(
    message: QueueChatMessage,
    entry: BranchEntry,
    reason: string,
    locale: string
  ) {
    await this.#answer(message, 'queue_unavailable', locale, {
      variables: { branch_name: entry.branch.name, reason },
      branchId: entry.branch.id,
    })
    return true
  }

  /** The tenant's branches, each as the message that opens its menu (`ANTRI <slug> (name)`). */
  async #whichBranch(message: QueueChatMessage, locale: string) {
    const keyword = i18nManager.locale(locale).t('messaging.queue_chat.keyword')
    const branches = await Branch.forTenant(message.profile.tenantId, { client: message.trx })
      .orderBy('name')
      .limit(LISTED_BRANCHES)
    await this.#answer(message, 'queue_which_branch', locale, {
      variables: {
        branches: branches.map((branch) => `${keyword} ${branch.slug} (${branch.name})`).join('\n'),
      },
    })
    return true
  }

  /** An answer in the chat, through the outbox: once per message and event. */
  #answer(
    message: QueueChatMessage,
    event: MessageEvent,
    locale: string,
    options: {
      variables?: Record<string, string>
      branchId?: number
      subject?: { type: string; id: string }
      interactive?: WhatsappInteractive
    }
  ) {
    const { profile } = message
    return enqueueNotification(
      sqlOf(message.trx),
      message.outbox,
      profile,
      {
        event,
        channel: 'whatsapp',
        recipient: message.phone,
        locale,
        branchId: options.branchId ?? null,
        variables: {
          tenant_name: profile.tenantName,
          ...options.variables,
          ...(options.interactive
            ? { whatsapp_interactive: JSON.stringify(options.interactive) }
            : {}),
        },
        subject: options.subject,
        dedupeKey: `wa:${message.messageId}:${event}`.slice(0, 120),
      },
      clock.now()
    )
  }
}

/**
 * Why a branch with no service open now takes no number, in `locale`: when the first of its
 * services opens again ("Buka lagi Senin 08:00"), or that it does not for now.
 */
function closedReason(entry: BranchEntry, locale: string) {
  const next = entry.services
    .map((service) => branchDirectory.openState(entry, service).nextOpening)
    .filter((moment): moment is DateTime => moment !== null)
    .sort((a, b) => a.toMillis() - b.toMillis())[0]
  const i18n = i18nManager.locale(locale)
  return next
    ? i18n.t('errors.branch_closed', { opens: formatMoment(next, 'weekdayClock', locale) })
    : i18n.t('errors.branch_closed_indefinitely')
}
