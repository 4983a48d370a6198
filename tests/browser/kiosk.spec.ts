/// <reference lib="dom" />
import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import Device from '#models/device'
import { DateTime } from 'luxon'
import Ticket from '#models/ticket'
import BookingService from '#services/bookings/booking_service'
import clock from '#support/clock'
import { createWorld, type World } from '#tests/helpers/world'
import { createBookingWorld, tomorrow } from '#tests/helpers/bookings'
import { baseUrl } from '#tests/helpers/browser'
import app from '@adonisjs/core/services/app'

/** 58 mm at 96 dpi is 219 px: the printed ticket must not be wider. */
const PAPER_58_PX = 220

function createKiosk(world: Pick<World, 'tenant' | 'branch' | 'key'>, paperWidth = 58) {
  return Device.create({
    tenantId: world.tenant.id,
    branchId: world.branch.id,
    kind: 'kiosk',
    name: 'Kiosk lobi',
    token: `kiosk-${world.key}-${randomUUID().slice(0, 8)}`,
    paperWidth,
  })
}

test.group('Kiosk in a real browser', () => {
  test('a visitor picks a language and a service, skips the phone, and gets a ticket with a QR code that prints on 58 mm', async ({
    browser,
    assert,
  }) => {
    const world = await createWorld()
    world.services[0].nameEn = 'General check-up'
    await world.services[0].save()
    const kiosk = await createKiosk(world)

    const context = await browser.newContext({
      viewport: { width: 1080, height: 1920 },
      hasTouch: true,
    })
    const screen = await context.newPage()
    await screen.goto(`${baseUrl}/kiosk/${kiosk.token}`)
    // On loading, the kiosk sets A001-A005 and B001-B005 aside for printing offline.
    await screen.locator('[data-kiosk][data-held="10"]').waitFor({ state: 'attached' })
    await screen.getByRole('button', { name: /English/ }).tap()
    await screen.getByRole('heading', { name: 'Choose a service' }).waitFor()
    await screen.getByRole('button', { name: /General check-up/ }).tap()
    await screen.getByRole('button', { name: 'Skip' }).tap()

    const number = screen.getByTestId('kiosk-number')
    await number.waitFor()
    assert.equal(await number.textContent(), 'A006')
    assert.equal(await screen.getByTestId('kiosk-qr').locator('svg').count(), 1)
    assert.include(await screen.getByTestId('kiosk-ticket').textContent(), 'You are next')
    const id = (await screen.getByTestId('kiosk-ticket').getAttribute('data-ticket-id'))!
    const ticket = await Ticket.findOrFail(id)
    assert.equal(ticket.channel, 'kiosk')
    assert.equal(ticket.deviceId, kiosk.id)
    const fits = await screen.evaluate(
      () => document.documentElement.scrollHeight <= window.innerHeight
    )
    assert.isTrue(fits, 'the ticket screen fits the kiosk without scrolling')

    // The print view, as the printer sees it: the ticket alone, no wider than 58 mm.
    const printed = await context.newPage()
    await printed.emulateMedia({ media: 'print' })
    await printed.goto(`${baseUrl}/kiosk/${kiosk.token}/tickets/${id}/print`)
    const paper = printed.getByTestId('printed-ticket')
    assert.isAtMost((await paper.boundingBox())!.width, PAPER_58_PX)
    assert.include(await paper.textContent(), 'A006')
    assert.equal(await paper.locator('svg').count(), 1)
    assert.isTrue(
      await printed.getByRole('button', { name: 'Cetak' }).isHidden(),
      'the print button is not printed'
    )

    // Printed by the kiosk page itself (as it does offline), the touch screens are left out.
    await screen.emulateMedia({ media: 'print' })
    assert.isTrue(await screen.getByTestId('kiosk-ticket').isHidden())
    assert.isAtMost((await screen.getByTestId('printed-ticket').boundingBox())!.width, PAPER_58_PX)

    await context.close()
  }).timeout(60_000)

  test('with the network down the kiosk keeps printing numbers of its block, and sends them once it is back', async ({
    browser,
    assert,
  }) => {
    const world = await createWorld()
    const kiosk = await createKiosk(world)
    const context = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      hasTouch: true,
    })
    const screen = await context.newPage()
    await screen.goto(`${baseUrl}/kiosk/${kiosk.token}`)
    // It sets a block of five numbers aside for each of the two services.
    await screen.locator('[data-kiosk][data-held="10"]').waitFor({ state: 'attached' })

    await context.setOffline(true)
    const printed: { id: string; number: string }[] = []
    for (let visitor = 0; visitor < 2; visitor++) {
      await screen.getByRole('button', { name: /Bahasa Indonesia/ }).tap()
      await screen.getByRole('button', { name: /Layanan 1/ }).tap()
      await screen.getByRole('button', { name: 'Lewati' }).tap()
      await screen.getByText('Dicetak saat jaringan terputus').first().waitFor()
      const ticket = screen.getByTestId('kiosk-ticket')
      printed.push({
        id: (await ticket.getAttribute('data-ticket-id'))!,
        number: (await screen.getByTestId('kiosk-number').textContent())!,
      })
      assert.equal(await screen.getByTestId('kiosk-qr').locator('svg').count(), 1)
      await screen.getByRole('button', { name: 'Selesai' }).tap()
    }
    assert.deepEqual(
      printed.map((ticket) => ticket.number),
      ['A001', 'A002']
    )
    assert.lengthOf(await Ticket.query().where('branch_id', world.branch.id), 0)

    await context.setOffline(false)
    await screen
      .locator('[data-kiosk][data-outbox="0"]')
      .waitFor({ state: 'attached', timeout: 20_000 })
    const tickets = await Ticket.query().where('branch_id', world.branch.id).orderBy('sequence')
    assert.deepEqual(
      tickets.map((ticket) => ({ id: ticket.id, number: ticket.number })),
      printed
    )
    assert.isTrue(
      tickets.every((ticket) => ticket.channel === 'kiosk' && ticket.deviceId === kiosk.id)
    )
    // Topped up again: three numbers left of the first block and two new ones for service A.
    await screen.locator('[data-kiosk][data-held="10"]').waitFor({ state: 'attached' })

    await context.close()
  }).timeout(60_000)

  test('a customer scans their booking at the kiosk: checked in, with the queue number shown and printed', async ({
    browser,
    assert,
    cleanup,
  }) => {
    const world = await createBookingWorld({
      settings: { blending: { mode: 'checkin', autoMinutesBefore: 15 } },
    })
    const kiosk = await createKiosk(world)
    const date = tomorrow()
    const booking = await (
      await app.container.make(BookingService)
    ).book(world.entry, world.service, { date, time: '09:00', name: 'Dewi', channel: 'web' })
    clock.travelTo(DateTime.fromISO(`${date}T08:55`, { zone: 'Asia/Jakarta' }))
    cleanup(() => clock.reset())

    const context = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      hasTouch: true,
    })
    const screen = await context.newPage()
    await screen.goto(`${baseUrl}/kiosk/${kiosk.token}`)
    await screen.getByTestId('kiosk-booking').waitFor()

    // A wrong code typed on the screen's keys is refused on the same screen.
    await screen.getByTestId('kiosk-booking').tap()
    await screen.getByRole('heading', { name: 'Check-in booking' }).waitFor()
    for (const key of 'BK2222'.split('')) await screen.locator(`[data-code-key="${key}"]`).tap()
    await screen.locator('[data-code-key="2"]').tap()
    await screen.getByRole('button', { name: 'Check-in', exact: true }).tap()
    await screen.getByText('Booking tidak ditemukan').waitFor()
    await screen.getByRole('button', { name: 'Kembali' }).first().tap()

    // The keyboard-wedge scanner types the booking's link and Enter while the start screen shows.
    await screen.keyboard.type(`${baseUrl}/booking/${booking.id}`)
    await screen.keyboard.press('Enter')
    const done = screen.getByTestId('kiosk-booking-done')
    await done.waitFor()
    assert.include(
      await done.textContent(),
      'Terima kasih, Dewi! Anda sudah check-in untuk pukul 09:00.'
    )
    const ticket = await Ticket.query().where('booking_id', booking.id).firstOrFail()
    assert.equal(await screen.getByTestId('kiosk-booking-number').textContent(), ticket.number)
    assert.equal(await done.getAttribute('data-ticket-id'), ticket.id)
    assert.equal(await done.locator('svg').count(), 1)
    assert.equal((await booking.refresh()).status, 'arrived')

    // The print frame got the ticket's print view.
    const frame = screen.locator('[data-print-frame]')
    await screen.waitForFunction(() =>
      (document.querySelector('[data-print-frame]') as HTMLIFrameElement).src.includes('/print')
    )
    assert.include(
      await frame.getAttribute('src'),
      `/kiosk/${kiosk.token}/tickets/${ticket.id}/print`
    )

    await context.close()
  }).timeout(60_000)
})
