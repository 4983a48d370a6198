import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import Ticket from '#models/ticket'
import { newModel } from '#models/columns'

test.group('newModel: a new row without a setter per column', () => {
  test('holds what merge would, unsaved and all dirty; an unknown column is refused', ({
    assert,
  }) => {
    const now = DateTime.utc()
    const attributes = {
      id: 'a4b1c2d3-0000-4000-8000-000000000001',
      tenantId: 1,
      serviceId: 2,
      number: 'A001',
      priority: 'regular' as const,
      customerPhone: null,
      queuedAt: now,
    }
    const built = newModel(Ticket, attributes)
    const merged = new Ticket().merge(attributes)
    assert.instanceOf(built, Ticket)
    assert.deepEqual(built.$attributes, merged.$attributes)
    assert.deepEqual(built.$dirty, merged.$dirty)
    assert.isFalse(built.$isPersisted)
    assert.equal(built.number, 'A001')
    assert.strictEqual(built.queuedAt, now)
    built.merge({ number: 'A002' })
    assert.equal(built.number, 'A002')
    assert.equal(attributes.number, 'A001', "the caller's object is not the model's")

    assert.throws(() => newModel(Ticket, { colour: 'red' } as never), 'Ticket has no column colour')
  })
})
