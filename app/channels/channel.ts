import type { ChannelKind, MessageEvent } from '#enums/messaging'

/** A message as a channel driver sends it: already rendered, with what WhatsApp needs outside its window. */
export interface OutgoingMessage {
  /** The outbox row's id (drivers may pass it to the provider as a reference). */
  id: number
  tenantId: number
  event: MessageEvent
  /** E.164 phone number (`+6281234567890`) or email address. */
  recipient: string
  locale: string
  subject: string | null
  body: string
  /** WhatsApp, outside the 24-hour window: the approved template and its body parameters, in order. */
  whatsappTemplate: { name: string; language: string; parameters: string[] }
  /** WhatsApp, inside the window: choices to tap instead of the text (`body` stays the fallback). */
  whatsappInteractive?: WhatsappInteractive | null
  /** WhatsApp, inside the window: a stored file sent with `body` as its caption (an agent's attachment). */
  whatsappMedia?: WhatsappMedia | null
}

/** A file kept through drive that goes as a WhatsApp image (JPEG, PNG) or document (the rest). */
export interface WhatsappMedia {
  /** Its key on the drive disk. */
  path: string
  /** Its type, found from its bytes when it was uploaded. */
  type: string
  /** The name the customer sees on a document. */
  name: string | null
}

/**
 * Choices a WhatsApp message offers to tap: up to 3 go as reply buttons, up to 10 as a list
 * message. A tap comes back in the webhook as an `interactive` message with the choice's `id`.
 */
export interface WhatsappInteractive {
  /** The text above the choices (Meta allows 1024 characters). */
  body: string
  /** A list's button label (20 characters). */
  button: string
  choices: { id: string; title: string; description?: string }[]
}

export interface SendResult {
  /** The provider's id of the message (`wamid...`, `SM...`, an SMTP message id). */
  providerMessageId: string | null
}

/**
 * One way of reaching people (WhatsApp Cloud API, an SMS gateway, SMTP, the log). A driver sends
 * one message and returns the provider's id, or throws a DeliveryError (app/services/outbox.ts)
 * that says whether trying again can help.
 */
export interface ChannelDriver {
  readonly kind: ChannelKind
  send(message: OutgoingMessage): Promise<SendResult>
}
