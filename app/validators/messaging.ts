import vine from '@vinejs/vine'
import { CHANNEL_KINDS, DELIVERY_STATUSES, MESSAGE_EVENTS, PHONE_CHANNELS, VISITOR_EVENTS, type MessageEvent } from '#enums/messaging'
import { unknownVariables } from '#services/messaging/message_templates'

/** How the tenant messages its visitors: the channel (or none) and which queue messages go out. */
export const messagingSettingsValidator = vine.compile(
  vine.object({
    visitor_channel: vine.enum(['none', ...PHONE_CHANNELS] as const),
    events: vine.object(Object.fromEntries(VISITOR_EVENTS.map((event) => [event, vine.boolean().optional()]))).optional(),
  })
)

/** Refuses `{{variables}}` the template's event does not know (a typo would reach visitors as "-"). */
const knownVariables = vine.createRule<undefined>((value, _, field) => {
  if (typeof value !== 'string') return
  const unknown = unknownVariables(field.meta.event, value)
  if (unknown.length > 0) {
    field.report(`Unknown variables: ${unknown.map((name) => `{{${name}}}`).join(', ')}`, 'template_variables', field, {
      names: unknown.map((name) => `{{${name}}}`).join(', '),
    })
  }
})

/** A tenant's wording of one message. */
export const templateValidator = vine.withMetaData<{ event: MessageEvent }>().compile(
  vine.object({
    subject: vine.string().trim().maxLength(200).use(knownVariables()).optional(),
    body: vine.string().trim().minLength(2).maxLength(4000).use(knownVariables()),
    whatsapp_template: vine
      .string()
      .trim()
      .maxLength(120)
      .regex(/^[a-z0-9_]+$/)
      .optional(),
  })
)

/** The preview renders whatever is typed, so it only bounds the sizes. */
export const templatePreviewValidator = vine.compile(
  vine.object({
    subject: vine.string().maxLength(200).optional(),
    body: vine.string().maxLength(4000).optional(),
  })
)

/** Filters of the outbox page. */
export const outboxFilterValidator = vine.compile(
  vine.object({
    status: vine.enum(DELIVERY_STATUSES).optional(),
    channel: vine.enum(CHANNEL_KINDS).optional(),
    event: vine.enum(MESSAGE_EVENTS).optional(),
    recipient: vine.string().trim().maxLength(190).optional(),
    before: vine.number().positive().withoutDecimals().optional(),
  })
)

/** Outbox rows an admin retries or drops. */
export const outboxSelectionValidator = vine.compile(
  vine.object({
    ids: vine.array(vine.number().positive().withoutDecimals()).minLength(1).maxLength(500),
  })
)
