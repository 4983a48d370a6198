import { urlToken } from '#support/secrets'
import type { DateTime } from 'luxon'
import MessagingChannel from '#models/messaging_channel'
import type Tenant from '#models/tenant'
import AuditTrail, { settingsChanges, type Actor } from '#services/platform/audit_trail'
import clock from '#support/clock'
import { enqueueNotification } from '#services/messaging/notifications'
import messagingDirectory from '#services/messaging/messaging_directory'
import { transactionWithOutbox } from '#services/messaging/outbox'
import { withTransaction } from '#support/database'
import { sqlOf } from '#support/sql'
import { DEFAULT_SMS_BASE_URL } from '#channels/sms_channel'
import type { ChannelKind } from '#enums/messaging'
import { isUniqueViolation } from '#support/database'
import { inject } from '@adonisjs/core'
import {
  type ProviderFields,
  settingsCard,
  storedSecrets,
  takeSecrets,
} from '#services/platform/provider_settings'

/** The channels a tenant connects to its own provider account (`log` needs none). */
const CONFIGURABLE_CHANNELS = ['whatsapp', 'sms', 'email'] as const satisfies readonly ChannelKind[]
export type ConfigurableChannel = (typeof CONFIGURABLE_CHANNELS)[number]

/** Channel forms always list `shown` (possibly empty); `optional` fields left blank are not stored at all. */
type ChannelFields = ProviderFields & { shown: string[]; optional?: string[] }

const FIELDS: Record<ConfigurableChannel, ChannelFields> = {
  whatsapp: {
    visible: ['phone_number_id', 'display_phone'],
    shown: ['verify_token'],
    optional: ['display_phone'],
    secrets: ['access_token', 'app_secret'],
    defaults: {},
  },
  sms: {
    visible: ['base_url', 'account_sid', 'from'],
    shown: [],
    secrets: ['auth_token'],
    defaults: { base_url: DEFAULT_SMS_BASE_URL },
  },
  email: {
    visible: ['host', 'port', 'secure', 'username', 'from_address', 'from_name'],
    shown: [],
    secrets: ['password'],
    defaults: { port: 587, secure: false, username: null, from_name: null },
  },
}

/** One channel as the admin page shows it: no secret leaves this object, only whether one is stored. */
export interface ChannelCard {
  kind: ConfigurableChannel
  configured: boolean
  isActive: boolean
  values: Record<string, unknown>
  secretsSet: Record<string, boolean>
  updatedAt: DateTime | null
}

export type TestOutcome =
  { outcome: 'queued'; id: number } | { outcome: 'channel_off' } | { outcome: 'opted_out' }

/**
 * A tenant's provider accounts (WhatsApp Cloud API, an SMS gateway, an SMTP server): saved with
 * an audit-log row that never holds a secret, and tried with a test message through the outbox.
 */
@inject()
export default class MessagingChannels {
  constructor(protected auditTrail: AuditTrail) {}

  async overview(tenantId: number): Promise<ChannelCard[]> {
    const rows = await MessagingChannel.forTenant(tenantId).whereIn('kind', [
      ...CONFIGURABLE_CHANNELS,
    ])
    return CONFIGURABLE_CHANNELS.map((kind) => {
      const row = rows.find((candidate) => candidate.kind === kind)
      return { kind, ...settingsCard(row, FIELDS[kind]) }
    })
  }

  /** The secrets a tenant already stored for `kind` (the form may leave them blank). */
  async storedSecrets(tenantId: number, kind: ConfigurableChannel) {
    const row = await this.#find(tenantId, kind)
    return storedSecrets(row, FIELDS[kind])
  }

  /**
   * Saves the account from the validated form: blank secrets keep the stored ones, a WhatsApp
   * channel without a verify token gets a random one. The audit log records which fields changed,
   * with values for the plain ones and only the names of the secrets.
   */
  async save(
    tenant: Tenant,
    kind: ConfigurableChannel,
    input: Record<string, unknown>,
    actor: Actor
  ): Promise<MessagingChannel> {
    const fields = FIELDS[kind]
    const existing = await this.#find(tenant.id, kind)
    const before: Record<string, unknown> = { ...fields.defaults, ...(existing?.settings ?? {}) }
    const after: Record<string, unknown> = { ...before }

    for (const key of [...fields.visible, ...fields.shown]) {
      if (input[key] !== undefined && input[key] !== null) after[key] = input[key]
      else if (!fields.shown.includes(key)) after[key] = fields.defaults[key] ?? null
    }
    takeSecrets(after, input, fields)
    if (kind === 'email') after.secure = Boolean(input.secure)
    if (kind === 'whatsapp' && !after.verify_token) after.verify_token = urlToken()
    for (const key of fields.optional ?? []) if (after[key] === null) delete after[key]

    const isActive = Boolean(input.is_active)
    const changes = settingsChanges(
      before,
      after,
      { logged: fields.visible, unlogged: [...fields.shown, ...fields.secrets] },
      { was: existing?.isActive ?? null, is: isActive }
    )
    if (existing && Object.keys(changes).length === 0) return existing

    const channel = existing ?? new MessagingChannel()
    try {
      await withTransaction(async (trx) => {
        channel.useTransaction(trx)
        channel.merge({ tenantId: tenant.id, kind, isActive, settings: after })
        await channel.save()
        await this.auditTrail.record(
          {
            action: existing ? 'messaging_channel.updated' : 'messaging_channel.created',
            tenantId: tenant.id,
            branchId: null,
            subject: { type: 'messaging_channel', id: kind },
            changes,
          },
          actor,
          trx
        )
      })
    } catch (error) {
      // The same form sent twice at once: the other request made the row; this one saves over it.
      if (existing || !isUniqueViolation(error)) throw error
      return this.save(tenant, kind, input, actor)
    }
    // The model hook forgot the cached profile before the commit; forget it again after, so no request caches the old one.
    messagingDirectory.forget(tenant.id)
    return channel
  }

  /**
   * Writes a test message to `recipient` in the outbox, where the worker delivers it like any
   * other. Nothing is written when the channel is off or the recipient opted out.
   */
  async sendTest(
    tenant: Tenant,
    kind: ConfigurableChannel,
    recipient: string,
    locale: string
  ): Promise<TestOutcome> {
    const profile = await messagingDirectory.get(tenant.id)
    if (!profile.activeChannels.has(kind)) return { outcome: 'channel_off' }
    const id = await transactionWithOutbox((trx, outbox) =>
      enqueueNotification(
        sqlOf(trx),
        outbox,
        profile,
        {
          event: 'test_message',
          channel: kind,
          recipient,
          locale,
          variables: { tenant_name: tenant.name },
        },
        clock.now()
      )
    )
    return id ? { outcome: 'queued', id } : { outcome: 'opted_out' }
  }

  #find(tenantId: number, kind: ConfigurableChannel) {
    return MessagingChannel.forTenant(tenantId).where('kind', kind).first()
  }
}
