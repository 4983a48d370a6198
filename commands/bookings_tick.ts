import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Runs the bookings' minute by hand: unpaid released, reminders, auto-blending, no-shows. */
export default class BookingsTick extends BaseCommand {
  static commandName = 'bookings:tick'
  static description =
    'Release unpaid bookings, send reminders, blend appointments into the queue, mark no-shows (what the cron does every minute)'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { default: BookingCron } = await import('#services/bookings/booking_cron')
    const bookingCron = await this.app.container.make(BookingCron)
    const { default: jobs } = await import('#support/jobs')
    const done = await bookingCron.run()
    await jobs.idle()
    this.logger.info(
      `expired ${done.expired}, reminded ${done.reminded}, enqueued ${done.enqueued}, no-shows ${done.noShows}`
    )
    await jobs.close()
  }
}
