import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import User from '#models/user'
import clock from '#support/clock'
import { newTotpSecret, totp } from '#support/totp'
import TwoFactor from '#services/platform/two_factor'
import { HttpSession } from '#tests/helpers/http_session'
import { createWorld, PASSWORD } from '#tests/helpers/world'

const twoFactor = await app.container.make(TwoFactor)

/** Turns two-factor login on for `user` as the set-up page does; returns the secret and recovery codes. */
async function turnOn(user: User) {
  const secret = newTotpSecret()
  const codes = await twoFactor.enable(user, secret, totp(secret, clock.now().toSeconds()), null)
  // The code just used is spent: the next login needs the next step's.
  clock.travelTo(clock.now().plus({ seconds: 30 }))
  return { secret, codes }
}

/** A browser that typed the right password and now stands at the code step. */
async function passwordDone(user: User) {
  const browser = new HttpSession()
  await browser.get('/login')
  const login = await browser.post('/login', { email: user.email, password: PASSWORD })
  if (login.headers.get('location') !== '/login/two-factor')
    throw new Error(`expected the code step, got ${login.status} ${login.headers.get('location')}`)
  await browser.get('/login/two-factor')
  return browser
}

/** Where the staff home sends this browser: in (302 to a start page) or out (302 to /login). */
async function homeOf(browser: HttpSession) {
  const response = await browser.request('/app', { method: 'GET' })
  return response.headers.get('location')
}

