import vine from '@vinejs/vine'
import { isoDate, recordId } from '#validators/fields'
import { CONVERSATION_STATUSES, OUTCOMES, TICKET_KINDS } from '#enums/inbox'

/*
| The inbox's forms and filters (/app/inbox): the list's filter, a reply (text, or an approved
| template with its parameters outside WhatsApp's window), a note, assigning, filing and moving a
| ticket, and the presence heartbeat.
*/

export const inboxFilterValidator = vine.compile(
  vine.object({
    status: vine.enum(CONVERSATION_STATUSES).optional(),
    team: vine.enum(TICKET_KINDS).optional(),
    assignee: vine
      .string()
      .trim()
      .regex(/^(me|none|\d{1,10})$/)
      .optional(),
    category: vine.string().trim().maxLength(40).optional(),
    sla: vine.enum(['breached', 'at_risk'] as const).optional(),
    q: vine.string().trim().maxLength(80).optional(),
    page: vine.number().withoutDecimals().range([1, 100_000]).optional(),
  })
)

export const replyValidator = vine.compile(
  vine.object({
    text: vine.string().trim().maxLength(4096).optional(),
    seen_message_id: vine.number().withoutDecimals().min(0),
    confirmed: vine.boolean().optional(),
    template: vine.string().trim().maxLength(120).optional(),
    parameters: vine.array(vine.string().trim().maxLength(500)).maxLength(10).optional(),
    /** Typed again by its bytes when stored (JPEG, PNG or PDF); the size is checked there too. */
    attachment: vine.file({ size: '16mb' }).optional(),
  })
)

export const noteValidator = vine.compile(
  vine.object({ text: vine.string().trim().minLength(1).maxLength(4096) })
)

export const assignValidator = vine.compile(vine.object({ assignee_id: recordId().optional() }))

/** The outlet an agent links the conversation's contact to. */
export const linkOutletValidator = vine.compile(vine.object({ outlet_id: recordId() }))

export const categoryValidator = vine.compile(
  vine.object({ category: vine.string().trim().maxLength(40).optional() })
)

export const moveValidator = vine.compile(
  vine.object({
    status: vine.enum(CONVERSATION_STATUSES),
    outcome: vine.enum(OUTCOMES).optional(),
  })
)

export const presenceValidator = vine.compile(vine.object({ typing: vine.boolean().optional() }))

/** A canned reply: `/shortcut` (letters, digits, `-` and `_`), a title, and its text. */
export const cannedReplyValidator = vine.compile(
  vine.object({
    shortcut: vine
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9_-]{1,40}$/),
    title: vine.string().trim().minLength(1).maxLength(120),
    body: vine.string().trim().minLength(1).maxLength(4096),
  })
)

/** The inbox's settings form: categories and templates one a line (parsed by inbox_settings_form.ts). */
export const inboxSettingsValidator = vine.compile(
  vine.object({
    categories: vine.string().trim().maxLength(4000),
    templates: vine.string().trim().maxLength(8000).optional(),
    first_response_minutes: vine
      .number()
      .withoutDecimals()
      .range([1, 7 * 24 * 60]),
    resolution_minutes: vine
      .number()
      .withoutDecimals()
      .range([1, 90 * 24 * 60]),
    reopen_days: vine.number().withoutDecimals().range([0, 90]),
    csat_enabled: vine.boolean().optional(),
    auto_assign: vine.boolean().optional(),
  })
)

/** The inbox analytics' period (`/app/inbox-analytics?from=&to=`): local days, at most 366 of them. */
export const inboxAnalyticsValidator = vine.compile(
  vine.object({
    from: isoDate().optional(),
    to: isoDate().optional(),
  })
)
