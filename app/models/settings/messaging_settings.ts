import {
  PHONE_CHANNELS,
  VISITOR_EVENTS,
  type PhoneChannel,
  type VisitorEvent,
} from '#enums/messaging'

/**
 * How a tenant talks to its visitors. Stored as JSON on the tenant; every field has a default,
 * so a tenant that never opened the page sends nothing until it picks a channel.
 */
export interface MessagingSettings {
  /** The channel visitors who leave a phone number get their messages on; null sends none. */
  visitorChannel: PhoneChannel | null
  /** Which queue messages go out (all by default, once a channel is chosen). */
  events: Record<VisitorEvent, boolean>
}

const DEFAULT_MESSAGING_SETTINGS: MessagingSettings = {
  visitorChannel: null,
  events: Object.fromEntries(VISITOR_EVENTS.map((event) => [event, true])) as Record<
    VisitorEvent,
    boolean
  >,
}

/** The settings stored on a tenant, completed with defaults; unknown or broken JSON reads as defaults. */
export function parseMessagingSettings(raw: string | null | undefined): MessagingSettings {
  const defaults = structuredClone(DEFAULT_MESSAGING_SETTINGS)
  if (!raw) return defaults
  try {
    const stored = JSON.parse(raw) as Partial<MessagingSettings>
    const channel = stored.visitorChannel ?? null
    return {
      visitorChannel:
        channel && (PHONE_CHANNELS as readonly string[]).includes(channel) ? channel : null,
      events: { ...defaults.events, ...(stored.events ?? {}) },
    }
  } catch {
    return defaults
  }
}
