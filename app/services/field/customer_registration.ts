import { inject } from '@adonisjs/core'
import i18nManager from '@adonisjs/i18n/services/main'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import CustomerDirectory from '#services/field/customer_directory'
import { enqueueNotification } from '#services/messaging/notifications'
import type { MessagingProfile } from '#services/messaging/messaging_directory'
import type { OutboxBatch } from '#services/messaging/outbox'
import type { FieldSettings } from '#models/settings/field_settings'
import { sqlOf } from '#support/sql'
import clock from '#support/clock'

/** The longest name and address a registration may carry (the customers table's columns). */
export const MAX_REGISTRATION_NAME = 120
export const MAX_REGISTRATION_ADDRESS = 500

export type RegistrationProblem =
  'missing_name' | 'missing_address' | 'name_too_long' | 'address_too_long' | 'name_without_letters'

/** What a WhatsApp text says in the tenant's registration format. */
export type Registration =
  | { kind: 'register'; name: string; address: string }
  | { kind: 'malformed'; problem: RegistrationProblem }

type RegistrationFormat = Pick<FieldSettings, 'registrationKeyword' | 'registrationSeparator'>

/**
 * Reads a customer's text as a registration (`DAFTAR#Budi Santoso#Jl. Melati 5, Bandung`), or
 * null when it is not one. It is one when its first part, trimmed and in any case, is the
 * keyword followed by the separator, or when it is the keyword alone (which gets the correction
 * hint). A keyword that is only the first word of a sentence is not one: "Daftar harga servis?"
 * asks for a price list, and must not be answered with a registration hint.
 *
 * The name is the second part; the address is everything after it, separators kept, so that
 * `DAFTAR,Budi,Jl. Melati 5, Bandung` (a comma-separated format) keeps its whole address. Runs of
 * spaces and line breaks become one space.
 */
export function parseRegistration(text: string, format: RegistrationFormat): Registration | null {
  const keyword = format.registrationKeyword.trim().toUpperCase()
  const separator = format.registrationSeparator
  if (!keyword || !separator) return null
  const message = text.trim()
  if (tidy(message).toUpperCase() === keyword) return { kind: 'malformed', problem: 'missing_name' }
  const at = message.indexOf(separator)
  if (at < 0 || tidy(message.slice(0, at)).toUpperCase() !== keyword) return null

  const rest = message.slice(at + separator.length)
  const nameEnd = rest.indexOf(separator)
  const name = tidy(nameEnd < 0 ? rest : rest.slice(0, nameEnd))
  const address =
    nameEnd < 0 ? '' : trimSeparators(tidy(rest.slice(nameEnd + separator.length)), separator)
  if (!name) return { kind: 'malformed', problem: 'missing_name' }
  if (name.length > MAX_REGISTRATION_NAME) return { kind: 'malformed', problem: 'name_too_long' }
  if (!/\p{L}/u.test(name)) return { kind: 'malformed', problem: 'name_without_letters' }
  if (!address) return { kind: 'malformed', problem: 'missing_address' }
  if (address.length > MAX_REGISTRATION_ADDRESS)
    return { kind: 'malformed', problem: 'address_too_long' }
  return { kind: 'register', name, address }
}

/**
 * The format and an example of it as the correction hint shows them, the placeholders in
 * `locale`: `DAFTAR#Nama#Alamat`, `DAFTAR#Budi Santoso#Jl. Melati 5, Bandung`.
 */
export function registrationFormat(format: RegistrationFormat, locale: string) {
  const i18n = i18nManager.locale(locale)
  const join = (...parts: string[]) => parts.join(format.registrationSeparator)
  return {
    format: join(
      format.registrationKeyword,
      i18n.t('customers.registration.name'),
      i18n.t('customers.registration.address')
    ),
    example: join(format.registrationKeyword, 'Budi Santoso', 'Jl. Melati 5, Bandung'),
  }
}

/**
 * WhatsApp self-registration (seed 003, MDM): a customer's message in the tenant's format creates
 * or updates the customer with the sender's phone (source `whatsapp`) and answers with a
 * confirmation; a malformed one gets the format and an example. Both run in the transaction of
 * the webhook item's receipt (WhatsappInbound), so a message Meta sends again changes nothing and
 * answers nothing; the answers go out through the outbox.
 */
@inject()
export default class CustomerRegistration {
  constructor(protected customers: CustomerDirectory) {}

  /** Applies `registration`, sent from `phone` (E.164) in message `messageId`, and writes the answer. */
  async apply(
    trx: TransactionClientContract,
    outbox: OutboxBatch,
    profile: MessagingProfile,
    format: RegistrationFormat,
    phone: string,
    messageId: string,
    registration: Registration
  ) {
    const reply = (
      event: 'customer_registered' | 'customer_registration_help',
      variables: Record<string, string>
    ) =>
      enqueueNotification(
        sqlOf(trx),
        outbox,
        profile,
        {
          event,
          channel: 'whatsapp',
          recipient: phone,
          locale: profile.tenantLocale,
          variables: { tenant_name: profile.tenantName, ...variables },
          dedupeKey: `wa:${messageId}:${event}`.slice(0, 120),
        },
        clock.now()
      )

    if (registration.kind === 'malformed') {
      await reply('customer_registration_help', registrationFormat(format, profile.tenantLocale))
      return { outcome: 'help' as const, customer: null }
    }
    const { customer, created } = await this.customers.upsertByPhone(
      trx,
      profile.tenantId,
      phone,
      { name: registration.name, address: registration.address },
      'whatsapp'
    )
    await reply('customer_registered', {
      customer_name: customer.name,
      customer_address: customer.address ?? '',
    })
    return { outcome: created ? ('created' as const) : ('updated' as const), customer }
  }
}

/** Trimmed, with runs of white space as one space. */
function tidy(text: string) {
  return text.replace(/\s+/g, ' ').trim()
}

/** `text` without separators left at its ends (`Jl. Melati 5#`), trimmed again. */
function trimSeparators(text: string, separator: string) {
  let result = text
  while (result.startsWith(separator)) result = result.slice(separator.length).trim()
  while (result.endsWith(separator)) result = result.slice(0, -separator.length).trim()
  return result
}
