import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { canMove, inboundEffect } from '#services/inbox/ticket_states'
import { CONVERSATION_STATUSES } from '#enums/inbox'

const now = DateTime.fromISO('2026-12-05T10:00:00', { zone: 'Asia/Jakarta' })
const rules = { queued: false, now, reopenDays: 7 }

test.group('Ticket states: agents', () => {
  test('agents move open -> pending -> resolved -> closed, back to open, and never out of closed', ({
    assert,
  }) => {
    const allowed = CONVERSATION_STATUSES.flatMap((from) =>
      CONVERSATION_STATUSES.filter((to) => canMove(from, to)).map((to) => `${from}->${to}`)
    )
    assert.sameMembers(allowed, [
      'open->pending',
      'open->resolved',
      'open->closed',
      'pending->open',
      'pending->resolved',
      'pending->closed',
      'resolved->open',
      'resolved->closed',
    ])
    for (const status of CONVERSATION_STATUSES) assert.isFalse(canMove(status, status))
  })
})

test.group('Ticket states: a customer writes', () => {
  const support = (status: 'open' | 'pending' | 'resolved' | 'closed', resolvedDaysAgo = 0) => ({
    kind: 'support' as const,
    status,
    resolvedAt: status === 'resolved' ? now.minus({ days: resolvedDaysAgo }) : null,
  })

  test('no conversation, or a closed one, opens a new one', ({ assert }) => {
    assert.equal(inboundEffect(null, rules), 'new')
    assert.equal(inboundEffect(support('closed'), rules), 'new')
  })

  test('an open ticket is joined; a pending one resumes', ({ assert }) => {
    assert.equal(inboundEffect(support('open'), rules), 'join')
    assert.equal(inboundEffect(support('pending'), rules), 'resume')
  })

  test('a resolved ticket reopens within the reopen days, and is closed for a new one after them', ({
    assert,
  }) => {
    assert.equal(inboundEffect(support('resolved', 0), rules), 'reopen')
    assert.equal(inboundEffect(support('resolved', 7), rules), 'reopen')
    assert.equal(inboundEffect(support('resolved', 8), rules), 'close_and_new')
    assert.equal(
      inboundEffect(support('resolved', 1), { ...rules, reopenDays: 0 }),
      'close_and_new'
    )
  })

  test('a queue conversation stays one for queue commands and becomes a ticket for anything else', ({
    assert,
  }) => {
    const queue = { kind: 'queue' as const, status: 'open' as const, resolvedAt: null }
    assert.equal(inboundEffect(queue, { ...rules, queued: true }), 'join')
    assert.equal(inboundEffect(queue, rules), 'convert')
  })
})
