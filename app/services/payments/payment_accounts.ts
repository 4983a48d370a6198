import type { DateTime } from 'luxon'
import Booking from '#models/booking'
import Invoice from '#models/invoice'
import Payment from '#models/payment'
import PaymentAccount from '#models/payment_account'
import PaymentNotification from '#models/payment_notification'
import Tenant from '#models/tenant'
import DomainError from '#exceptions/domain_error'
import AuditTrail, { settingsChanges, type Actor } from '#services/platform/audit_trail'
import Configuration from '#services/platform/configuration'
import { withTransaction } from '#support/database'
import Payments, { gatewayName } from '#services/payments/payments'
import { accountReady } from '#services/payments/registry'
import { ATTENTION_OUTCOMES, type NotificationOutcome } from '#services/payments/payment_state'
import { PAYMENT_PROVIDERS, type PaymentProvider } from '#enums/booking'
import { inject } from '@adonisjs/core'
import {
  type ProviderFields,
  settingsCard,
  storedSecrets,
  takeSecrets,
} from '#services/platform/provider_settings'

const FIELDS: Record<PaymentProvider, ProviderFields> = {
  midtrans: {
    visible: ['client_key', 'is_production'],
    secrets: ['server_key'],
    defaults: { client_key: null, is_production: false },
  },
  xendit: { visible: [], secrets: ['secret_key', 'callback_token'], defaults: {} },
}

/** One gateway as the admin page shows it: no secret leaves this object, only whether one is stored. */
export interface AccountCard {
  provider: PaymentProvider
  configured: boolean
  isActive: boolean
  /** Holds what links and notifications need. */
  ready: boolean
  values: Record<string, unknown>
  secretsSet: Record<string, boolean>
  updatedAt: DateTime | null
}

/** A payment with its booking and what each notification did, newest first. */
export interface PaymentEntry {
  payment: Payment
  booking: Pick<Booking, 'id' | 'code' | 'status' | 'customerName'> | null
  invoice: Pick<Invoice, 'id' | 'number' | 'status' | 'billToName'> | null
  notifications: Pick<PaymentNotification, 'id' | 'status' | 'outcome' | 'createdAt'>[]
  attention: boolean
}

/** How many payments the admin page lists, and how many notifications of unknown orders. */
const RECENT_PAYMENTS = 30
const RECENT_UNKNOWN = 10

/**
 * A tenant's gateway accounts (Midtrans, Xendit) and which one takes prepayments: saved with an
 * audit-log row that never holds a secret; and the latest payments with their notifications.
 */
@inject()
export default class PaymentAccounts {
  constructor(
    protected auditTrail: AuditTrail,
    protected configuration: Configuration,
    protected payments: Payments
  ) {}

  async overview(tenantId: number): Promise<AccountCard[]> {
    const rows = await PaymentAccount.forTenant(tenantId)
    return PAYMENT_PROVIDERS.map((provider) => {
      const row = rows.find((candidate) => candidate.provider === provider)
      return {
        provider,
        ...settingsCard(row, FIELDS[provider]),
        ready: Boolean(row && accountReady(row)),
      }
    })
  }

  /** The secrets a tenant already stored for `provider` (the form may leave them blank). */
  async storedSecrets(tenantId: number, provider: PaymentProvider) {
    const row = await this.#find(tenantId, provider)
    return storedSecrets(row, FIELDS[provider])
  }

  /**
   * Saves the account from the validated form: blank secrets keep the stored ones. The audit log
   * records the plain fields that changed with their values, and only the names of the secrets.
   */
  async save(
    tenant: Tenant,
    provider: PaymentProvider,
    input: Record<string, unknown>,
    actor: Actor
  ) {
    const fields = FIELDS[provider]
    const existing = await this.#find(tenant.id, provider)
    const before: Record<string, unknown> = { ...fields.defaults, ...(existing?.settings ?? {}) }
    const after: Record<string, unknown> = { ...before }
    for (const key of fields.visible) after[key] = input[key] ?? fields.defaults[key] ?? null
    if (provider === 'midtrans') after.is_production = Boolean(input.is_production)
    takeSecrets(after, input, fields)

    const isActive = Boolean(input.is_active)
    const changes = settingsChanges(
      before,
      after,
      { logged: fields.visible, unlogged: fields.secrets },
      { was: existing?.isActive ?? null, is: isActive }
    )
    if (existing && Object.keys(changes).length === 0) return existing

    const account = existing ?? new PaymentAccount()
    await withTransaction(async (trx) => {
      account.useTransaction(trx)
      account.merge({ tenantId: tenant.id, provider, isActive, settings: after })
      await account.save()
      await this.auditTrail.record(
        {
          action: existing ? 'payment_account.updated' : 'payment_account.created',
          tenantId: tenant.id,
          branchId: null,
          subject: { type: 'payment_account', id: provider },
          changes,
        },
        actor,
        trx
      )
    })
    // Notifications checked from now on use the new keys at once (on this server; others within seconds).
    this.payments.forgetAccounts(tenant.id)
    return account
  }

