/// <reference lib="dom" />
import { test } from '@japa/runner'
import type { Browser } from 'playwright'
import QueueEngine from '#services/queue/queue_engine'
import { createWorld, seat } from '#tests/helpers/world'
import { baseUrl, logIn } from '#tests/helpers/browser'
import app from '@adonisjs/core/services/app'

async function consoleOf(browser: Browser, email: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
  const page = await context.newPage()
  await logIn(page, email)
  await page.getByRole('button', { name: /Panggil berikutnya/ }).waitFor()
  await page.waitForLoadState('load')
  return page
}

test.group('Transfers in a real browser', () => {
  test('an operator transfers a visitor to another counter; the TV shows where to go', async ({
    browser,
    assert,
  }) => {
    const world = await createWorld()
    const engine = await app.container.make(QueueEngine)
    await seat(world.counters[0], world.operator)
    await seat(world.counters[1], world.operator2)
    const ticket = await engine.take(world.branch, world.services[0], { channel: 'web' })

    const tvContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } })
    const tv = await tvContext.newPage()
    await tv.goto(`${baseUrl}/display/${world.display.token}`)
    await tv.getByRole('button', { name: 'Klik untuk menyalakan suara' }).click()

    const first = await consoleOf(browser, world.operator.email)
    await first.keyboard.press('n')
    await first.getByTestId('current-number').waitFor()
    await tv.waitForFunction(
      (number) =>
        document.querySelector('[data-testid="now-calling"]')?.textContent?.includes(number),
      ticket.number
    )
    assert.include(await tv.getByTestId('now-calling').textContent(), 'Loket 1')

    // Transfer to Loket 2 with the dialog.
    await first.keyboard.press('t')
    const dialog = first.locator('#transfer-dialog')
    await dialog.getByLabel('Ke loket').selectOption({ label: 'Loket 2' })
    await dialog.getByLabel('Catatan').fill('Ke dokter gigi')
    await dialog.getByRole('button', { name: 'Alihkan' }).click()
    await first.getByRole('button', { name: /Panggil berikutnya/ }).waitFor()

    // The TV no longer shows it at Loket 1.
    await tv.waitForFunction(() => !document.querySelector('[data-testid="now-calling"]'))

    // Loket 2 sees it first in its list and calls it; the TV shows and announces Loket 2.
    const second = await consoleOf(browser, world.operator2.email)
    assert.include(await second.locator('#console').textContent(), 'Dialihkan ke loket ini')
    await second.keyboard.press('n')
    await second.getByTestId('current-number').waitFor()
    assert.equal(await second.getByTestId('current-number').textContent(), ticket.number)
    await tv.waitForFunction(() =>
      document.querySelector('[data-testid="now-calling"]')?.textContent?.includes('Loket 2')
    )
    await tv.waitForFunction(() =>
      document.querySelector('[data-announcer]')?.textContent?.includes('Loket 2')
    )
    assert.equal(
      await tv.locator('[data-announcer]').textContent(),
      'Nomor antrean, A 1, silakan ke Loket 2'
    )

    await tvContext.close()
  }).timeout(60_000)
})
