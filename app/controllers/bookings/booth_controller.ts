import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@adonisjs/lucid'
import Resource from '#models/resource'
import deviceDirectory from '#services/queue/device_directory'
import liveVersion from '#support/live_version'
import branchDirectory from '#services/platform/branch_directory'
import clock from '#support/clock'
import BookingBoard from '#services/bookings/booking_board'
import { readPoll } from '#validators/queue'
import { inject } from '@adonisjs/core'

/**
 * A booth (the device at a photo booth, room or chair) follows its resource: `GET
 * /booth/:token/status?v=<version>` answers 204 while the branch's version is the one it holds,
 * else the session now and the next one, as JSON. Hundreds of booths ask every 2 s: the
 * unchanged case costs no query (device and version are remembered; see DeviceDirectory and
 * LiveVersion). A booth counts the session down by itself from `session_ends_at`.
 */
@inject()
export default class BoothController {
  constructor(protected bookingBoard: BookingBoard) {}

  async status({ params, request, response }: HttpContext) {
    const device = await deviceDirectory.resolve(params.token, 'booth')
    if (!device || !device.resourceId) throw new errors.E_ROW_NOT_FOUND()
    const { version: held } = readPoll(request.qs())
    const version = await liveVersion.get(device.branchId)
    if (held !== null && held === version) return response.noContent()

    const [resource, entry] = await Promise.all([
      Resource.find(device.resourceId),
      branchDirectory.byId(device.branchId),
    ])
    if (!resource || !entry) throw new errors.E_ROW_NOT_FOUND()
    const now = clock.now()
    const { session, next } = await this.bookingBoard.boothStatus(
      resource.id,
      entry.tenant.booking,
      now
    )
    return response.json({
      version,
      server_time: now.toUTC().toISO(),
      resource: {
        id: resource.id,
        kind: resource.kind,
        name: resource.name,
        is_active: resource.isActive,
      },
      session,
      next,
    })
  }
}
