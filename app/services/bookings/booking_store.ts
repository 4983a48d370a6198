import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Booking from '#models/booking'
import BookingEvent from '#models/booking_event'
import type User from '#models/user'
import { toSqlDateTime } from '#models/columns'
import type { MessagingProfile } from '#services/messaging/messaging_directory'
import type { OutboxBatch } from '#services/messaging/outbox'
import { sqlOf } from '#support/sql'
import { announceBookingEvent, type BookingNames } from '#services/bookings/booking_messaging'
import type { BookingSettings } from '#models/settings/booking_settings'
import type { ResourceSlot } from '#services/bookings/slots'
import type { BookingEventType, BookingStatus } from '#enums/booking'

/*
| Booking writes shared by BookingService and the queue's ticket sync: the event log, and the slot
| counters that keep a slot from overfilling.
*/

/** Appends a booking's event and writes what it announces (messages, webhooks), in the command's transaction. */
export async function recordBookingEvent(
  trx: TransactionClientContract,
  outbox: OutboxBatch,
  booking: Booking,
  type: BookingEventType,
  from: BookingStatus | null,
  step: {
    by: User | null
    requestId?: string | null
    reason?: string | null
    data?: Record<string, unknown> | null
  },
  now: DateTime,
  context: { profile: MessagingProfile; names: BookingNames; payUrl?: string | null }
) {
  await BookingEvent.create(
    {
      tenantId: booking.tenantId,
      bookingId: booking.id,
      type,
      fromStatus: from,
      toStatus: booking.status,
      userId: step.by?.id ?? null,
      requestId: step.requestId ?? null,
      reason: step.reason ?? null,
      data: step.data ?? null,
      createdAt: now,
    },
    { client: trx }
  )
  await announceBookingEvent(sqlOf(trx), outbox, booking, type, context, now)
}

/** The grid slots a booking holds, from its start and the service's length. */
export function gridOf(booking: Booking, settings: BookingSettings): ResourceSlot {
  const minutes = Math.max(1, Math.round(booking.endsAt.diff(booking.startsAt, 'minutes').minutes))
  const cells = Math.max(1, Math.ceil(minutes / settings.slotMinutes))
  return {
    resourceId: booking.resourceId,
    startsAt: booking.startsAt,
    endsAt: booking.endsAt,
    localTime: booking.localTime,
    gridStarts: Array.from({ length: cells }, (_, index) =>
      booking.startsAt.plus({ minutes: index * settings.slotMinutes }).toUTC()
    ),
  }
}

/** How many places are taken in each of these slots: { resource@millis: booked }. */
export async function bookedPlaces(slots: ResourceSlot[]) {
  const booked = new Map<string, number>()
  const resourceIds = [...new Set(slots.map((slot) => slot.resourceId))]
  if (resourceIds.length === 0) return booked
  const starts = slots.flatMap((slot) => slot.gridStarts).map((start) => start.toMillis())
  const rows = await db
    .from('resource_slots')
    .whereIn('resource_id', resourceIds)
    .whereBetween('starts_at', [
      toSqlDateTime(DateTime.fromMillis(Math.min(...starts))),
      toSqlDateTime(DateTime.fromMillis(Math.max(...starts))),
    ])
    .select('resource_id', 'starts_at', 'booked')
  for (const row of rows) {
    const at =
      row.starts_at instanceof Date
        ? row.starts_at.getTime()
        : Date.parse(`${String(row.starts_at).replace(' ', 'T')}Z`)
    booked.set(`${row.resource_id}@${at}`, Number(row.booked))
  }
  return booked
}

/**
 * Makes sure each slot's counter row exists, outside the booking's transaction (or inside an
 * override's): inserting a missing row takes no lock the booking's conditional update then waits on.
 */
export async function ensureSlotRows(
  tenantId: number,
  slots: ResourceSlot[],
  trx?: TransactionClientContract
) {
  const client = trx ?? db.connection()
  const verb = client.dialect.name === 'mysql' ? 'INSERT IGNORE' : 'INSERT OR IGNORE'
  for (const slot of slots) {
    for (const start of slot.gridStarts) {
      await client.rawQuery(
        `${verb} INTO resource_slots (tenant_id, resource_id, starts_at, booked) VALUES (?, ?, ?, 0)`,
        [tenantId, slot.resourceId, toSqlDateTime(start)]
      )
    }
  }
}

/** Takes one place in every grid slot of `slot`, or none: true when it got them all. */
export async function claimPlaces(
  trx: TransactionClientContract,
  slot: ResourceSlot,
  quota: number
) {
  const taken: DateTime[] = []
  for (const start of slot.gridStarts) {
    const changed = await trx
      .from('resource_slots')
      .where('resource_id', slot.resourceId)
      .where('starts_at', toSqlDateTime(start))
      .where('booked', '<', quota)
      .increment('booked', 1)
    if (Number(changed) !== 1) {
      for (const back of taken) await giveBack(trx, slot.resourceId, back)
      return false
    }
    taken.push(start)
  }
  return true
}

/** Gives a booking's places back (it stopped holding them). */
export async function releasePlaces(
  trx: TransactionClientContract,
  booking: Booking,
  settings: BookingSettings
) {
  for (const start of gridOf(booking, settings).gridStarts)
    await giveBack(trx, booking.resourceId, start)
}

async function giveBack(trx: TransactionClientContract, resourceId: number, start: DateTime) {
  await trx
    .from('resource_slots')
    .where('resource_id', resourceId)
    .where('starts_at', toSqlDateTime(start))
    .where('booked', '>', 0)
    .decrement('booked', 1)
}
