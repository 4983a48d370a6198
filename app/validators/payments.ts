import vine from '@vinejs/vine'
import type { I18n } from '@adonisjs/i18n'
import { formMessages } from '#validators/fields'

/** What the gateway forms know of the stored account: a secret already stored may be left blank to keep it. */
interface AccountMeta {
  stored: string[]
}

/** A write-only secret without spaces (of `pattern`): required until one is stored, then blank keeps it. */
const secret = (name: string, pattern = /^\S+$/) =>
  vine
    .string()
    .trim()
    .maxLength(255)
    .regex(pattern)
    .optional()
    .requiredWhen((field) => !(field.meta as AccountMeta).stored.includes(name))

/** A sandbox key (`SB-Mid-...`) with the production switch on would be refused by Midtrans on every link. */
const matchesEnvironment = vine.createRule((value, _, field) => {
  if (typeof value !== 'string') return
  if ([true, 1, '1', 'true', 'on'].includes(field.parent.is_production) && value.startsWith('SB-'))
    field.report('The {{ field }} field is a sandbox key', 'sandbox_key', field)
})

/** Midtrans: the server key (secret), the client key (public) and the production switch. */
export const midtransAccountValidator = vine.withMetaData<AccountMeta>().compile(
  vine.object({
    server_key: vine
      .string()
      .trim()
      .maxLength(255)
      .regex(/^\S+$/)
      .use(matchesEnvironment())
      .optional()
      .requiredWhen((field) => !(field.meta as AccountMeta).stored.includes('server_key')),
    client_key: vine.string().trim().maxLength(255).regex(/^\S+$/).optional(),
    is_production: vine.boolean().optional(),
    is_active: vine.boolean().optional(),
  })
)

/** Xendit: the secret API key and the callback verification token, both secrets. */
export const xenditAccountValidator = vine.withMetaData<AccountMeta>().compile(
  vine.object({
    secret_key: secret('secret_key', /^xnd_(development|production)_\S+$/),
    callback_token: secret('callback_token'),
    is_active: vine.boolean().optional(),
  })
)

/** Which gateway takes prepayments: one of them, or none. */
export const paymentProviderValidator = vine.compile(
  vine.object({
    provider: vine.enum(['none', 'midtrans', 'xendit'] as const),
  })
)

/** Validation messages of the gateway forms (resources/lang/<locale>/payments.json). */
export const paymentMessages = (i18n: I18n) => formMessages(i18n, 'payments.validator')
