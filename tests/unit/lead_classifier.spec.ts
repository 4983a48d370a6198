import { test } from '@japa/runner'
import {
  DEFAULT_LEAD_KEYWORDS,
  DEFAULT_SUPPORT_KEYWORDS,
  classifyFirstMessage,
  findKeyword,
  parseKeywords,
  readReason,
} from '#services/leads/lead_classifier'
import { parseLeadSettings } from '#models/settings/lead_settings'
import { canMoveLead, canBookOnboarding } from '#enums/lead'

const defaults = { lead: DEFAULT_LEAD_KEYWORDS, support: DEFAULT_SUPPORT_KEYWORDS }

test.group('Lead classifier', () => {
  test('a prospect asking the price in Indonesian, English or Malay is a lead, with the word as the reason', ({
    assert,
  }) => {
    assert.deepEqual(classifyFirstMessage('Halo, berapa harga paket bulanan?', defaults), {
      kind: 'lead',
      reason: 'lead_keyword:harga',
      keyword: 'harga',
    })
    assert.equal(
      classifyFirstMessage('Hi, can I get a DEMO please', defaults).reason,
      'lead_keyword:demo'
    )
    assert.equal(classifyFirstMessage('Saya nak langgan sistem POS', defaults).kind, 'lead')
    assert.equal(
      classifyFirstMessage('Mau daftar berlangganan', defaults).reason,
      'lead_keyword:daftar'
    )
  })

  test('a problem is support, with its word; a message with no keyword is support with no_keyword', ({
    assert,
  }) => {
    assert.deepEqual(classifyFirstMessage('Printer saya error terus', defaults), {
      kind: 'support',
      reason: 'support_keyword:printer',
      keyword: 'printer',
    })
    assert.equal(
      classifyFirstMessage('Kasir TIDAK   BISA login', defaults).reason,
      'support_keyword:tidak bisa'
    )
    assert.deepEqual(classifyFirstMessage('Selamat pagi', defaults), {
      kind: 'support',
      reason: 'no_keyword',
      keyword: null,
    })
    assert.equal(classifyFirstMessage(null, defaults).reason, 'no_keyword')
  })

  test('keywords match whole words only, whatever the case', ({ assert }) => {
    assert.equal(findKeyword('HARGA?', 'harga'), 0)
    assert.equal(findKeyword('hargai saya', 'harga'), -1)
    assert.equal(findKeyword('terror', 'error'), -1)
    assert.equal(findKeyword('pendaftaran', 'daftar'), -1)
    assert.equal(findKeyword('berlangganan', 'langgan'), -1)
    assert.equal(findKeyword('ada error.', 'error'), 4)
    assert.equal(findKeyword('Démo', 'démo'), 0)
  })

  test('more keywords of one side win; on a tie the word written first decides', ({ assert }) => {
    const both = 'Printer error, berapa harga printer baru?'
    assert.equal(classifyFirstMessage(both, defaults).kind, 'support')
    assert.equal(classifyFirstMessage('harga printer?', defaults).reason, 'lead_keyword:harga')
    assert.equal(classifyFirstMessage('printer harga?', defaults).reason, 'support_keyword:printer')
    assert.equal(
      classifyFirstMessage('harga paket demo, printer', defaults).reason,
      'lead_keyword:harga'
    )
  })

  test("the tenant's own keywords replace the defaults", ({ assert }) => {
    const own = { lead: ['franchise'], support: ['struk'] }
    assert.equal(classifyFirstMessage('Info franchise dong', own).reason, 'lead_keyword:franchise')
    assert.equal(classifyFirstMessage('berapa harga?', own).reason, 'no_keyword')
  })

  test('keywords typed by a manager are normalized: one per line or comma, trimmed, lower-case, once', ({
    assert,
  }) => {
    assert.deepEqual(parseKeywords(' Harga \nDEMO,  sebut   harga\n\nharga'), [
      'harga',
      'demo',
      'sebut harga',
    ])
  })

  test('stored settings read with defaults; broken JSON reads as defaults', ({ assert }) => {
    assert.deepEqual(parseLeadSettings(null).leadKeywords, [...DEFAULT_LEAD_KEYWORDS])
    assert.isFalse(parseLeadSettings('{').publicForm)
    const stored = parseLeadSettings(
      JSON.stringify({ leadKeywords: ['Franchise'], salesManagerId: 7, publicForm: true })
    )
    assert.deepEqual(stored.leadKeywords, ['franchise'])
    assert.equal(stored.salesManagerId, 7)
    assert.isTrue(stored.publicForm)
    assert.deepEqual(stored.supportKeywords, [...DEFAULT_SUPPORT_KEYWORDS])
  })

  test('a stored reason reads as its code and word', ({ assert }) => {
    assert.deepEqual(readReason('lead_keyword:sebut harga'), {
      code: 'lead_keyword',
      word: 'sebut harga',
    })
    assert.deepEqual(readReason('corrected'), { code: 'corrected', word: null })
    assert.isNull(readReason(null))
  })

  test('the pipeline moves forward and back as sales may, and books onboarding only while open', ({
    assert,
  }) => {
    assert.isTrue(canMoveLead('new', 'qualified'))
    assert.isTrue(canMoveLead('onboarding_booked', 'won'))
    assert.isTrue(canMoveLead('lost', 'new'))
    assert.isFalse(canMoveLead('new', 'won'))
    assert.isFalse(canMoveLead('won', 'lost'))
    assert.isFalse(canMoveLead('new', 'onboarding_booked'))
    assert.isTrue(canBookOnboarding('qualified'))
    assert.isFalse(canBookOnboarding('won'))
  })
})
