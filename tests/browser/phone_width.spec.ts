/// <reference lib="dom" />
import { test } from '@japa/runner'
import type { Page } from 'playwright'
import Resource from '#models/resource'
import User from '#models/user'
import QueueEngine from '#services/queue/queue_engine'
import app from '@adonisjs/core/services/app'
import { createWorld, PASSWORD, seat } from '#tests/helpers/world'
import { baseUrl, logIn, overflowOf } from '#tests/helpers/browser'
import { bookingAtNine } from '#tests/helpers/bookings'

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }

/**
 * What is wrong with the page at 360 px: a sideways scroll, or a visible button, link or field cut
 * off at the screen's edge (one inside a box that scrolls sideways, such as a wide table, is fine).
 */
async function problemsOf(page: Page, path: string) {
  const response = await page.goto(`${baseUrl}${path}`)
  const found = await overflowOf(page)
  const problems: string[] = []
  if (response?.status() !== 200) problems.push(`${path}: status ${response?.status()}`)
  if (found.scrollWidth > 360) problems.push(`${path}: ${found.scrollWidth} px wide`)
  if (found.cut.length) problems.push(`${path}: cut off ${found.cut.join(', ')}`)
  return problems
}

test.group('Staff pages on a 360 px phone', () => {
  test('every staff page fits 360 px: no sideways scroll, no button cut off, the menu opens', async ({
    browser,
    assert,
  }) => {
    const world = await createWorld()
    const engine = await app.container.make(QueueEngine)
    const ticket = await engine.take(world.branch, world.services[0], { channel: 'web' })
    const resource = await Resource.create({
      tenantId: world.tenant.id,
      branchId: world.branch.id,
      name: 'Booth 1',
      kind: 'booth',
      position: 1,
      isActive: true,
    })
    const context = await browser.newContext(PHONE)
    const page = await context.newPage()
    await logIn(page, world.owner.email)

    // Every GET page under /app and /admin in start/routes/*.ts that renders HTML for an owner.
    const paths = [
      '/app/counter',
      `/app/tickets/${ticket.id}`,
      '/app/desk',
      `/app/desk/tickets/${ticket.id}`,
      '/app/board',
      '/app/reports/daily',
      '/app/bookings',
      '/app/bookings/new',
      '/app/bookings/board',
      '/admin',
      '/admin/services',
      '/admin/services/create',
      `/admin/services/${world.services[0].id}/edit`,
      '/admin/areas',
      '/admin/counters',
      '/admin/counters/create',
      `/admin/counters/${world.counters[0].id}/edit`,
      '/admin/devices',
      `/admin/devices/${world.display.id}/edit`,
      '/admin/qr',
      '/admin/users',
      '/admin/users/create',
      `/admin/users/${world.operator.id}/edit`,
      '/admin/settings',
      '/admin/branches/create',
      '/admin/audit',
      '/admin/api-keys',
      '/admin/resources',
      '/admin/resources/create',
      `/admin/resources/${resource.id}/edit`,
      '/admin/bookings/settings',
      '/admin/messaging',
      '/admin/messaging/templates',
      '/admin/messaging/channels',
      '/admin/webhooks',
      '/admin/webhooks/create',
      '/admin/payments',
    ]
    const problems: string[] = []
    for (const path of paths) problems.push(...(await problemsOf(page, path)))
    assert.deepEqual(problems, [])

    // The navigation folds behind the Menu button, which opens it and shows its links.
    await page.goto(`${baseUrl}/admin/users`)
    const toggle = page.getByRole('button', { name: 'Menu' })
    assert.isFalse(
      await page.locator('#staff-nav').getByRole('link', { name: 'Meja depan' }).isVisible()
    )
    await toggle.focus()
    await page.keyboard.press('Enter')
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true')
    await page.locator('#staff-nav').getByRole('link', { name: 'Meja depan' }).waitFor()
    await page.locator('#staff-nav summary').click()
    await page.locator('#staff-nav').getByRole('link', { name: 'Pengguna', exact: true }).waitFor()
    const menuWidth = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.isAtMost(menuWidth, 360)
    await page.keyboard.press('Escape')
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false')
    await context.close()
  })

  test('the operator console fits 360 px with a visitor at the counter', async ({
    browser,
    assert,
  }) => {
    const world = await createWorld()
    const engine = await app.container.make(QueueEngine)
    await seat(world.counters[0], world.operator)
    await engine.take(world.branch, world.services[0], { channel: 'web' })
    await engine.take(world.branch, world.services[1], { channel: 'web' })
    await engine.callNext(world.branch, { counter: world.counters[0], by: world.operator })
    const context = await browser.newContext(PHONE)
    const page = await context.newPage()
    await logIn(page, world.operator.email)
    await page.getByTestId('current-number').waitFor()
    assert.deepEqual(await problemsOf(page, '/app/counter'), [])
    await page.getByTestId('current-number').waitFor()
    const cancel = await page.getByRole('button', { name: /Batal/ }).first().boundingBox()
    assert.isAtMost(cancel!.x + cancel!.width, 360)
    await context.close()
  })

  test('a booking and its move page fit 360 px', async ({ browser, assert }) => {
    const { world, booking } = await bookingAtNine()
    const context = await browser.newContext(PHONE)
    const page = await context.newPage()
    await logIn(page, world.owner.email)
    const problems = [
      ...(await problemsOf(page, `/app/bookings/${booking.id}`)),
      ...(await problemsOf(page, `/app/bookings/${booking.id}/reschedule`)),
    ]
    assert.deepEqual(problems, [])
    await context.close()
  })

  test('the platform pages fit 360 px', async ({ browser, assert }) => {
    const admin = await User.create({
      tenantId: null,
      branchId: null,
      fullName: 'Platform',
      email: `platform-${Date.now()}@test.loket`,
      password: PASSWORD,
      role: 'super_admin',
      isActive: true,
    })
    const context = await browser.newContext(PHONE)
    const page = await context.newPage()
    await logIn(page, admin.email)
    const problems: string[] = []
    for (const path of ['/platform/tenants', '/platform/tenants/create'])
      problems.push(...(await problemsOf(page, path)))
    assert.deepEqual(problems, [])
    await context.close()
  })
})
