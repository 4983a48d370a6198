import vine from '@vinejs/vine'
import type { I18n } from '@adonisjs/i18n'
import type { MessagesProviderContact } from '@vinejs/vine/types'
import { DELIVERY_STATUSES, WEBHOOK_EVENTS } from '#enums/messaging'
import { strictWebhookUrls, webhookUrlProblem } from '#services/messaging/webhook_url'

/**
 * An absolute http(s) URL; in production https only, never localhost or a private, loopback
 * or link-local address literal (see webhookUrlProblem). Each refusal is its own rule, with its
 * own message: `webhookUrl.<problem>`.
 */
const webhookUrl = vine.createRule<undefined>((value, _, field) => {
  if (typeof value !== 'string') return
  const problem = webhookUrlProblem(value, { production: strictWebhookUrls() })
  if (problem) field.report(`The URL is not accepted (${problem})`, `webhookUrl.${problem}`, field)
})

/** An endpoint as an admin creates or edits it. */
export const webhookEndpointValidator = vine.compile(
  vine.object({
    url: vine.string().trim().maxLength(500).use(webhookUrl()),
    description: vine.string().trim().maxLength(120).optional(),
    events: vine.array(vine.enum(WEBHOOK_EVENTS)).minLength(1).distinct(),
    is_active: vine.boolean().optional(),
  })
)

/** An empty query string value (`?status=`, the "every status" choice) is no filter. */
const blankIsMissing = (value: unknown) => (value === '' ? undefined : value)

/** Filters of an endpoint's delivery log (and the page), from its query string or a form going back to it. */
export const webhookDeliveriesValidator = vine.compile(
  vine.object({
    status: vine.enum(DELIVERY_STATUSES).parse(blankIsMissing).optional(),
    page: vine.number().positive().withoutDecimals().parse(blankIsMissing).optional(),
  })
)

/**
 * Validation messages of the webhook forms, in the user's language: `webhooks.validation.messages`
 * (resources/lang/<locale>/webhooks.json) first, then the shared ones (validator.json).
 */
export function webhookMessages(i18n: I18n): MessagesProviderContact {
  const prefix = 'webhooks.validation'
  const own = i18n.createMessagesProvider(prefix)
  const shared = i18n.createMessagesProvider()
  return {
    getMessage(defaultMessage, rule, field, meta) {
      const hasOwn =
        i18n.resolveIdentifier(`${prefix}.messages.${field.wildCardPath}.${rule}`) !== null ||
        i18n.resolveIdentifier(`${prefix}.messages.${rule}`) !== null
      return (hasOwn ? own : shared).getMessage(defaultMessage, rule, field, meta)
    },
  }
}
