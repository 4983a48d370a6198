import { test } from '@japa/runner'
import { createHmac } from 'node:crypto'
import { SECRET_PREFIX, newWebhookSecret, signatureHeader } from '#services/messaging/webhooks'

/** A fixed vector: the secret, the send time and the exact body bytes of one delivery. */
const SECRET = 'whsec_dGVzdC1zZWNyZXQtZm9yLWxva2V0LXdlYmhvb2tz'
const TIMESTAMP = 1767225600
const BODY =
  '{"id":"5f0c6f2e-8d1b-4a51-9a3e-2b7c1d9e4f60","type":"ticket.created","created_at":"2026-01-01T00:00:00.000Z","data":{"ticket":{"id":"t-1","number":"A001"}}}'

test.group('Webhook signature', () => {
  test('the header is t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<body>" keyed with the whole secret>', ({
    assert,
  }) => {
    const expected = createHmac('sha256', SECRET).update(`${TIMESTAMP}.${BODY}`).digest('hex')
    assert.equal(signatureHeader(SECRET, BODY, TIMESTAMP), `t=${TIMESTAMP},v1=${expected}`)
    // The same vector computed outside Node (printf '%s' "1767225600.$BODY" | openssl dgst -sha256 -hmac "$SECRET").
    assert.equal(
      signatureHeader(SECRET, BODY, TIMESTAMP),
      't=1767225600,v1=5b8e0c0e771d8711da0f34ec52e6f0066721272b64be823c4def5f1a282ecb8d'
    )
  })

  test('any change of body, timestamp or secret changes the signature', ({ assert }) => {
    const original = signatureHeader(SECRET, BODY, TIMESTAMP)
    assert.notEqual(
      signatureHeader(SECRET, BODY.replace('A001', 'A002'), TIMESTAMP).split(',')[1],
      original.split(',')[1]
    )
    assert.notEqual(
      signatureHeader(SECRET, BODY, TIMESTAMP + 1).split(',')[1],
      original.split(',')[1]
    )
    assert.notEqual(
      signatureHeader(`${SECRET}x`, BODY, TIMESTAMP).split(',')[1],
      original.split(',')[1]
    )
  })

  test('the body is signed as UTF-8 bytes', ({ assert }) => {
    const body = '{"name":"Siti Nurhaliza — Kuala Lumpur ☕"}'
    const expected = createHmac('sha256', SECRET)
      .update(Buffer.concat([Buffer.from(`${TIMESTAMP}.`), Buffer.from(body, 'utf8')]))
      .digest('hex')
    assert.equal(signatureHeader(SECRET, body, TIMESTAMP), `t=${TIMESTAMP},v1=${expected}`)
  })

  test('a new secret is whsec_ and 32 random bytes in base64url, different every time', ({
    assert,
  }) => {
    const first = newWebhookSecret()
    const second = newWebhookSecret()
    assert.match(first, /^whsec_[A-Za-z0-9_-]{43}$/)
    assert.isTrue(first.startsWith(SECRET_PREFIX))
    assert.lengthOf(Buffer.from(first.slice(SECRET_PREFIX.length), 'base64url'), 32)
    assert.notEqual(first, second)
  })
})
