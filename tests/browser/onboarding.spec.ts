/// <reference lib="dom" />
import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import type { Locator } from 'playwright'
import User from '#models/user'
import { PASSWORD } from '#tests/helpers/world'
import { baseUrl, logIn } from '#tests/helpers/browser'

/** The owner's effort: every click and every typed field goes through these. */
function counting() {
  const effort = { clicks: 0, fields: 0 }
  return {
    effort,
    async click(target: Locator) {
      effort.clicks++
      await target.click()
    },
    async fill(target: Locator, value: string) {
      effort.fields++
      await target.fill(value)
    },
  }
}

test.group('Setup and first run in a real browser', () => {
  test('a new owner goes from first login to the first number on the TV in at most 8 clicks', async ({
    browser,
    assert,
  }) => {
    const key = randomUUID().slice(0, 8)
    const platform = await User.create({
      tenantId: null,
      branchId: null,
      fullName: 'Platform',
      email: `platform-${key}@test.loket`,
      password: PASSWORD,
      role: 'super_admin',
      isActive: true,
    })

    // The platform admin opens the business, as today.
    const adminContext = await browser.newContext()
    const admin = await adminContext.newPage()
    await logIn(admin, platform.email)
    await admin.goto(`${baseUrl}/platform/tenants/create`)
    await admin.fill('#field-name', `Klinik ${key}`)
    await admin.fill('#field-slug', `k-${key}`)
    await admin.fill('#field-branch_name', 'Cabang Utama')
    await admin.fill('#field-branch_slug', `k-${key}-utama`)
    await admin.fill('#field-owner_name', 'Bu Ani')
    await admin.fill('#field-owner_email', `ani-${key}@test.loket`)
    await admin.fill('#field-owner_password', PASSWORD)
    await admin.getByRole('button', { name: 'Buat tenant' }).click()
    await admin.getByText(`Klinik ${key}`).first().waitFor()
    await adminContext.close()

    // The owner, counted from the login page on.
    const started = Date.now()
    const { effort, click, fill } = counting()
    const ownerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const owner = await ownerContext.newPage()
    await owner.goto(`${baseUrl}/login`)
    await fill(owner.getByLabel('Email'), `ani-${key}@test.loket`)
    await fill(owner.getByLabel('Kata sandi'), PASSWORD)
    await click(owner.getByRole('button', { name: 'Masuk' }))
    await owner.waitForURL(/\/admin\/setup$/)
    assert.equal(await owner.inputValue('#field-name'), `Klinik ${key}`)
    await fill(owner.locator('#field-services'), 'Poli Umum\nPoli Gigi')
    await click(owner.getByRole('button', { name: 'Siapkan antrean' }))
    await owner.waitForURL(/\/admin\/setup\/done$/)

    // The TV link opens in a second page; one click turns its sound on.
    const [tv] = await Promise.all([
      ownerContext.waitForEvent('page'),
      click(owner.getByTestId('tv-link')),
    ])
    await tv.waitForLoadState()
    await click(tv.getByRole('button', { name: 'Klik untuk menyalakan suara' }))

    // A visitor takes a number on a phone (not the owner's effort).
    const phone = await browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
    })
    const visitor = await phone.newPage()
    await visitor.goto(`${baseUrl}/b/k-${key}-utama`)
    await visitor.getByRole('button', { name: /Poli Umum/ }).click()
    await visitor.waitForURL(/\/t\/[0-9a-f-]{36}$/)
    assert.equal(await visitor.getByTestId('ticket-number').textContent(), 'P001')

    // The console, and the first call.
    await click(owner.getByRole('button', { name: 'Buka konsol Loket 1' }))
    await click(owner.getByRole('button', { name: /Panggil berikutnya/ }))
    await tv.getByTestId('now-calling').waitFor({ timeout: 5000 })
    const call = await tv.getByTestId('now-calling').textContent()
    assert.include(call, 'P001')
    assert.include(call, 'Loket 1')

    const seconds = (Date.now() - started) / 1000
    console.log(
      `onboarding: owner ${effort.clicks} clicks, ${effort.fields} typed fields, ${seconds.toFixed(1)} s from login to the first number on the TV`
    )
    assert.isAtMost(effort.clicks, 8)
    assert.isBelow(seconds, 180)
    await phone.close()
    await ownerContext.close()
  }).timeout(120_000)
})
