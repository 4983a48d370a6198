import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { errors } from '@adonisjs/lucid'
import Device from '#models/device'
import QueueBoard from '#services/queue/queue_board'
import branchDirectory from '#services/platform/branch_directory'
import SelfCheckIn, { type CheckInOutcome } from '#services/bookings/self_check_in'
import { qrSvg, ticketUrl } from '#support/urls'
import { kioskCheckInValidator } from '#validators/queue'
import { inject } from '@adonisjs/core'

/** How each outcome is answered: the screen shows the message either way; errors keep their status. */
const STATUS: Record<CheckInOutcome, number> = {
  arrived: 200,
  already_arrived: 200,
  expired: 409,
  too_early: 409,
  not_paid: 409,
  closed: 409,
  other_branch: 409,
  not_found: 404,
}

/**
 * The kiosk's "I have a booking": `POST /kiosk/:token/bookings/checkin` with the scanned link
 * (`url`) or the typed code (`code`). Answers what the kiosk shows: arrived (and the queue number
 * to print, when the booking joined the queue), expired ("hangus"), too early, not found...
 */
@inject()
export default class KioskCheckInController {
  constructor(
    protected queueBoard: QueueBoard,
    protected checkIns: SelfCheckIn
  ) {}

  async store({ params, request, response, i18n }: HttpContext) {
    const device = await Device.findKioskOrFail(params.token)
    const { code, url, request_id: requestId } = await request.validateUsing(kioskCheckInValidator)
    const result = await this.checkIns.atBranch(device, (url ?? code)!, requestId)
    const { booking, ticket } = result
    const entry = await branchDirectory.byId(booking?.branchId ?? device.branchId)
    if (!entry) throw new errors.E_ROW_NOT_FOUND()
    const timezone = entry.branch.timezone
    const values = {
      code: booking?.code ?? '',
      name: booking?.customerName ?? '',
      time: booking ? booking.startsAt.setZone(timezone).toFormat('HH:mm') : '',
      opens: result.opensAt ?? '',
      minutes: entry.tenant.booking.arrivalToleranceMinutes,
      branch: entry.branch.name,
    }
    await device.markSeen()
    return response.status(STATUS[result.outcome]).json({
      result: result.outcome,
      message: i18n.t(`kiosk.booking_result.${result.outcome}`, values),
      booking:
        booking && result.outcome !== 'other_branch'
          ? {
              id: booking.id,
              code: booking.code,
              status: booking.status,
              customer_name: booking.customerName,
              starts_at: booking.startsAt.toUTC().toISO(),
              local_time: values.time,
            }
          : null,
      ticket: ticket
        ? {
            id: ticket.id,
            number: ticket.number,
            service: ticket.service.nameIn(i18n.locale),
            ahead: await this.queueBoard.ahead(ticket, entry.tenant.queue),
            taken_at: ticket.queuedAt.toISO(),
            url: ticketUrl(ticket.id),
            qr_svg: await qrSvg(ticketUrl(ticket.id)),
            print_url: router.makeUrl('kiosk.print', { token: device.token, id: ticket.id }),
          }
        : null,
    })
  }
}
