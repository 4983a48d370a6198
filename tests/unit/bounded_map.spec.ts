import { test } from '@japa/runner'
import { BoundedMap } from '#support/bounded_map'

test.group('BoundedMap', () => {
  test('starts afresh when a new key would pass the limit; a known key is just updated', ({
    assert,
  }) => {
    const remembered = new BoundedMap<string, number>(3)
    remembered.set('a', 1).set('b', 2).set('c', 3)
    remembered.set('b', 20)
    assert.deepEqual(
      [...remembered],
      [
        ['a', 1],
        ['b', 20],
        ['c', 3],
      ]
    )
    remembered.set('d', 4)
    assert.deepEqual([...remembered], [['d', 4]])
    assert.equal(remembered.size, 1)
  })
})
