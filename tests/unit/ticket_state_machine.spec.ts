import { test } from '@japa/runner'
import { canTransition, IllegalTransition, nextStatus } from '#services/queue/ticket_state_machine'

test.group('Ticket state machine', () => {
  test('a waiting ticket can be called and becomes called', ({ assert }) => {
    assert.equal(nextStatus('waiting', 'call'), 'called')
  })

  test('a called ticket can be recalled, stays called', ({ assert }) => {
    assert.equal(nextStatus('called', 'recall'), 'called')
  })

  test('a called ticket completes to done', ({ assert }) => {
    assert.equal(nextStatus('called', 'complete'), 'done')
  })

  test('waiting and called tickets can be cancelled', ({ assert }) => {
    assert.equal(nextStatus('waiting', 'cancel'), 'cancelled')
    assert.equal(nextStatus('called', 'cancel'), 'cancelled')
  })

  test('the daily reset closes waiting and called tickets as cancelled', ({ assert }) => {
    assert.equal(nextStatus('waiting', 'close'), 'cancelled')
    assert.equal(nextStatus('called', 'close'), 'cancelled')
  })

  test('a called visitor is started, then completed; or completed straight away', ({ assert }) => {
    assert.equal(nextStatus('called', 'start'), 'serving')
    assert.equal(nextStatus('serving', 'complete'), 'done')
    assert.equal(nextStatus('called', 'complete'), 'done')
  })

  test('a waiting ticket can be held and released, keeping its place', ({ assert }) => {
    assert.equal(nextStatus('waiting', 'hold'), 'held')
    assert.equal(nextStatus('held', 'unhold'), 'waiting')
  })

  test('skip and requeue send a called ticket back to waiting', ({ assert }) => {
    assert.equal(nextStatus('called', 'skip'), 'waiting')
    assert.equal(nextStatus('called', 'requeue'), 'waiting')
  })

  test('waiting and called tickets can become no-shows', ({ assert }) => {
    assert.equal(nextStatus('waiting', 'no_show'), 'no_show')
    assert.equal(nextStatus('called', 'no_show'), 'no_show')
  })

  test('called and serving tickets can be transferred, back to waiting', ({ assert }) => {
    assert.equal(nextStatus('called', 'transfer'), 'waiting')
    assert.equal(nextStatus('serving', 'transfer'), 'waiting')
  })

  test('illegal moves are refused with the action and the status', ({ assert }) => {
    const illegal: [Parameters<typeof nextStatus>[0], Parameters<typeof nextStatus>[1]][] = [
      ['waiting', 'recall'],
      ['waiting', 'complete'],
      ['called', 'call'],
      ['done', 'call'],
      ['done', 'cancel'],
      ['done', 'recall'],
      ['cancelled', 'call'],
      ['cancelled', 'complete'],
      ['cancelled', 'close'],
      ['waiting', 'start'],
      ['serving', 'start'],
      ['held', 'call'],
      ['serving', 'skip'],
      ['serving', 'no_show'],
      ['waiting', 'transfer'],
      ['held', 'hold'],
      ['waiting', 'unhold'],
      ['no_show', 'call'],
      ['serving', 'cancel'],
      ['done', 'transfer'],
    ]
    for (const [from, action] of illegal) {
      assert.isFalse(canTransition(from, action), `${action} from ${from}`)
      let error: unknown = null
      try {
        nextStatus(from, action)
      } catch (thrown) {
        error = thrown
      }
      assert.instanceOf(error, IllegalTransition)
      assert.include((error as Error).message, action)
      assert.include((error as Error).message, from)
    }
  })
})
