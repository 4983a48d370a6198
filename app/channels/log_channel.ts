import logger from '@adonisjs/core/services/logger'
import type { ChannelDriver, OutgoingMessage } from '#channels/channel'

/** Development and demos: the message goes to the server log instead of a provider. */
export default class LogChannel implements ChannelDriver {
  readonly kind = 'log' as const

  async send(message: OutgoingMessage) {
    logger.info(
      {
        channel: 'log',
        to: message.recipient,
        event: message.event,
        subject: message.subject,
        body: message.body,
      },
      'message'
    )
    return { providerMessageId: `log-${message.id}` }
  }
}
