/// <reference lib="dom" />
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import QueueEngine from '#services/queue/queue_engine'
import { createWorld } from '#tests/helpers/world'
import { baseUrl, logIn } from '#tests/helpers/browser'

const engine = await app.container.make(QueueEngine)

test.group('Queue journey in a real browser', () => {
  test('a visitor takes a number on a phone, an operator calls it, the TV and the phone show the counter', async ({
    browser,
    assert,
  }) => {
    const { branch, operator, display } = await createWorld()

    // The visitor, on a phone-sized screen, takes a number without logging in.
    const phone = await browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    })
    const visitor = await phone.newPage()
    await visitor.goto(`${baseUrl}/b/${branch.slug}`)
    await visitor.getByRole('button', { name: /Layanan 1/ }).click()
    await visitor.waitForURL(/\/t\/[0-9a-f-]{36}$/)
    assert.equal(await visitor.getByTestId('ticket-number').textContent(), 'A001')
    assert.include(
      await visitor.getByTestId('ticket-status').textContent(),
      'Giliran Anda berikutnya!'
    )
    const fitsThePhone = await visitor.evaluate(
      () => document.documentElement.scrollWidth <= window.innerWidth
    )
    assert.isTrue(fitsThePhone, 'no horizontal scrolling on a 360 px phone')

    // The TV is on, sound enabled by one click.
    const tvContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } })
    const tv = await tvContext.newPage()
    await tv.goto(`${baseUrl}/display/${display.token}`)
    await tv.getByRole('button', { name: 'Klik untuk menyalakan suara' }).click()
    assert.include(await tv.locator('#board').textContent(), 'Belum ada nomor yang dipanggil.')

    // The operator logs in, takes Loket 1 and calls the next number with the keyboard.
    const desk = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const console = await desk.newPage()
    await logIn(console, operator.email)
    await console.getByRole('button', { name: 'Mulai' }).click()
    await console.getByRole('button', { name: /Panggil berikutnya/ }).waitFor()
    await console.waitForLoadState('load')
    await console.keyboard.press('n')
    await console.getByTestId('current-number').waitFor()
    assert.equal(await console.getByTestId('current-number').textContent(), 'A001')

    // The TV shows it within its one-second poll and announces it.
    await tv.getByTestId('now-calling').waitFor({ timeout: 5000 })
    const call = await tv.getByTestId('now-calling').textContent()
    assert.include(call, 'A001')
    assert.include(call, 'Loket 1')
    await tv.waitForFunction(() =>
      document.querySelector('[data-announcer]')?.textContent?.includes('Loket 1')
    )
    assert.equal(
      await tv.locator('[data-announcer]').textContent(),
      'Nomor antrean, A 1, silakan ke Loket 1'
    )

    // The visitor's page, polling on its own, says where to go.
    await visitor.getByTestId('ticket-counter').waitFor({ timeout: 8000 })
    assert.equal((await visitor.getByTestId('ticket-counter').textContent())?.trim(), 'Loket 1')
    assert.include(
      await visitor.getByTestId('ticket-status').textContent(),
      'Nomor Anda dipanggil!'
    )

    // Done: the console's history lists it and the visitor is thanked.
    await console.keyboard.press('d')
    await console.getByText('Riwayat hari ini').waitFor()
    await console.locator('table').getByText('A001').waitFor()
    await visitor.getByText('Selesai. Terima kasih!').waitFor({ timeout: 8000 })

    await phone.close()
    await tvContext.close()
    await desk.close()
  }).timeout(60_000)

  test("the operator's console holds one long poll at a time while calling and finishing, and wakes on a new visitor", async ({
    browser,
    assert,
  }) => {
    const { branch, services, operator } = await createWorld()
    for (let index = 0; index < 3; index++)
      await engine.take(branch, services[0], { channel: 'web' })
    const desk = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const console = await desk.newPage()
    // Every long poll the console has open (sent, not yet answered, failed or cancelled).
    const open = new Set<unknown>()
    console.on('request', (request) => {
      if (request.url().includes('/app/counter/live')) open.add(request)
    })
    console.on('requestfinished', (request) => open.delete(request))
    console.on('requestfailed', (request) => open.delete(request))
    await logIn(console, operator.email)
    await console.getByRole('button', { name: 'Mulai' }).click()
    await console.getByRole('button', { name: /Panggil berikutnya/ }).waitFor()
    await console.waitForLoadState('load')

    for (const number of ['A001', 'A002', 'A003']) {
      await console.keyboard.press('n')
      await console.getByTestId('current-number').getByText(number).waitFor()
      await console.keyboard.press('d')
      await console.locator('table').getByText(number).waitFor()
    }
    // Each action replaced the console: the poll of the replaced one ended (answered by the change,
    // or cancelled with its element), none is left holding one of the browser's six connections.
    await console.waitForFunction(() => document.querySelector('#console') !== null)
    assert.isAtMost(open.size, 1)

    // A visitor takes a number elsewhere: the waiting list shows it without a reload, at once.
    const before = Date.now()
    await engine.take(branch, services[0], { channel: 'web' })
    await console.getByText('Menunggu (1)').waitFor({ timeout: 3000 })
    assert.isBelow(Date.now() - before, 3000)
    assert.isAtMost(open.size, 1)
    await desk.close()
  }).timeout(60_000)
})
