import type { HttpContext } from '@adonisjs/core/http'
import { formatMoment } from '#support/dates'
import router from '@adonisjs/core/services/router'
import { errors } from '@adonisjs/lucid'
import i18nManager from '@adonisjs/i18n/services/main'
import { DateTime } from 'luxon'
import Device from '#models/device'
import Ticket from '#models/ticket'
import type Service from '#models/service'
import type Branch from '#models/branch'
import QueueBoard from '#services/queue/queue_board'
import branchDirectory from '#services/platform/branch_directory'
import KioskIssuer from '#services/queue/kiosk_issuer'
import { qrSvg, ticketUrl } from '#support/urls'
import { kioskSyncValidator, kioskTakeValidator } from '#validators/queue'
import { LOCALES, isLocale, useLocale } from '#middleware/locale_middleware'
import { inject } from '@adonisjs/core'

/**
 * The kiosk: `/kiosk/:token`, a touch screen that issues and prints numbers, online and, from
 * its reserved blocks, offline (app/services/kiosk_issuer.ts). The page is one screen driven by
 * public/js/kiosk.js; these endpoints answer it in JSON.
 */
@inject()
export default class KioskController {
  constructor(
    protected queueBoard: QueueBoard,
    protected issuer: KioskIssuer
  ) {}

  /** The kiosk screen, in the tenant's language until a visitor picks another. */
  async show(ctx: HttpContext) {
    const device = await Device.findKioskOrFail(ctx.params.token)
    const { branch, tenant, services } = await branchOf(device)
    useLocale(ctx, tenant.locale)
    await device.markSeen()
    const waiting = await this.queueBoard.waitingByService(branch)
    const config = screenConfig(device, branch, services, waiting, ctx)
    return ctx.view.render('pages/queue/kiosk', {
      device,
      branch,
      tenant,
      services,
      waiting,
      config,
    })
  }

  /** Takes a number online; answers with what the kiosk shows and prints. */
  async take({ params, request, response, i18n }: HttpContext) {
    const device = await Device.findKioskOrFail(params.token)
    const payload = await request.validateUsing(kioskTakeValidator)
    const ticket = await this.issuer.take(device, payload.service_id, {
      phone: payload.phone,
      requestId: payload.request_id,
      locale: i18n.locale,
    })
    const { tenant } = await branchOf(device)
    return response.status(201).json({
      ticket: {
        id: ticket.id,
        number: ticket.number,
        service_id: ticket.serviceId,
        taken_at: ticket.queuedAt.toISO(),
        ahead: await this.queueBoard.ahead(ticket, tenant.queue),
        url: ticketUrl(ticket.id),
        qr_svg: await qrSvg(ticketUrl(ticket.id)),
        print_url: router.makeUrl('kiosk.print', { token: device.token, id: ticket.id }),
      },
    })
  }

  /** Tops up the kiosk's offline blocks; also tells it how many wait per service. */
  async reserve({ params, response }: HttpContext) {
    const device = await Device.findKioskOrFail(params.token)
    await device.markSeen()
    const { serviceDate, held } = await this.issuer.reserve(device)
    const waiting = await this.queueBoard.waitingByService((await branchOf(device)).branch)
    return response.json({
      service_date: serviceDate,
      held: held.map(({ serviceId, numbers }) => ({ service_id: serviceId, numbers })),
      waiting: Object.fromEntries(waiting),
    })
  }

  /** Receives the tickets printed offline; answers per ticket: created, exists or refused (with a reason). */
  async sync({ params, request, response }: HttpContext) {
    const device = await Device.findKioskOrFail(params.token)
    const { tickets } = await request.validateUsing(kioskSyncValidator)
    const results = await this.issuer.sync(
      device,
      tickets.map((ticket) => ({
        id: ticket.id.toLowerCase(),
        serviceId: ticket.service_id,
        sequence: ticket.sequence,
        takenAt: DateTime.fromJSDate(ticket.taken_at, { zone: 'utc' }),
        phone: ticket.phone ?? null,
      }))
    )
    return response.json({ results })
  }

  /**
   * The ticket as the thermal printer gets it (58 or 80 mm, from the device's paper width): only
   * this kiosk's own tickets, and the appointment tickets of its branch (the queue number a
   * booking got when its customer checked in, printed after "I have a booking"). The kiosk prints
   * it from a hidden frame, so it may be framed by this site (and only by it).
   */
  async print(ctx: HttpContext) {
    const device = await Device.findKioskOrFail(ctx.params.token)
    const ticket = await Ticket.query()
      .where('id', ctx.params.id)
      .where((mine) =>
        mine
          .where('device_id', device.id)
          .orWhere((booked) =>
            booked.whereNotNull('booking_id').where('branch_id', device.branchId)
          )
      )
      .preload('service')
      .firstOrFail()
    const { branch, tenant } = await branchOf(device)
    const lang = ctx.request.qs().lang
    useLocale(ctx, isLocale(lang) ? lang : tenant.locale)
    ctx.response.header('X-Frame-Options', 'SAMEORIGIN')
    ctx.response.header(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'"
    )
    return ctx.view.render('pages/queue/kiosk_print', {
      device,
      branch,
      tenant,
      ticket,
      serviceName: ticket.service.nameIn(ctx.i18n.locale),
      takenAt: formatMoment(ticket.queuedAt, 'dateDotClock', ctx.i18n.locale, branch.timezone),
      ahead: await this.queueBoard.ahead(ticket, tenant.queue),
      qr: await qrSvg(ticketUrl(ticket.id)),
    })
  }
}

async function branchOf(device: Device) {
  const entry = await branchDirectory.byId(device.branchId)
  if (!entry) throw new errors.E_ROW_NOT_FOUND()
  return entry
}

/** What public/js/kiosk.js works with, online and off: its endpoints, the services, the texts in every language. */
function screenConfig(
  device: Device,
  branch: Branch,
  services: Service[],
  waiting: Map<number, number>,
  ctx: HttpContext
) {
  const token = device.token
  return {
    locale: ctx.i18n.locale,
    timezone: branch.timezone,
    csrfToken: ctx.request.csrfToken,
    urls: {
      take: router.makeUrl('kiosk.take', { token }),
      reserve: router.makeUrl('kiosk.reserve', { token }),
      sync: router.makeUrl('kiosk.sync', { token }),
      bookingCheckIn: router.makeUrl('kiosk.bookings.checkin', { token }),
      /** For the QR codes of tickets printed offline: the kiosk puts its ticket id in place of `ticket_id`. */
      ticket: ticketUrl('ticket_id'),
    },
    services: services.map((service) => serviceData(service)),
    waiting: Object.fromEntries(waiting),
    messages: kioskMessages(),
  }
}

/** What the kiosk's script needs of a service: its number format (offline numbers) and its names. */
function serviceData(service: Service) {
  return {
    id: service.id,
    code: service.code,
    format: service.numberFormat,
    names: Object.fromEntries(LOCALES.map((locale) => [locale, service.nameIn(locale)])),
  }
}

/** The kiosk's texts in every language (`kiosk.*` keys), so that it switches language without the network. */
function kioskMessages() {
  const fallback = i18nManager.getTranslationsFor(i18nManager.defaultLocale)
  return Object.fromEntries(
    LOCALES.map((locale) => {
      const translations = { ...fallback, ...i18nManager.getTranslationsFor(locale) }
      const kiosk = Object.entries(translations)
        .filter(([key]) => key.startsWith('kiosk.'))
        .map(([key, text]) => [key.slice('kiosk.'.length), text])
      return [locale, Object.fromEntries(kiosk)]
    })
  )
}
