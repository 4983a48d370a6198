import { createHash, randomUUID } from 'node:crypto'
import drive from '@adonisjs/drive/services/main'
import logger from '@adonisjs/core/services/logger'
import ConversationMessage from '#models/conversation_message'
import MessagingChannel from '#models/messaging_channel'
import liveVersion from '#support/live_version'
import clock from '#support/clock'
import { toSqlDateTime } from '#models/columns'
import { CHAT_MEDIA_TYPES, detectUploadType, uploadExtension } from '#support/uploads'
import { DeliveryError } from '#services/messaging/outbox'
import { PROVIDER_TIMEOUT_MS, providerRequest } from '#channels/http'
import { whatsappGraphUrl, type WhatsappSettings } from '#channels/whatsapp_channel'

/** The largest file a conversation keeps (WhatsApp's own limit for audio and video). */
export const MEDIA_MAX_BYTES = 16 * 1024 * 1024

/**
 * The media of customers' WhatsApp messages (images, documents, voice notes, video), fetched from
 * the Graph API after the message is stored: its metadata (`GET /<media id>`: url, type, size,
 * sha256), then its bytes from that url, both with the tenant's access token. The bytes must
 * match Meta's sha256, stay under MEDIA_MAX_BYTES and be of an allowed type by their own
 * signature (never by the type claimed); they are kept through drive under a key of our choosing.
 * A provider that does not answer is tried again by the job queue; a refusal is final and the
 * message shows why.
 */
export default class InboxMedia {
  /** Media still pending a while after it arrived (its job was lost): fetched now, a few at a time. */
  async fetchStale() {
    const stale = await ConversationMessage.query()
      .where('media_status', 'pending')
      .where('created_at', '<', toSqlDateTime(clock.now().minus({ minutes: 2 })))
      .orderBy('id')
      .limit(20)
      .select('id')
    for (const message of stale) {
      try {
        await this.fetch(message.id)
      } catch (error) {
        logger.warn({ err: error, message: message.id }, 'inbox media still not fetched')
      }
    }
  }

  async fetch(messageId: number) {
    const message = await ConversationMessage.query().where('id', messageId).first()
    if (!message || message.mediaStatus !== 'pending' || !message.mediaId) return
    const channel = await MessagingChannel.forTenant(message.tenantId)
      .where('kind', 'whatsapp')
      .first()
    const settings = channel?.settings as WhatsappSettings | undefined
    if (!settings?.access_token) return this.#fail(message, 'no_channel')

    const headers = { authorization: `Bearer ${settings.access_token}` }
    const info = await providerRequest(
      'WhatsApp',
      `${whatsappGraphUrl()}/${encodeURIComponent(message.mediaId)}`,
      { headers }
    )
    if (info.status >= 500 || info.status === 429)
      throw new DeliveryError(`WhatsApp media: HTTP ${info.status}`, true)
    if (info.status !== 200 || typeof info.json?.url !== 'string')
      return this.#fail(message, `metadata_${info.status}`)
    if (Number(info.json.file_size) > MEDIA_MAX_BYTES) return this.#fail(message, 'too_large')

    const bytes = await download(info.json.url, headers)
    if (bytes === 'gone') return this.#fail(message, 'download_refused')
    if (bytes.length > MEDIA_MAX_BYTES) return this.#fail(message, 'too_large')
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const claimed = typeof info.json.sha256 === 'string' ? info.json.sha256 : message.mediaSha256
    if (claimed && claimed.toLowerCase() !== sha256) return this.#fail(message, 'checksum')
    const type = detectUploadType(bytes)
    if (!type || !CHAT_MEDIA_TYPES.includes(type)) return this.#fail(message, 'type_refused')

    const key = `inbox/${message.tenantId}/${message.conversationId}/${randomUUID()}.${uploadExtension(type)}`
    await drive.use().put(key, bytes, { contentType: type })
    const stored = await ConversationMessage.query()
      .where('id', message.id)
      .where('media_status', 'pending')
      .update({
        media_path: key,
        media_type: type,
        media_size: bytes.length,
        media_sha256: sha256,
        media_status: 'stored',
      })
    // Another worker stored it first (a retried job): keep one copy.
    if (Number(stored[0] ?? stored) === 0) await drive.use().delete(key)
    await liveVersion.bumpInbox(message.tenantId)
  }

  async #fail(message: ConversationMessage, reason: string) {
    logger.warn({ message: message.id, reason }, 'inbox media not kept')
    await ConversationMessage.query()
      .where('id', message.id)
      .where('media_status', 'pending')
      .update({ media_status: 'failed', media_name: message.mediaName ?? reason })
    await liveVersion.bumpInbox(message.tenantId)
  }
}

/** The bytes at a media url; 'gone' when Meta refuses (an expired url); a retryable error when it does not answer. */
async function download(url: string, headers: Record<string, string>): Promise<Buffer | 'gone'> {
  let response: Response
  try {
    response = await fetch(url, {
      headers,
      redirect: 'error',
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    })
  } catch (error) {
    throw new DeliveryError(`WhatsApp media: ${(error as Error).message}`, true)
  }
  if (response.status >= 500 || response.status === 429)
    throw new DeliveryError(`WhatsApp media: HTTP ${response.status}`, true)
  if (response.status !== 200) return 'gone'
  const declared = Number(response.headers.get('content-length'))
  if (declared > MEDIA_MAX_BYTES) return Buffer.alloc(MEDIA_MAX_BYTES + 1)
  return Buffer.from(await response.arrayBuffer())
}
