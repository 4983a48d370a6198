import type { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Booking from '#models/booking'
import Branch from '#models/branch'
import Tenant from '#models/tenant'
import type Ticket from '#models/ticket'
import type { MessagingProfile } from '#services/messaging/messaging_directory'
import type { OutboxBatch } from '#services/messaging/outbox'
import type { TicketAction } from '#services/queue/ticket_state_machine'
import { canMove } from '#services/bookings/booking_state_machine'
import { recordBookingEvent, releasePlaces } from '#services/bookings/booking_store'
import { hasRowLocks } from '#support/database'

/**
 * An appointment ticket's booking follows it through the queue, in the ticket action's own
 * transaction: when the counter starts serving it the booking's session starts (`ongoing`), and
 * when the visit is completed the booking is `done`. Everything is read through the transaction.
 */
export async function syncBookingWithTicket(
  trx: TransactionClientContract,
  outbox: OutboxBatch,
  ticket: Ticket,
  action: TicketAction,
  now: DateTime,
  profile: MessagingProfile
) {
  if (!ticket.bookingId || (action !== 'start' && action !== 'complete')) return
  const query = Booking.query({ client: trx })
    .where('id', ticket.bookingId)
    .preload('service')
    .preload('resource')
  if (hasRowLocks(trx)) query.forUpdate()
  const booking = await query.first()
  if (!booking) return
  const tenant = await Tenant.findOrFail(booking.tenantId, { client: trx })
  const branch = await Branch.findOrFail(booking.branchId, { client: trx })
  const settings = tenant.booking
  const locale = booking.locale ?? tenant.locale
  const context = {
    profile,
    names: {
      service: booking.service.nameIn(locale),
      resource: booking.resource.name,
      branch: branch.name,
    },
  }
  booking.useTransaction(trx)

  if (canMove(booking.status, 'start')) {
    const from = booking.status
    booking.status = 'ongoing'
    booking.startedAt = now
    booking.sessionEndsAt = now.plus({ minutes: settings.sessionDurationMinutes })
    await booking.save()
    await recordBookingEvent(
      trx,
      outbox,
      booking,
      'started',
      from,
      { by: null, data: { ticket_id: ticket.id } },
      now,
      context
    )
  }
  if (action === 'complete' && canMove(booking.status, 'finish')) {
    booking.status = 'done'
    booking.finishedAt = now
    await releasePlaces(trx, booking, settings)
    await booking.save()
    await recordBookingEvent(
      trx,
      outbox,
      booking,
      'finished',
      'ongoing',
      { by: null, data: { ticket_id: ticket.id } },
      now,
      context
    )
  }
}
