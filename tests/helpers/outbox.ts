import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import jobs, { InProcessDriver } from '#support/jobs'
import { DEFAULT_GRAPH_URL } from '#channels/whatsapp_channel'
import type { World } from '#tests/helpers/world'
import type { MessagingSettings } from '#models/settings/messaging_settings'
import type { FakeWhatsappGraph } from '#tests/fakes/whatsapp_graph'

/** Turns on messages to visitors for the world's tenant (the `log` channel unless told otherwise). */
export async function messageVisitors(
  world: Pick<World, 'tenant'>,
  settings: Partial<MessagingSettings> = {}
) {
  world.tenant.messagingSettings = JSON.stringify({ visitorChannel: 'log', ...settings })
  await world.tenant.save()
}

/** Sends the app's WhatsApp messages to `graph`, a started fake Graph API, until the returned function puts the URL back. */
export function whatsappThrough(graph: FakeWhatsappGraph) {
  const previousUrl = env.get('WHATSAPP_GRAPH_URL')
  env.set('WHATSAPP_GRAPH_URL', `${graph.url}/v21.0`)
  return () => env.set('WHATSAPP_GRAPH_URL', previousUrl ?? DEFAULT_GRAPH_URL)
}

/** Runs jobs in this process (`jobs.idle()` awaits them) until the returned function lets them finish and puts the driver back. */
export function jobsInProcess() {
  const previousDriver = jobs.use(new InProcessDriver())
  return async () => {
    await jobs.idle()
    jobs.use(previousDriver)
  }
}

/**
 * Waits until no outbox row of the tenant is still on its way (queued, sending or retrying):
 * in-process jobs are awaited, Bull jobs are waited for by polling the rows.
 */
export async function outboxSettled(tenantId: number, timeoutMs = 20_000) {
  const started = Date.now()
  for (;;) {
    await jobs.idle()
    const pending = await db
      .from('notifications')
      .where('tenant_id', tenantId)
      .whereIn('status', ['queued', 'sending', 'failed'])
      .unionAll((query) =>
        query
          .from('webhook_deliveries')
          .where('tenant_id', tenantId)
          .whereIn('status', ['queued', 'sending', 'failed'])
          .select('id')
      )
      .select('id')
    if (pending.length === 0) return
    if (Date.now() - started > timeoutMs)
      throw new Error(`outbox rows still pending after ${timeoutMs} ms: ${pending.length}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
