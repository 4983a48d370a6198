/// <reference lib="dom" />
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import type { BrowserContext } from 'playwright'
import app from '@adonisjs/core/services/app'
import Device from '#models/device'
import BookingService from '#services/bookings/booking_service'
import clock from '#support/clock'
import liveVersion from '#support/live_version'
import { createBookingWorld, tomorrow } from '#tests/helpers/bookings'
import { baseUrl, logIn } from '#tests/helpers/browser'

const bookings = await app.container.make(BookingService)

/**
 * A booth world (one booth, 10-minute sessions) whose booking for tomorrow at 09:00 has started:
 * the clock is moved to that start.
 */
async function sessionUnderway() {
  const world = await createBookingWorld({
    resources: 1,
    settings: { sessionDurationMinutes: 10 },
    opens: '08:00',
    closes: '17:00',
  })
  const date = tomorrow()
  const booking = await bookings.book(world.entry, world.service, {
    date,
    time: '09:00',
    name: 'Ani',
    phone: '+6281234567890',
    channel: 'web',
  })
  const start = DateTime.fromISO(`${date}T09:00`, { zone: 'Asia/Jakarta' })
  clock.travelTo(start)
  await bookings.checkIn(booking.id, world.tenant.id, { by: null })
  await bookings.start(booking.id, world.tenant.id, { by: null })
  return { world, booking, start }
}

/** Every content-security-policy violation a page of `context` meets, as the browser reports it. */
async function watchPolicy(context: BrowserContext) {
  const violations: string[] = []
  await context.exposeFunction('reportViolation', (text: string) => violations.push(text))
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      ;(window as any).reportViolation(
        `${location.pathname}: ${event.violatedDirective} ${event.blockedURI} ${event.sample}`
      )
    })
  })
  context.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|unsafe-eval/i.test(message.text()))
      violations.push(message.text())
  })
  return violations
}

test.group('The content security policy in a real browser', (group) => {
  group.each.teardown(() => clock.reset())

  test('no screen breaks the policy: htmx runs without eval and nothing is inline', async ({
    browser,
    assert,
  }) => {
    const { world, booking } = await sessionUnderway()
    const kiosk = await Device.create({
      tenantId: world.tenant.id,
      branchId: world.branch.id,
      kind: 'kiosk',
      name: 'Kiosk',
      token: `kiosk-${world.key}`,
      paperWidth: 58,
    })

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const violations = await watchPolicy(context)
    const page = await context.newPage()

    for (const path of [
      `/b/${world.branch.slug}`,
      `/display/${world.display.token}`,
      `/kiosk/${kiosk.token}`,
      `/book/${world.branch.slug}`,
      `/booking/${booking.id}`,
    ]) {
      const response = await page.goto(`${baseUrl}${path}`)
      assert.notInclude(String(response?.headers()['content-security-policy']), 'unsafe-eval')
      await page.waitForLoadState('load')
    }

    await logIn(page, world.operator.email)
    await page.goto(`${baseUrl}/app/counter`)
    await page.waitForLoadState('load')

    // The booth's countdown (public/js/bookings.js) runs in the browser: the clock moves by itself.
    await page.goto(`${baseUrl}/app/bookings/board`)
    const countdown = page.getByTestId('countdown').first()
    const first = await countdown.textContent()
    await page.waitForFunction(
      (before) => document.querySelector('[data-testid="countdown"]')?.textContent !== before,
      first,
      { timeout: 5_000 }
    )
    assert.match(String(await countdown.textContent()), /^\+?\d+:\d\d$/)

    assert.deepEqual(violations, [])
    await context.close()
  })

  test('the booth countdown runs past the end: the clock turns to +m:ss, OVERRUN shows and the card turns red, also after the board is redrawn', async ({
    browser,
    assert,
  }) => {
    const { world, booking, start } = await sessionUnderway()
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const violations = await watchPolicy(context)
    const page = await context.newPage()
    await logIn(page, world.operator.email)

    // Three seconds before the session's end by the server's clock (the browser's is another one),
    // the board is drawn without the overrun; the browser's countdown then shows it by itself.
    clock.travelTo(start.plus({ minutes: 10, seconds: -3 }))
    const drawn = String(await (await page.goto(`${baseUrl}/app/bookings/board`))?.text())
    assert.match(drawn, /data-testid="countdown" data-countdown-clock>0:0[1-3]</)
    assert.match(drawn, /data-testid="overrun" hidden>/)
    assert.match(drawn, /class="booth booth-busy "/)
    const card = page.locator(`[data-resource="${world.resources[0].id}"]`)
    await card.getByTestId('overrun').waitFor({ state: 'visible', timeout: 10_000 })
    assert.match(String(await card.getByTestId('countdown').textContent()), /^\+0:\d\d$/)
    assert.include(String(await card.getAttribute('class')), 'booth-overrun')

    // A change redraws the board (htmx swaps the fragment in): the new card counts on by itself.
    await page.evaluate(() =>
      document.getElementById('booth-board')!.setAttribute('data-drawn-before', '')
    )
    await liveVersion.bump(world.branch.id)
    await page.waitForFunction(
      () => !document.getElementById('booth-board')?.hasAttribute('data-drawn-before'),
      undefined,
      { timeout: 10_000 }
    )
    const redrawn = await card.getByTestId('countdown').textContent()
    await page.waitForFunction(
      (before) => document.querySelector('[data-testid="countdown"]')?.textContent !== before,
      redrawn,
      { timeout: 5_000 }
    )
    assert.match(String(await card.getByTestId('countdown').textContent()), /^\+0:\d\d$/)
    assert.include(String(await card.getAttribute('class')), 'booth-overrun')

    // The booking's own page counts too, with its OVERRUN flag.
    const detail = await page.goto(`${baseUrl}/app/bookings/${booking.id}`)
    assert.equal(detail?.status(), 200)
    const countdown = page.getByTestId('session-countdown')
    await page.waitForFunction(() =>
      /^· \+\d+:\d\d/.test(
        document.querySelector('[data-testid="session-countdown"]')?.textContent?.trim() ?? ''
      )
    )
    assert.isTrue(await countdown.locator('.booth-overrun-flag').isVisible())

    assert.deepEqual(violations, [])
    await context.close()
  })
})
