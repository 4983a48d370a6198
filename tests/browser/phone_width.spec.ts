/// <reference lib="dom" />
import { test } from '@japa/runner'
import { createWorld } from '#tests/helpers/world'
import { baseUrl, logIn } from '#tests/helpers/browser'

test.group('Staff pages on a 360 px phone', () => {
  test('no admin page scrolls sideways: wide tables scroll inside their card', async ({ browser, assert }) => {
    const { owner } = await createWorld()
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })
    const page = await context.newPage()
    await logIn(page, owner.email)
    const paths = ['/admin', '/admin/users', '/admin/services', '/admin/counters', '/admin/devices', '/admin/settings', '/admin/audit', '/admin/messaging', '/admin/webhooks', '/admin/api-keys', '/app/reports/daily', '/app/board', '/app/bookings']
    const wide: string[] = []
    for (const path of paths) {
      await page.goto(`${baseUrl}${path}`)
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      if (width > 360) wide.push(`${path}: ${width} px`)
    }
    assert.deepEqual(wide, [])
    await context.close()
  })
})
