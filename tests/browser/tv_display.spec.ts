/// <reference lib="dom" />
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import QueueEngine from '#services/queue/queue_engine'
import { createWorld, middayEachTest, midday } from '#tests/helpers/world'
import clock from '#support/clock'
import { baseUrl } from '#tests/helpers/browser'

/** A 1x1 PNG: the tenant's logo. */
const LOGO =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='

const SCREENS = [
  { width: 1920, height: 1080 },
  { width: 1280, height: 720 },
  { width: 1080, height: 1920 },
]

test.group('The TV display on a real screen', (group) => {
  middayEachTest(group)

  test('the called number fills the screen at 1080p, 720p and portrait, with nothing overflowing', async ({
    browser,
    assert,
  }) => {
    const { tenant, branch, services, counters, operator, display } = await createWorld()
    tenant.logoData = LOGO
    tenant.logoMime = 'image/png'
    await tenant.save()
    const engine = await app.container.make(QueueEngine)
    for (let index = 0; index < 3; index++)
      await engine.take(branch, services[0], { channel: 'web' })
    await engine.take(branch, services[1], { channel: 'web' })
    await engine.callNext(branch, { counter: counters[0], by: operator })

    const measured: string[] = []
    for (const screen of SCREENS) {
      const context = await browser.newContext({ viewport: screen })
      const tv = await context.newPage()
      await tv.goto(`${baseUrl}/display/${display.token}`)
      await tv.getByRole('button', { name: 'Klik untuk menyalakan suara' }).click()
      await tv.locator('.tv-logo').evaluate((image: HTMLImageElement) => image.decode())

      const layout = await tv.evaluate(() => {
        const box = (selector: string) => document.querySelector(selector)!.getBoundingClientRect()
        const outside = [
          '[data-testid="called-number"]',
          '[data-testid="called-counter"]',
          '[data-testid="take-qr"]',
          '[data-testid="waiting-count"]',
          '.tv-head',
        ].flatMap((selector) =>
          Array.from(document.querySelectorAll(selector))
            .map((element) => element.getBoundingClientRect())
            .filter(
              (rect) =>
                rect.left < 0 ||
                rect.top < 0 ||
                rect.right > window.innerWidth ||
                rect.bottom > window.innerHeight
            )
            .map(() => selector)
        )
        // A section that clips what it holds would hide a number or a service.
        const clipped = ['.tv-now', '.tv-side', '.tv-waiting', '.tv-take', '.tv-call']
          .map((selector) => document.querySelector(selector)!)
          .filter(
            (element) =>
              element.scrollHeight > element.clientHeight + 1 ||
              element.scrollWidth > element.clientWidth + 1
          )
          .map((element) => element.className)
        return {
          scrollWidth: document.documentElement.scrollWidth,
          scrollHeight: document.documentElement.scrollHeight,
          number: box('[data-testid="called-number"]').height,
          qr: box('[data-testid="take-qr"] svg').width,
          logo: (document.querySelector('.tv-logo') as HTMLImageElement).naturalWidth,
          head: getComputedStyle(document.querySelector('.tv-head')!).backgroundColor,
          outside,
          clipped,
        }
      })
      const label = `${screen.width}x${screen.height}`
      measured.push(
        `${label}: number ${Math.round(layout.number)} px = ${Math.round((100 * layout.number) / screen.height)}% of the height`
      )
      assert.isAtMost(layout.scrollWidth, screen.width, label)
      assert.isAtMost(layout.scrollHeight, screen.height, label)
      assert.deepEqual(layout.outside, [], label)
      assert.deepEqual(layout.clipped, [], label)
      if (screen.width > screen.height) {
        assert.isAtLeast(layout.number, screen.height * 0.25, label)
      } else {
        assert.isAtLeast(layout.number, screen.width * 0.25, label)
      }
      assert.isAtLeast(layout.qr, Math.min(screen.width, screen.height) * 0.15, label)
      assert.equal(layout.logo, 1, label)
      assert.equal(layout.head, 'rgb(15, 118, 110)', label)

      assert.equal(await tv.getByTestId('called-number').textContent(), 'A001')
      assert.equal((await tv.getByTestId('called-counter').textContent())?.trim(), 'Loket 1')
      const waiting = await tv
        .getByTestId('waiting-count')
        .evaluateAll((rows) => rows.map((row) => row.textContent!.replace(/\s+/g, ' ').trim()))
      assert.deepEqual(waiting, ['Layanan 1 2', 'Layanan 2 1'])
      await context.close()
    }
    console.log(measured.join('\n'))
  })

  test('a new call and the waiting counts follow the queue by polling', async ({
    browser,
    assert,
  }) => {
    const { branch, services, counters, operator, operator2, display } = await createWorld()
    const engine = await app.container.make(QueueEngine)
    await engine.take(branch, services[0], { channel: 'web' })
    await engine.take(branch, services[0], { channel: 'web' })
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } })
    const tv = await context.newPage()
    await tv.goto(`${baseUrl}/display/${display.token}`)
    assert.include(await tv.getByTestId('waiting-count').first().textContent(), '2')

    await engine.callNext(branch, { counter: counters[0], by: operator })
    clock.travelTo(midday().plus({ seconds: 30 }))
    await engine.callNext(branch, { counter: counters[1], by: operator2 })
    await tv.waitForFunction(
      () => document.querySelectorAll('[data-testid="now-calling"]').length === 2
    )
    assert.equal(await tv.getByTestId('called-number').textContent(), 'A002')
    assert.include(await tv.getByTestId('now-calling').nth(1).textContent(), 'A001')
    assert.match(String(await tv.getByTestId('waiting-count').first().textContent()), /\b0\b/)
    await context.close()
  })
})
