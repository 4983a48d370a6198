/// <reference lib="dom" />
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import type { BrowserContext } from 'playwright'
import Device from '#models/device'
import BookingService from '#services/bookings/booking_service'
import clock from '#support/clock'
import { createBookingWorld, tomorrow } from '#tests/helpers/bookings'
import { baseUrl, logIn } from '#tests/helpers/browser'

const bookings = new BookingService()

/** Every content-security-policy violation a page of `context` meets, as the browser reports it. */
async function watchPolicy(context: BrowserContext) {
  const violations: string[] = []
  await context.exposeFunction('reportViolation', (text: string) => violations.push(text))
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      ;(window as any).reportViolation(`${location.pathname}: ${event.violatedDirective} ${event.blockedURI} ${event.sample}`)
    })
  })
  context.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|unsafe-eval/i.test(message.text())) violations.push(message.text())
  })
  return violations
}

test.group('The content security policy in a real browser', (group) => {
  group.each.teardown(() => clock.reset())

  test('no screen breaks the policy: htmx and Alpine run without eval and nothing is inline', async ({ browser, assert }) => {
    const world = await createBookingWorld({ resources: 1, settings: { sessionDurationMinutes: 10 }, opens: '08:00', closes: '17:00' })
    const kiosk = await Device.create({ tenantId: world.tenant.id, branchId: world.branch.id, kind: 'kiosk', name: 'Kiosk', token: `kiosk-${world.key}`, paperWidth: 58 })
    const date = tomorrow()
    const booking = await bookings.book(world.entry, world.service, { date, time: '09:00', name: 'Ani', phone: '+6281234567890', channel: 'web' })
    clock.travelTo(DateTime.fromISO(`${date}T09:00`, { zone: 'Asia/Jakarta' }))
    await bookings.checkIn(booking.id, world.tenant.id, { by: null })
    await bookings.start(booking.id, world.tenant.id, { by: null })

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const violations = await watchPolicy(context)
    const page = await context.newPage()

    for (const path of [`/b/${world.branch.slug}`, `/display/${world.display.token}`, `/kiosk/${kiosk.token}`, `/book/${world.branch.slug}`, `/booking/${booking.id}`]) {
      const response = await page.goto(`${baseUrl}${path}`)
      assert.notInclude(String(response?.headers()['content-security-policy']), 'unsafe-eval')
      await page.waitForLoadState('load')
    }

    await logIn(page, world.operator.email)
    await page.goto(`${baseUrl}/app/counter`)
    await page.waitForLoadState('load')

    // Alpine (its CSP build) runs the booth's countdown: the clock moves by itself.
    await page.goto(`${baseUrl}/app/bookings/board`)
    const countdown = page.getByTestId('countdown').first()
    const first = await countdown.textContent()
    await page.waitForFunction((before) => document.querySelector('[data-testid="countdown"]')?.textContent !== before, first, { timeout: 5_000 })
    assert.match(String(await countdown.textContent()), /^\+?\d+:\d\d$/)

    assert.deepEqual(violations, [])
    await context.close()
  })
})
