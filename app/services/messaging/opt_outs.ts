import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import clock from '#support/clock'
import { toSqlDateTime } from '#models/columns'
import { isUniqueViolation } from '#support/database'
import type OptOut from '#models/opt_out'
import type { ChannelKind } from '#enums/messaging'
import { tenantRows } from '#models/mixins/tenant_owned'

/**
 * Who asked a tenant to stop messaging them, per channel. The outbox writes nothing to them and
 * suppresses what was already queued (app/services/notifications.ts).
 */
export default class OptOuts {
  /** Records the opt-out; a repeat changes nothing. True when it is new. */
  async add(
    tenantId: number,
    channel: ChannelKind,
    recipient: string,
    source: OptOut['source'],
    client: QueryClientContract = db.connection()
  ) {
    if (await this.has(tenantId, channel, recipient, client)) return false
    try {
      await client.table('opt_outs').insert({
        tenant_id: tenantId,
        channel,
        recipient,
        source,
        created_at: toSqlDateTime(clock.now()),
      })
      return true
    } catch (error) {
      // Another request recorded it at the same moment: the unique index keeps one.
      if (isUniqueViolation(error)) return false
      throw error
    }
  }

  /** The recipient wants the tenant's messages again. True when there was an opt-out to remove. */
  async remove(
    tenantId: number,
    channel: ChannelKind,
    recipient: string,
    client: QueryClientContract = db.connection()
  ) {
    const removed = await tenantRows(client, 'opt_outs', tenantId)
      .where({ channel, recipient })
      .delete()
    return Number(removed) > 0
  }

  async has(
    tenantId: number,
    channel: ChannelKind,
    recipient: string,
    client: QueryClientContract = db.connection()
  ) {
    return Boolean(
      await tenantRows(client, 'opt_outs', tenantId)
        .where({ channel, recipient })
        .select('id')
        .first()
    )
  }
}
