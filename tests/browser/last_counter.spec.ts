/// <reference lib="dom" />
import { test } from '@japa/runner'
import { createWorld } from '#tests/helpers/world'
import { logIn } from '#tests/helpers/browser'

test.group('Counter console: the last counter in a real browser', () => {
  test('an operator who logs in again lands directly on the console of the counter used first', async ({
    browser,
    assert,
  }) => {
    const { operator, counters } = await createWorld()

    // First login: the picker; the operator takes Loket 2, then leaves it at the end of the shift.
    const monday = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const first = await monday.newPage()
    await logIn(first, operator.email)
    await first.getByRole('heading', { name: 'Mulai bertugas' }).waitFor()
    await first.getByLabel(counters[1].name).check()
    await first.getByRole('button', { name: 'Mulai' }).click()
    await first.getByRole('button', { name: /Panggil berikutnya/ }).waitFor()
    assert.equal(await first.locator('h1').textContent(), counters[1].name)
    await first.getByRole('button', { name: 'Tinggalkan loket' }).click()
    await first.getByRole('heading', { name: 'Mulai bertugas' }).waitFor()
    await monday.close()

    // Second login, another day: straight to Loket 2's console, ready to call.
    const tuesday = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const second = await tuesday.newPage()
    await logIn(second, operator.email)
    await second.getByRole('button', { name: /Panggil berikutnya/ }).waitFor()
    assert.match(second.url(), /\/app\/counter$/)
    assert.equal(await second.locator('h1').textContent(), counters[1].name)
    assert.equal(await second.getByRole('heading', { name: 'Mulai bertugas' }).count(), 0)
    await tuesday.close()
  })
})
