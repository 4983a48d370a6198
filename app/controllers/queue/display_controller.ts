import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@adonisjs/lucid'
import i18nManager from '@adonisjs/i18n/services/main'
import type Device from '#models/device'
import type Ticket from '#models/ticket'
import QueueBoard from '#services/queue/queue_board'
import liveVersion from '#support/live_version'
import deviceDirectory from '#services/queue/device_directory'
import branchDirectory from '#services/platform/branch_directory'
import clock from '#support/clock'
import { readPoll } from '#validators/queue'
import { useLocale } from '#middleware/locale_middleware'
import { inject } from '@adonisjs/core'
import { unchangedLive } from '#http/long_poll'
import { absoluteUrl, linkOrigin, qrSvg } from '#support/urls'

/** The TV display: `/display/:token`, polling its board with the version it holds. */
@inject()
export default class DisplayController {
  constructor(protected queueBoard: QueueBoard) {}

  /** The TV page. It speaks the tenant's language, whatever the browser prefers. */
  async show(ctx: HttpContext) {
    const device = await this.findDevice(ctx.params.token)
    device.lastSeenAt = clock.now()
    await device.save()
    const board = await this.board(ctx, device)
    // The QR code opens the branch's visitor page: people in the waiting room take a number from the TV.
    // It names the address the TV used, which the phones on the same Wi-Fi reach too.
    const takeUrl = absoluteUrl(
      'visitor.branch',
      { slug: board.branch.slug },
      linkOrigin(ctx.request)
    )
    const takeQr = await qrSvg(takeUrl)
    return ctx.view.render('pages/queue/display', { ...board, takeQr })
  }

  /** The board's long poll: the fresh board fragment once the branch changed, else 204 (app/http/long_poll.ts). */
  async live(ctx: HttpContext) {
    const device = await this.findDevice(ctx.params.token)
    const { version } = readPoll(ctx.request.qs())
    if (await unchangedLive(ctx, device.branchId, version)) return ctx.response.noContent()
    return ctx.view.render('partials/queue/display_board', await this.board(ctx, device))
  }

  private async findDevice(token: string) {
    const device = await deviceDirectory.resolve(token, 'display')
    if (!device) throw new errors.E_ROW_NOT_FOUND()
    return device
  }

  private async board(ctx: HttpContext, device: Device) {
    const entry = await branchDirectory.byId(device.branchId)
    if (!entry) throw new errors.E_ROW_NOT_FOUND()
    const { branch, tenant } = entry
    useLocale(ctx, tenant.locale)
    const version = await liveVersion.get(branch.id)
    const board = await this.queueBoard.display(branch, device)
    const i18n = i18nManager.locale(tenant.locale)
    const announcements = board.announcements.map((event) => ({
      id: event.id,
      number: event.ticket.number,
      counter: event.counter?.name ?? '',
      text: i18n.t('ui.display.announcement', {
        number: spokenNumber(event.ticket),
        counter: event.counter?.name ?? '',
      }),
    }))
    return {
      device,
      token: device.token,
      branch,
      tenant,
      ...board,
      version,
      announcements,
      speechLang: speechLanguage(tenant.locale),
    }
  }
}

/** `A012` is read out as "A 12": letters apart, leading zeros dropped. */
function spokenNumber(ticket: Pick<Ticket, 'number'>) {
  const match = /^([A-Za-z]*)[-\s]?0*(\d+)$/.exec(ticket.number)
  return match ? `${match[1].split('').join(' ')} ${match[2]}`.trim() : ticket.number
}

function speechLanguage(locale: string) {
  return { id: 'id-ID', en: 'en-US', ms: 'ms-MY' }[locale] ?? 'id-ID'
}
