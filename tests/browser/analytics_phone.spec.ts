/// <reference lib="dom" />
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import QueueEngine from '#services/queue/queue_engine'
import QueueStats from '#services/analytics/queue_stats'
import { createWorld } from '#tests/helpers/world'
import { baseUrl, logIn, overflowOf, PHONE } from '#tests/helpers/browser'

test.group('Analytics on a 360 px phone', () => {
  test('the owner reads the KPIs, the bars and the heat map on a phone; the export buttons work', async ({
    browser,
    assert,
  }) => {
    const world = await createWorld()
    const engine = await app.container.make(QueueEngine)
    const action = { counter: world.counters[0], by: world.operator }
    for (let index = 0; index < 4; index++)
      await engine.take(world.branch, world.services[0], { channel: 'web' })
    for (let index = 0; index < 3; index++)
      await engine.complete((await engine.callNext(world.branch, action))!, action)
    await new QueueStats().advance()

    const context = await browser.newContext({ ...PHONE, acceptDownloads: true })
    const page = await context.newPage()
    await logIn(page, world.owner.email)
    for (const path of ['/app/analytics', '/app/analytics?interval=week&by=staff']) {
      await page.goto(`${baseUrl}${path}`)
      const found = await overflowOf(page)
      assert.isAtMost(found.scrollWidth, 360, `${path} scrolls sideways`)
      assert.deepEqual(found.cut, [], `${path} cuts off controls`)
    }
    await page.goto(`${baseUrl}/app/analytics`)
    assert.equal((await page.locator('[data-kpi="taken"] strong').textContent())?.trim(), '4')
    // 28 bars, today's as tall as the chart (the busiest day), served shown inside it (3 of 4).
    const bars = page.locator('[data-testid="analytics-series"] .ana-day')
    assert.equal(await bars.count(), 28)
    const today = bars.last()
    const chart = await page.locator('[data-testid="analytics-series"]').boundingBox()
    const column = await today.locator('.column').boundingBox()
    const served = await today.locator('.fill').boundingBox()
    assert.isAbove(column!.height, chart!.height * 0.9)
    assert.closeTo(served!.height / column!.height, 0.75, 0.05)
    // The heat map is wider than a phone: it scrolls inside its card, the page does not.
    const heat = await page.locator('[data-testid="analytics-heatmap"]').boundingBox()
    assert.isAbove(heat!.height, 100)
    await page.screenshot({ path: 'tmp/analytics-360.png', fullPage: true })

    const download = page.waitForEvent('download')
    await page.getByTestId('export-xlsx').click()
    assert.match((await download).suggestedFilename(), /^loket-analytics-.*\.xlsx$/)
    await context.close()
  })
})