  /**
   * Which gateway takes the tenant's prepayments (null: none). Written into the tenant's booking
   * settings, every other key kept as stored; refused for a gateway without an active, complete account.
   */
  async chooseProvider(tenant: Tenant, provider: PaymentProvider | null, actor: Actor) {
    if (provider) {
      const account = await this.#find(tenant.id, provider)
      if (!account || !account.isActive || !accountReady(account)) {
        throw new DomainError('payment_provider_not_ready', { gateway: gatewayName(provider) }, 422)
      }
    }
    // Read the row again: the booking settings page may have written the other keys since `tenant` was loaded.
    const fresh = await Tenant.findOrFail(tenant.id)
    const stored = storedObject(fresh.bookingSettings)
    if ((stored.paymentProvider ?? null) === provider) return fresh
    return this.configuration.update(
      fresh,
      { bookingSettings: JSON.stringify({ ...stored, paymentProvider: provider }) },
      { subject: 'tenant', tenantId: fresh.id },
      actor,
      { action: 'payment_provider_updated' }
    )
  }

  /** The latest payments, each with its booking and notifications; and notifications for orders nobody knows. */
  async recent(tenantId: number) {
    const payments = await Payment.forTenant(tenantId).orderBy('id', 'desc').limit(RECENT_PAYMENTS)
    const ids = payments.map((payment) => payment.id)
    const notifications = ids.length
      ? await PaymentNotification.forTenant(tenantId)
          .whereIn('payment_id', ids)
          .select('id', 'payment_id', 'status', 'outcome', 'created_at')
          .orderBy('id', 'desc')
      : []
    const bookingIds = [...new Set(payments.map((payment) => payment.bookingId))].filter(isSet)
    const bookings = bookingIds.length
      ? await Booking.forTenant(tenantId)
          .whereIn('id', bookingIds)
          .select('id', 'code', 'status', 'customer_name')
      : []
    const invoiceIds = [...new Set(payments.map((payment) => payment.invoiceId))].filter(isSet)
    const invoices = invoiceIds.length
      ? await Invoice.forTenant(tenantId)
          .whereIn('id', invoiceIds)
          .select('id', 'number', 'status', 'bill_to_name')
      : []
    const entries: PaymentEntry[] = payments.map((payment) => {
      const own = notifications.filter((notification) => notification.paymentId === payment.id)
      return {
        payment,
        booking: bookings.find((booking) => booking.id === payment.bookingId) ?? null,
        invoice: invoices.find((invoice) => invoice.id === payment.invoiceId) ?? null,
        notifications: own,
        attention: own.some((notification) =>
          ATTENTION_OUTCOMES.includes(notification.outcome as NotificationOutcome)
        ),
      }
    })
    const unknownRows = await PaymentNotification.forTenant(tenantId)
      .whereNull('payment_id')
      .select('id', 'provider', 'status', 'outcome', 'raw', 'created_at')
      .orderBy('id', 'desc')
      .limit(RECENT_UNKNOWN)
    const unknown = unknownRows.map((row) => ({
      id: row.id,
      provider: row.provider,
      status: row.status,
      createdAt: row.createdAt,
      orderId: orderIdIn(row.raw),
    }))
    const [{ total }] = await PaymentNotification.forTenant(tenantId)
      .whereIn('outcome', [...ATTENTION_OUTCOMES])
      .count('* as total')
      .pojo<{ total: number | string }>()
    return { entries, unknown, attention: Number(total), attentionOutcomes: ATTENTION_OUTCOMES }
  }

  #find(tenantId: number, provider: PaymentProvider) {
    return PaymentAccount.forTenant(tenantId).where('provider', provider).first()
  }
}

function isSet<T>(value: T | null): value is T {
  return value !== null
}

/** The order id a stored notification names (Midtrans order_id, Xendit external_id). */
function orderIdIn(raw: string) {
  try {
    const body = JSON.parse(raw)
    const id = body?.order_id ?? body?.external_id
    return typeof id === 'string' ? id.slice(0, 64) : null
  } catch {
    return null
  }
}

/** The booking settings as stored (not completed with defaults), so that writing one key keeps the others. */
function storedObject(raw: string | null): Record<string, unknown> {
  if (!raw) return {}
  try {
    const value = JSON.parse(raw)
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {}
  } catch {
    return {}
  }
}
