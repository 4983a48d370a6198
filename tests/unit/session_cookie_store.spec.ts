import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import SessionCookieStore from '#http/session_cookie_store'

type Context = Awaited<ReturnType<typeof testUtils.createHttpContext>>

/** The names of the cookies a response would set. */
function setCookies(ctx: Context) {
  ctx.response.finish()
  const header = ctx.response.getHeader('set-cookie') as string[] | string | undefined
  return [header ?? []].flat().map((cookie) => cookie.split('=')[0])
}

test.group('Session cookie store', () => {
  test('writes the session encrypted and reads it back', async ({ assert }) => {
    const writer = await testUtils.createHttpContext()
    new SessionCookieStore(writer, { path: '/', httpOnly: true }).write('s1', { _csrf: 'secret' })
    writer.response.finish()
    const cookie = [writer.response.getHeader('set-cookie')].flat()[0] as string
    assert.include(cookie, 's1=')
    assert.notInclude(cookie, 'secret')

    const reader = await testUtils.createHttpContext()
    reader.request.request.headers.cookie = cookie.split(';')[0]
    assert.deepEqual(new SessionCookieStore(reader, {}).read('s1'), { _csrf: 'secret' })
  })

  test('a request that changes nothing sends no session cookie back', async ({ assert }) => {
    const ctx = await testUtils.createHttpContext()
    new SessionCookieStore(ctx, {}).touch()
    assert.deepEqual(setCookies(ctx), [])
  })

  test('a missing or tampered cookie reads as no session', async ({ assert }) => {
    const ctx = await testUtils.createHttpContext()
    ctx.request.request.headers.cookie = 's1=e:tampered.value'
    assert.isNull(new SessionCookieStore(ctx, {}).read('s1'))
    assert.isNull(new SessionCookieStore(ctx, {}).read('s2'))
  })

  test('destroy clears the cookie the browser holds', async ({ assert }) => {
    const ctx = await testUtils.createHttpContext()
    ctx.request.request.headers.cookie = 's1=something'
    new SessionCookieStore(ctx, {}).destroy('s1')
    assert.deepEqual(setCookies(ctx), ['s1'])
  })
})
