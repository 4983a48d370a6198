import Booking from '#models/booking'
import Customer from '#models/customer'
import Job from '#models/job'
import Rating from '#models/rating'

/** How many of each the thread's side panel shows (the newest). */
export const HISTORY_LENGTH = 5

/**
 * What a contact did with the business besides writing (seed 004: the agent answers with the
 * merchant's context at hand): their bookings, their visit jobs (through the field customer of
 * the same phone) and the ratings they gave, newest first. Found by the contact's phone (E.164),
 * which every one of these keeps.
 */
export default class ContactHistory {
  async of(tenantId: number, phone: string) {
    const [bookings, jobs, ratings] = await Promise.all([
      Booking.forTenant(tenantId)
        .where('customer_phone', phone)
        .preload('service')
        .orderBy('starts_at', 'desc')
        .limit(HISTORY_LENGTH),
      Job.forTenant(tenantId)
        .whereIn('customer_id', Customer.forTenant(tenantId).where('phone', phone).select('id'))
        .orderBy('id', 'desc')
        .limit(HISTORY_LENGTH),
      Rating.forTenant(tenantId)
        .where('recipient', phone)
        .whereNotNull('answered_at')
        .orderBy('answered_at', 'desc')
        .limit(HISTORY_LENGTH),
    ])
    return { bookings, jobs, ratings }
  }
}
