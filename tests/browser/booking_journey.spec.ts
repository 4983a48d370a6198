/// <reference lib="dom" />
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import env from '#start/env'
import PaymentAccount from '#models/payment_account'
import Booking from '#models/booking'
import clock from '#support/clock'
import { createBookingWorld } from '#tests/helpers/bookings'
import { FakeMidtransSnap } from '#tests/fakes/midtrans_snap'
import { baseUrl, logIn } from '#tests/helpers/browser'

const snap = new FakeMidtransSnap()

test.group('Booking journey in a real browser', (group) => {
  const previous = { snap: env.get('MIDTRANS_SNAP_URL'), api: env.get('MIDTRANS_API_URL') }
  group.setup(async () => {
    await snap.start()
    // The fake serves Snap and the Core API's status check alike.
    env.set('MIDTRANS_SNAP_URL', snap.url)
    env.set('MIDTRANS_API_URL', snap.url)
    return async () => {
      env.set('MIDTRANS_SNAP_URL', previous.snap ?? '')
      env.set('MIDTRANS_API_URL', previous.api ?? '')
      await snap.stop()
    }
  })
  group.each.teardown(() => clock.reset())

  test('a customer books and prepays on a phone, checks in on site, and the operator serves the booking ticket', async ({
    browser,
    assert,
  }) => {
    // 09:40 in Jakarta: the 10:00 slot is the first free one and its check-in window is open.
    clock.travelTo(
      DateTime.now()
        .setZone('Asia/Jakarta')
        .plus({ days: 1 })
        .set({ hour: 9, minute: 40, second: 0, millisecond: 0 })
    )
    const world = await createBookingWorld({
      price: 15_000_000,
      prepay: true,
      settings: {
        paymentProvider: 'midtrans',
        paymentMinutes: 30,
        slotMinutes: 30,
        blending: { mode: 'checkin', autoMinutesBefore: 15 },
      },
    })
    await PaymentAccount.create({
      tenantId: world.tenant.id,
      provider: 'midtrans',
      isActive: true,
      settings: {
        server_key: snap.serverKey,
        client_key: 'SB-Mid-client-FAKE',
        is_production: false,
      },
    })
    snap.notificationUrl = `${baseUrl}/webhooks/payments/midtrans/${world.tenant.slug}`

    // The customer, on a phone, picks the service, the first free time and leaves a name and number.
    const phone = await browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    })
    const customer = await phone.newPage()
    await customer.goto(`${baseUrl}/book/${world.branch.slug}`)
    await customer.getByRole('link', { name: /Layanan 1/ }).click()
    await customer.getByTestId('times').waitFor()
    await customer.getByRole('radio', { name: /10:00/ }).check()
    await customer.getByLabel('Nama').fill('Sari Wulandari')
    await customer.getByLabel('Nomor HP').fill('0812 3456 7890')
    await customer.getByRole('button', { name: 'Booking sekarang' }).click()
    await customer.waitForURL(/\/booking\/[0-9a-f-]{36}$/)
    assert.include(
      await customer.getByTestId('booking-status').textContent(),
      'Menunggu pembayaran'
    )
    const fitsThePhone = await customer.evaluate(
      () => document.documentElement.scrollWidth <= window.innerWidth
    )
    assert.isTrue(fitsThePhone, 'no horizontal scrolling on a 360 px phone')

    // The pay button leads to the gateway's page (the local Snap fake), which notifies Loket and sends the customer back.
    await customer.getByTestId('pay').click()
    await customer.getByTestId('midtrans-amount').waitFor()
    assert.equal(await customer.getByTestId('midtrans-amount').textContent(), 'Rp 150.000')
    await customer.getByTestId('midtrans-pay').click()
    await customer.waitForURL(/\/booking\/[0-9a-f-]{36}\?order_id=/)
    assert.equal(snap.notifications.length, 1)
    assert.equal(snap.notifications[0].status, 200)
    assert.include(await customer.getByTestId('booking-status').textContent(), 'Terkonfirmasi')
    const booking = await Booking.query().where('tenant_id', world.tenant.id).firstOrFail()
    assert.equal(booking.status, 'awaiting_customer')
    assert.equal(booking.localTime, '10:00')

    // On site, "I am here" checks in and gives a queue number.
    await customer.getByTestId('checkin').click()
    await customer.getByTestId('booking-ticket').waitFor()
    assert.include(
      await customer.getByTestId('booking-status').textContent(),
      'Anda sudah check-in'
    )
    const number = (await customer.getByTestId('booking-ticket').textContent())!.trim()

    // The operator calls the next number: the booking's ticket. Done finishes the booking.
    const desk = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const console = await desk.newPage()
    await logIn(console, world.operator.email)
    await console.getByRole('button', { name: 'Mulai' }).click()
    await console.getByRole('button', { name: /Panggil berikutnya/ }).waitFor()
    await console.waitForLoadState('load')
    await console.keyboard.press('n')
    await console.getByTestId('current-number').waitFor()
    assert.equal(await console.getByTestId('current-number').textContent(), number)
    await console.keyboard.press('d')
    await console.locator('table').getByText(number).waitFor()

    // The customer's page, polling on its own, says it is done.
    await customer.waitForFunction(
      () => document.querySelector('#booking-live')?.getAttribute('data-status') === 'done',
      null,
      { timeout: 10_000 }
    )
    assert.include(await customer.getByTestId('booking-status').textContent(), 'Selesai')
    await booking.refresh()
    assert.equal(booking.status, 'done')

    await phone.close()
    await desk.close()
  }).timeout(60_000)
})
