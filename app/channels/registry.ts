import MessagingChannel from '#models/messaging_channel'
import { DeliveryError } from '#services/messaging/outbox'
import type { ChannelDriver } from '#channels/channel'
import LogChannel from '#channels/log_channel'
import WhatsappChannel, { type WhatsappSettings } from '#channels/whatsapp_channel'
import SmsChannel, { type SmsSettings } from '#channels/sms_channel'
import EmailChannel, { type EmailSettings } from '#channels/email_channel'
import type { ChannelKind } from '#enums/messaging'
import type OptOuts from '#services/messaging/opt_outs'

/** What drivers need besides their settings. */
export interface DriverServices {
  optOuts: OptOuts
}

/** Builds the driver of a configured channel from its (decrypted) settings. */
type DriverFactory = (settings: Record<string, any>, services: DriverServices) => ChannelDriver

const FACTORIES: Partial<Record<ChannelKind, DriverFactory>> = {
  log: () => new LogChannel(),
  whatsapp: (settings) => new WhatsappChannel(settings as WhatsappSettings),
  sms: (settings, services) => new SmsChannel(settings as SmsSettings, services.optOuts),
  email: (settings) => new EmailChannel(settings as EmailSettings),
}

/** The driver that sends a tenant's messages on `kind`, from the tenant's own provider account. */
export async function driverFor(
  tenantId: number,
  kind: ChannelKind,
  services: DriverServices
): Promise<ChannelDriver> {
  const factory = FACTORIES[kind]
  if (!factory) throw new DeliveryError(`No driver for channel "${kind}"`, false)
  if (kind === 'log') return factory({}, services)
  const channel = await MessagingChannel.forTenant(tenantId).where('kind', kind).first()
  if (!channel || !channel.isActive)
    throw new DeliveryError(
      `The ${kind} channel is not set up or is switched off`,
      false,
      'channel_off'
    )
  return factory(channel.settings, services)
}
