import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import ApiKey from '#models/api_key'
import AuditLog from '#models/audit_log'
import ApiKeys, { hashKey } from '#services/platform/api_keys'
import IdempotentRequests from '#services/platform/idempotent_requests'
import clock from '#support/clock'
import { createWorld } from '#tests/helpers/world'
import app from '@adonisjs/core/services/app'

const apiKeys = await app.container.make(ApiKeys)
const idempotentRequests = await app.container.make(IdempotentRequests)

test.group('API keys', (group) => {
  group.each.teardown(() => clock.reset())

  test('a new key is lk_ and 32 random bytes; only its hash and a short prefix are stored', async ({
    assert,
  }) => {
    const { tenant, owner } = await createWorld()
    const { apiKey, plainKey } = await apiKeys.create(tenant, 'Booking website', { user: owner })

    assert.match(plainKey, /^lk_[A-Za-z0-9_-]{43}$/)
    const stored = await ApiKey.findOrFail(apiKey.id)
    assert.equal(stored.tokenHash, hashKey(plainKey))
    assert.match(stored.tokenHash, /^[0-9a-f]{64}$/)
    assert.equal(stored.prefix, plainKey.slice(0, 11))
    assert.equal(stored.createdBy, owner.id)
    assert.notInclude(JSON.stringify(stored.serialize()), plainKey)

    const audit = await AuditLog.query()
      .where('action', 'api_key.created')
      .where('subject_id', String(apiKey.id))
      .firstOrFail()
    assert.notInclude(JSON.stringify(audit.changes), stored.tokenHash)
  })

  test('two keys are never the same', async ({ assert }) => {
    const { tenant } = await createWorld()
    const first = await apiKeys.create(tenant, 'One', { user: null })
    const second = await apiKeys.create(tenant, 'Two', { user: null })
    assert.notEqual(first.plainKey, second.plainKey)
  })

  test('verify finds an active key and its tenant, and nothing else', async ({ assert }) => {
    const { tenant } = await createWorld()
    const { apiKey, plainKey } = await apiKeys.create(tenant, 'System', { user: null })

    const verified = await apiKeys.verify(plainKey)
    assert.equal(verified?.apiKey.id, apiKey.id)
    assert.equal(verified?.tenant.id, tenant.id)
    assert.isNull(
      await apiKeys.verify(plainKey.slice(0, -1) + (plainKey.endsWith('A') ? 'B' : 'A'))
    )
    assert.isNull(await apiKeys.verify('not-a-key'))

    tenant.isActive = false
    await tenant.save()
    assert.isNull(await apiKeys.verify(plainKey), 'a disabled tenant')
    tenant.isActive = true
    await tenant.save()

    await apiKeys.revoke(apiKey, { user: null })
    assert.isNull(await apiKeys.verify(plainKey), 'a revoked key')
    assert.lengthOf(
      await AuditLog.query()
        .where('action', 'api_key.revoked')
        .where('subject_id', String(apiKey.id)),
      1
    )

    await apiKeys.revoke(apiKey, { user: null })
    assert.lengthOf(
      await AuditLog.query()
        .where('action', 'api_key.revoked')
        .where('subject_id', String(apiKey.id)),
      1
    )
  })

  test('last use is written at most once a minute', async ({ assert }) => {
    const { tenant } = await createWorld()
    const { apiKey } = await apiKeys.create(tenant, 'System', { user: null })
    const start = DateTime.utc().startOf('second')

    clock.travelTo(start)
    await apiKeys.touch(await ApiKey.findOrFail(apiKey.id))
    const first = (await ApiKey.findOrFail(apiKey.id)).lastUsedAt!
    assert.approximately(first.toMillis(), start.toMillis(), 1000)

    clock.travelTo(start.plus({ seconds: 30 }))
    await apiKeys.touch(await ApiKey.findOrFail(apiKey.id))
    assert.equal((await ApiKey.findOrFail(apiKey.id)).lastUsedAt!.toMillis(), first.toMillis())

    clock.travelTo(start.plus({ seconds: 61 }))
    await apiKeys.touch(await ApiKey.findOrFail(apiKey.id))
    assert.isAbove((await ApiKey.findOrFail(apiKey.id)).lastUsedAt!.toMillis(), first.toMillis())
  })
})

test.group('Idempotent requests', () => {
  test("the engine's request id fits its column and differs per API key", ({ assert }) => {
    const key = 'x'.repeat(128)
    assert.lengthOf(idempotentRequests.requestIdOf(1, key), 64)
    assert.notEqual(idempotentRequests.requestIdOf(1, key), idempotentRequests.requestIdOf(2, key))
    assert.equal(idempotentRequests.requestIdOf(1, key), idempotentRequests.requestIdOf(1, key))
  })

  test('the same request is the same whatever the order of its fields; another body or path is not', ({
    assert,
  }) => {
    const fingerprint = idempotentRequests.fingerprint.bind(idempotentRequests)
    const body = { branch_id: 1, service_id: 2, extra: { a: 1, b: [1, 2] } }
    const base = fingerprint('POST', '/api/v1/tickets', body)
    assert.equal(
      base,
      fingerprint('POST', '/api/v1/tickets', {
        extra: { b: [1, 2], a: 1 },
        service_id: 2,
        branch_id: 1,
      })
    )
    assert.notEqual(base, fingerprint('POST', '/api/v1/tickets', { ...body, service_id: 3 }))
    assert.notEqual(
      base,
      fingerprint('POST', '/api/v1/tickets', { ...body, extra: { a: 1, b: [2, 1] } })
    )
    assert.notEqual(base, fingerprint('POST', '/api/v1/queues', body))
  })

  test('a finished request is replayed, a different one with the key is refused', async ({
    assert,
  }) => {
    const { tenant } = await createWorld()
    const { apiKey } = await apiKeys.create(tenant, 'System', { user: null })
    const fingerprint = idempotentRequests.fingerprint('POST', '/api/v1/tickets', { service_id: 1 })

    assert.deepEqual(await idempotentRequests.claim(tenant.id, apiKey.id, 'k-1', fingerprint), {
      replay: false,
    })
    await idempotentRequests.complete(apiKey.id, 'k-1', 201, { id: 'abc' })
    assert.deepEqual(await idempotentRequests.claim(tenant.id, apiKey.id, 'k-1', fingerprint), {
      replay: true,
      status: 201,
      body: { id: 'abc' },
    })

    const other = idempotentRequests.fingerprint('POST', '/api/v1/tickets', { service_id: 2 })
    const error = await idempotentRequests
      .claim(tenant.id, apiKey.id, 'k-1', other)
      .catch((reason) => reason)
    assert.equal(error.code, 'E_IDEMPOTENCY_KEY_REUSED')
    assert.equal(error.status, 422)
  })

  test('a released claim (the server failed) lets the retry run again', async ({ assert }) => {
    const { tenant } = await createWorld()
    const { apiKey } = await apiKeys.create(tenant, 'System', { user: null })
    const fingerprint = idempotentRequests.fingerprint('POST', '/api/v1/tickets', {})
    await idempotentRequests.claim(tenant.id, apiKey.id, 'k-2', fingerprint)
    await idempotentRequests.release(apiKey.id, 'k-2')
    assert.deepEqual(await idempotentRequests.claim(tenant.id, apiKey.id, 'k-2', fingerprint), {
      replay: false,
    })
  })
})