test.group('Two-factor login', (group) => {
  group.each.setup(() => () => clock.reset())

  test('turning it on: the page shows a QR code and its key; a wrong code is refused; the right one turns it on with ten recovery codes, audited', async ({
    assert,
  }) => {
    const { owner } = await createWorld()
    const browser = new HttpSession()
    await browser.login(owner.email, PASSWORD)
    const page = await browser.get('/app/account/two-factor')
    assert.equal(page.status, 200)
    assert.include(page.html, '<svg')
    const secret = /data-testid="two-factor-secret">([A-Z2-7 ]+)</
      .exec(page.html)![1]
      .replace(/ /g, '')
    assert.lengthOf(secret, 32)

    const wrong = await browser.post('/app/account/two-factor', { code: '000000' })
    assert.equal(wrong.status, 302)
    assert.isNull((await User.findOrFail(owner.id)).twoFactorEnabledAt)

    const right = await browser.post('/app/account/two-factor', {
      code: totp(secret, clock.now().toSeconds()),
    })
    assert.equal(right.status, 200)
    const codes = [...(await right.text()).matchAll(/<li>([A-Z2-7]{5}-[A-Z2-7]{5})<\/li>/g)]
    assert.lengthOf(codes, 10)
    const on = await User.findOrFail(owner.id)
    assert.isNotNull(on.twoFactorEnabledAt)
    assert.equal(on.twoFactorSecret, secret)
    // Kept encrypted with the app key, never as the key itself.
    const raw = await db.from('users').where('id', owner.id).select('two_factor_secret').first()
    assert.notInclude(String(raw.two_factor_secret), secret)
    const audited = await AuditLog.query()
      .where('tenant_id', owner.tenantId!)
      .where('action', 'user.two_factor_enabled')
    assert.lengthOf(audited, 1)

    const again = await browser.get('/app/account/two-factor')
    assert.include(again.html, 'data-testid="two-factor-on"')
  })

  test('logging in asks for the code: a wrong one, a used one and a late one are refused; a recovery code works once', async ({
    assert,
  }) => {
    const { operator } = await createWorld()
    const { secret, codes } = await turnOn(operator)

    const browser = await passwordDone(operator)
    assert.equal(await homeOf(browser), '/login')
    const wrong = await browser.post('/login/two-factor', { code: '123456' })
    assert.equal(wrong.headers.get('location'), '/login/two-factor')
    assert.equal(await homeOf(browser), '/login')
    const code = totp(secret, clock.now().toSeconds())
    const right = await browser.post('/login/two-factor', { code })
    assert.equal(right.headers.get('location'), '/app')
    assert.equal(await homeOf(browser), '/app/counter')

    // The same code again (seen over a shoulder) does not open a second session.
    const replay = await passwordDone(operator)
    await replay.post('/login/two-factor', { code })
    assert.equal(await homeOf(replay), '/login')

    const recovered = await passwordDone(operator)
    await recovered.post('/login/two-factor', { code: codes[0].toLowerCase() })
    assert.equal(await homeOf(recovered), '/app/counter')
    const reused = await passwordDone(operator)
    await reused.post('/login/two-factor', { code: codes[0] })
    assert.equal(await homeOf(reused), '/login')
    assert.equal(twoFactor.recoveryCodesLeft(await User.findOrFail(operator.id)), 9)

    const late = await passwordDone(operator)
    clock.travelTo(clock.now().plus({ minutes: 6 }))
    const lapsed = await late.post('/login/two-factor', {
      code: totp(secret, clock.now().toSeconds()),
    })
    assert.equal(lapsed.headers.get('location'), '/login')
    assert.equal(await homeOf(late), '/login')
  })

  test('a member turns it off with a code; without the right one it stays on', async ({
    assert,
  }) => {
    const { admin } = await createWorld()
    const { secret } = await turnOn(admin)
    const browser = await passwordDone(admin)
    await browser.post('/login/two-factor', { code: totp(secret, clock.now().toSeconds()) })
    clock.travelTo(clock.now().plus({ seconds: 30 }))
    await browser.get('/app/account/two-factor')
    await browser.post('/app/account/two-factor/disable', { code: '999999' })
    assert.isNotNull((await User.findOrFail(admin.id)).twoFactorEnabledAt)
    await browser.post('/app/account/two-factor/disable', {
      code: totp(secret, clock.now().toSeconds()),
    })
    const off = await User.findOrFail(admin.id)
    assert.isNull(off.twoFactorEnabledAt)
    assert.isNull(off.twoFactorSecret)
  })

  test('a tenant requiring it sends staff without it to set it up; the admin needs it first; an admin resets a member; others cannot', async ({
    client,
    assert,
  }) => {
    const world = await createWorld()
    const refused = await client
      .put('/admin/settings/two-factor')
      .form({ required: '1' })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.admin)
    refused.assertStatus(422)
    assert.equal(refused.body().error.code, 'E_TWO_FACTOR_REQUIRE_SELF')

    await turnOn(world.admin)
    const saved = await client
      .put('/admin/settings/two-factor')
      .form({ required: '1' })
      .redirects(0)
      .withCsrfToken()
      .loginAs(await User.findOrFail(world.admin.id))
    saved.assertStatus(302)
    await world.tenant.refresh()
    assert.isTrue(world.tenant.requireTwoFactor)

    const sent = await client.get('/app/counter').redirects(0).loginAs(world.operator)
    assert.equal(sent.header('location'), '/app/account/two-factor?required=1')
    const setup = await client.get('/app/account/two-factor?required=1').loginAs(world.operator)
    setup.assertStatus(200)
    setup.assertTextIncludes('data-testid="two-factor-required"')

    await turnOn(world.operator)
    const working = await client
      .get('/app/counter')
      .redirects(0)
      .loginAs(await User.findOrFail(world.operator.id))
    assert.notEqual(working.header('location'), '/app/account/two-factor?required=1')

    const admin = await User.findOrFail(world.admin.id)
    const edit = await client.get(`/admin/users/${world.operator.id}/edit`).loginAs(admin)
    edit.assertTextIncludes('data-testid="two-factor-reset"')
    const other = await createWorld()
    await turnOn(world.operator2)
    ;(
      await client
        .post(`/admin/users/${world.operator.id}/two-factor/reset`)
        .withCsrfToken()
        .loginAs(other.admin)
    ).assertStatus(404)
    ;(
      await client
        .post(`/admin/users/${world.operator.id}/two-factor/reset`)
        .withCsrfToken()
        .loginAs(await User.findOrFail(world.operator2.id))
    ).assertStatus(403)
    assert.isNotNull((await User.findOrFail(world.operator.id)).twoFactorEnabledAt)

    const reset = await client
      .post(`/admin/users/${world.operator.id}/two-factor/reset`)
      .redirects(0)
      .withCsrfToken()
      .loginAs(admin)
    reset.assertStatus(302)
    assert.isNull((await User.findOrFail(world.operator.id)).twoFactorEnabledAt)
    const audited = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .where('action', 'user.two_factor_reset')
      .where('subject_id', String(world.operator.id))
    assert.lengthOf(audited, 1)
    assert.equal(audited[0].userId, admin.id)
  })
})
