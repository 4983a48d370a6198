import db from '@adonisjs/lucid/services/db'
import type { DateTime } from 'luxon'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import clock from '#support/clock'
import OptOut from '#models/opt_out'
import { tenantRows } from '#models/mixins/tenant_owned'
import { fromSqlDateTime, toSqlDateTime } from '#models/columns'

export const CONSENT_CHANNELS = ['whatsapp', 'sms', 'email'] as const
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number]

export const CONSENT_SOURCES = [
  'whatsapp_inbound',
  'whatsapp_stop',
  'whatsapp_start',
  'ticket_form',
  'booking_form',
  'lead_form',
  'staff',
] as const
export type ConsentSource = (typeof CONSENT_SOURCES)[number]

export interface ConsentEntry {
  tenantId: number
  channel: ConsentChannel
  phone?: string | null
  email?: string | null
  status: 'granted' | 'withdrawn'
  source: ConsentSource
  userId?: number | null
  at?: DateTime
}

/** One line of a person's consent history. */
export interface ConsentLine {
  channel: string
  status: 'granted' | 'withdrawn'
  source: string
  at: string | null
  userId: number | null
}

/**
 * Consent per contact and channel (PDPA, UU PDP): each opt-in and withdrawal with where it came
 * from, when, and who recorded it (staff), in `consents`. A line is written when the state
 * changes: a customer writing every day on WhatsApp opts in once. Opt-outs (`opt_outs`: STOP, the
 * link in a message, a provider's refusal) are what the outbox obeys; the history shows them too.
 */
class ConsentLedger {
  /** Records the entry unless the person's latest state on the channel is already the same. True when written. */
  async record(entry: ConsentEntry, client: QueryClientContract = db.connection()) {
    const phone = entry.phone ?? null
    const email = entry.email?.toLowerCase() ?? null
    if (!phone && !email) return false
    const latest = await tenantRows(client, 'consents', entry.tenantId)
      .where('channel', entry.channel)
      .where(phone ? 'phone' : 'email', (phone ?? email)!)
      .orderBy('id', 'desc')
      .select('status')
      .first()
    if (latest?.status === entry.status) return false
    const now = clock.now()
    await client.table('consents').insert({
      tenant_id: entry.tenantId,
      channel: entry.channel,
      phone,
      email,
      status: entry.status,
      source: entry.source,
      user_id: entry.userId ?? null,
      at: toSqlDateTime(entry.at ?? now),
      created_at: toSqlDateTime(now),
    })
    return true
  }

  /**
   * A customer's WhatsApp message (in the webhook's transaction): writing to the business opts
   * in to its WhatsApp replies; STOP withdraws, START opts in again.
   */
  fromWhatsappMessage(
    client: QueryClientContract,
    tenantId: number,
    phone: string,
    keyword: 'stop' | 'start' | null,
    at: DateTime
  ) {
    return this.record(
      {
        tenantId,
        channel: 'whatsapp',
        phone,
        status: keyword === 'stop' ? 'withdrawn' : 'granted',
        source:
          keyword === 'stop'
            ? 'whatsapp_stop'
            : keyword === 'start'
              ? 'whatsapp_start'
              : 'whatsapp_inbound',
        at,
      },
      client
    )
  }

  /** The person's consent history, newest first: the ledger and the opt-outs in force. */
  async history(
    tenantId: number,
    person: { phone: string | null; email: string | null },
    client: QueryClientContract = db.connection()
  ): Promise<ConsentLine[]> {
    const identifiers = [person.phone, person.email].filter((value): value is string => !!value)
    if (identifiers.length === 0) return []
    const consents = await tenantRows(client, 'consents', tenantId)
      .where((query) => {
        if (person.phone) query.orWhere('phone', person.phone)
        if (person.email) query.orWhere('email', person.email)
      })
      .orderBy('id', 'desc')
      .limit(500)
      .select('channel', 'status', 'source', 'at', 'user_id')
    const optOuts = await OptOut.forTenant(tenantId, { client })
      .whereIn('recipient', identifiers)
      .select('channel', 'source', 'created_at')
      .pojo<{ channel: string; source: string | null; created_at: unknown }>()
    const lines: ConsentLine[] = [
      ...consents.map((row) => ({
        channel: row.channel,
        status: row.status,
        source: row.source,
        at: fromSqlDateTime(row.at)?.toISO() ?? null,
        userId: row.user_id === null ? null : Number(row.user_id),
      })),
      ...optOuts.map((row) => ({
        channel: row.channel,
        status: 'withdrawn' as const,
        source: `opt_out_${row.source}`,
        at: fromSqlDateTime(row.created_at)?.toISO() ?? null,
        userId: null,
      })),
    ]
    return lines.sort((a, b) => String(b.at).localeCompare(String(a.at)))
  }
}

const consentLedger = new ConsentLedger()
export default consentLedger
