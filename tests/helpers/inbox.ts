import { createHmac, randomBytes } from 'node:crypto'
import MessagingChannel from '#models/messaging_channel'
import User from '#models/user'
import { createWorld, PASSWORD, type WorldOptions } from '#tests/helpers/world'

/** The WhatsApp number id of the inbox worlds' channel. */
export const PHONE_NUMBER_ID = '106540352242922'

/**
 * A tenant with a WhatsApp channel (messages go to customers through it), messages to visitors on
 * WhatsApp, and an inbox team: two agents and a supervisor, besides createWorld's staff.
 */
export async function createInboxWorld(options: WorldOptions = {}) {
  const world = await createWorld(options)
  const secret = `secret-${world.key}`
  const channel = await MessagingChannel.create({
    tenantId: world.tenant.id,
    kind: 'whatsapp',
    isActive: true,
    settings: {
      phone_number_id: PHONE_NUMBER_ID,
      access_token: `token-${world.key}`,
      app_secret: secret,
      verify_token: `verify-${world.key}`,
    },
  })
  world.tenant.messagingSettings = JSON.stringify({ visitorChannel: 'whatsapp' })
  await world.tenant.save()
  const member = (role: User['role'], name: string) =>
    User.create({
      tenantId: world.tenant.id,
      branchId: null,
      fullName: `${name} ${world.key}`,
      email: `${name.toLowerCase()}-${world.key}@test.loket`,
      phone: `+62812${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
      password: PASSWORD,
      role,
      isActive: true,
    })
  const rina = await member('agent', 'Rina')
  const budi = await member('agent', 'Budi')
  const supervisor = await member('supervisor', 'Sari')
  return { ...world, channel, secret, rina, budi, supervisor }
}

export type InboxWorld = Awaited<ReturnType<typeof createInboxWorld>>

/** A customer's WhatsApp message as Meta sends it (`type` and its object), with a fresh id unless given. */
export function waMessage(
  from: string,
  content: Record<string, unknown> = { type: 'text', text: { body: 'Halo' } },
  options: { id?: string; timestamp?: number } = {}
) {
  return {
    from,
    id: options.id ?? `wamid.${randomBytes(12).toString('hex')}`,
    timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    ...content,
  }
}

/** Meta's webhook body with these messages (and the senders' profile names) or statuses. */
export function webhookBody(value: { messages?: any[]; statuses?: any[]; names?: string[] }) {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
              contacts: (value.messages ?? []).map((message, index) => ({
                profile: { name: value.names?.[index] ?? 'Pak Joko' },
                wa_id: message.from,
              })),
              messages: value.messages,
              statuses: value.statuses,
            },
          },
        ],
      },
    ],
  })
}

/** POSTs a webhook body to the world's WhatsApp webhook, signed with its app secret, as Meta does. */
export function deliver(world: Pick<InboxWorld, 'tenant' | 'secret'>, body: string) {
  const signature = `sha256=${createHmac('sha256', world.secret).update(body).digest('hex')}`
  return fetch(
    `http://${process.env.HOST}:${process.env.PORT}/webhooks/whatsapp/${world.tenant.slug}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body,
    }
  )
}
