import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { test } from '@japa/runner'
import { HttpContextFactory, RequestFactory } from '@adonisjs/core/factories/http'
import RequestIdMiddleware from '#middleware/request_id_middleware'

/** A request context as the server makes it, with the headers a client sent. */
function contextWith(headers: Record<string, string>) {
  const req = new IncomingMessage(new Socket())
  req.headers = headers
  const res = new ServerResponse(req)
  return new HttpContextFactory()
    .merge({ request: new RequestFactory().merge({ req, res }).create() })
    .create()
}

async function handled(headers: Record<string, string> = {}) {
  const ctx = contextWith(headers)
  let loggedInside: unknown
  await new RequestIdMiddleware().handle(ctx, async () => {
    loggedInside = ctx.logger.bindings().request_id
  })
  return { ctx, loggedInside }
}

test.group('Request ids', () => {
  test("the proxy's X-Request-Id is kept, answered and on the request's log lines", async ({
    assert,
  }) => {
    const { ctx, loggedInside } = await handled({ 'x-request-id': 'edge-7f3a' })
    assert.equal(ctx.request.header('x-request-id'), 'edge-7f3a')
    assert.equal(ctx.response.getHeader('x-request-id'), 'edge-7f3a')
    assert.equal(loggedInside, 'edge-7f3a')
  })

  test('without one, a new UUID is answered and logged', async ({ assert }) => {
    const { ctx, loggedInside } = await handled()
    const id = ctx.response.getHeader('x-request-id')
    assert.match(String(id), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    assert.equal(ctx.request.header('x-request-id'), id)
    assert.equal(loggedInside, id)
    assert.notEqual((await handled()).ctx.response.getHeader('x-request-id'), id)
  })

  test('a header that is not an id (too long, spaces, markup) gives way to a new UUID', async ({
    assert,
  }) => {
    for (const sent of ['x'.repeat(129), 'id with spaces', '<script>', '']) {
      const { ctx, loggedInside } = await handled({ 'x-request-id': sent })
      const id = ctx.response.getHeader('x-request-id')
      assert.match(String(id), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      assert.equal(loggedInside, id)
    }
  })
})
