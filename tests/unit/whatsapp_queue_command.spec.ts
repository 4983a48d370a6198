import { test } from '@japa/runner'
import { parseQueueCommand } from '#services/queue/whatsapp_queue'

const text = (body: string) => parseQueueCommand(body, null)

test.group('Queue by WhatsApp: reading a message', () => {
  test('ANTRI with a branch, in any case and with extra spaces, asks for the menu', ({
    assert,
  }) => {
    const menu = { kind: 'menu', branch: 'sehat-sentosa', locale: null }
    assert.deepEqual(text('ANTRI sehat-sentosa'), menu)
    assert.deepEqual(text('  antri   Sehat-Sentosa \n'), menu)
    assert.deepEqual(text('Antre sehat-sentosa'), menu)
    assert.deepEqual(text('GILIRAN sehat-sentosa'), menu)
  })

  test('ANTRI alone asks for the menu of the only branch; QUEUE is answered in English', ({
    assert,
  }) => {
    assert.deepEqual(text('antri'), { kind: 'menu', branch: null, locale: null })
    assert.deepEqual(text('Queue klinik-2'), { kind: 'menu', branch: 'klinik-2', locale: 'en' })
  })

  test('a sentence that starts with the word is a question for the staff, not a command', ({
    assert,
  }) => {
    assert.isNull(text('Antri berapa lama ya?'))
    assert.isNull(text('antri lama?'))
    assert.isNull(text('antrian sehat-sentosa'))
    assert.isNull(text('batal dong'))
    assert.isNull(text('Halo'))
    assert.isNull(text(''))
    assert.isNull(parseQueueCommand(null, null))
  })

  test('BATAL, BATALKAN and CANCEL cancel; CANCEL in English', ({ assert }) => {
    assert.deepEqual(text('BATAL'), { kind: 'cancel', locale: null })
    assert.deepEqual(text(' batalkan '), { kind: 'cancel', locale: null })
    assert.deepEqual(text('Cancel'), { kind: 'cancel', locale: 'en' })
  })

  test('a number alone chooses from the menu; 0, 100 and 2a do not', ({ assert }) => {
    assert.deepEqual(text('2'), { kind: 'choose', position: 2 })
    assert.deepEqual(text(' 12 '), { kind: 'choose', position: 12 })
    assert.isNull(text('0'))
    assert.isNull(text('100'))
    assert.isNull(text('2a'))
    assert.isNull(text('2 3'))
  })

  test("a tapped button's id picks its service, whatever its title says", ({ assert }) => {
    assert.deepEqual(parseQueueCommand('1. Poli Umum', 'q:42'), { kind: 'pick', serviceId: 42 })
    assert.deepEqual(parseQueueCommand(null, 'q:7'), { kind: 'pick', serviceId: 7 })
    assert.isNull(parseQueueCommand('Ya', 'rating:5'))
    assert.isNull(parseQueueCommand(null, 'q:abc'))
  })
})
