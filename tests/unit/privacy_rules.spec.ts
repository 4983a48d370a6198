import { test } from '@japa/runner'
import {
  ipAllowed,
  parseAllowList,
  parseCidr,
  parsePrivacySettings,
} from '#services/privacy/privacy_settings'
import { erasedValue, isErasedValue, personOf } from '#services/privacy/personal_data'
import { PERSONAL_DATA, uncoveredColumns } from '#services/privacy/personal_data_map'

test.group('Privacy rules', () => {
  test('a person is an email (lower case) or a phone read in the branch country', ({ assert }) => {
    assert.deepEqual(personOf(' Siti@Example.COM '), { phone: null, email: 'siti@example.com' })
    assert.deepEqual(personOf('0812-3456-7890'), { phone: '+6281234567890', email: null })
    assert.deepEqual(personOf('012-345 6789', 'MY'), { phone: '+60123456789', email: null })
    assert.deepEqual(personOf('+60 12-345 6789'), { phone: '+60123456789', email: null })
    assert.isNull(personOf('not a person'))
    assert.isNull(personOf('a@b'))
    assert.isNull(personOf(''))
  })

  test('CIDRs and single addresses, IPv4 and IPv6', ({ assert }) => {
    assert.deepEqual(parseCidr('10.0.0.0/8'), { address: '10.0.0.0', prefix: 8, family: 'ipv4' })
    assert.deepEqual(parseCidr('203.0.113.7'), {
      address: '203.0.113.7',
      prefix: 32,
      family: 'ipv4',
    })
    assert.equal(parseCidr('2001:db8::/32')?.family, 'ipv6')
    for (const wrong of ['10.0.0.0/33', '300.1.1.1', 'abc', '10.0.0.0/8/1', '10.0.0.0/x', ''])
      assert.isNull(parseCidr(wrong), wrong)
    const { valid, invalid } = parseAllowList('10.0.0.0/8\n203.0.113.7, bogus; 10.0.0.0/8')
    assert.deepEqual(valid, ['10.0.0.0/8', '203.0.113.7/32'])
    assert.deepEqual(invalid, ['bogus'])
  })

  test('an address is allowed inside the list, everywhere when the list is empty', ({ assert }) => {
    const list = ['10.0.0.0/8', '203.0.113.7/32', '2001:db8::/32']
    assert.isTrue(ipAllowed([], '198.51.100.1'))
    assert.isTrue(ipAllowed(list, '10.20.30.40'))
    assert.isTrue(ipAllowed(list, '::ffff:10.1.2.3'))
    assert.isTrue(ipAllowed(list, '203.0.113.7'))
    assert.isTrue(ipAllowed(list, '2001:db8::1'))
    assert.isFalse(ipAllowed(list, '203.0.113.8'))
    assert.isFalse(ipAllowed(list, '127.0.0.1'))
    assert.isFalse(ipAllowed(list, '2001:db9::1'))
    assert.isFalse(ipAllowed(list, null))
    assert.isFalse(ipAllowed(list, 'garbage'))
  })

  test('settings keep valid retention days and CIDRs only', ({ assert }) => {
    const settings = parsePrivacySettings(
      JSON.stringify({
        retention: { tickets: 90, bookings: 5, ratings: 'x', leads: 400 },
        ipAllowList: ['10.0.0.0/8', 'nope'],
      })
    )
    assert.equal(settings.retention.tickets, 90)
    assert.isNull(settings.retention.bookings)
    assert.isNull(settings.retention.ratings)
    assert.equal(settings.retention.leads, 400)
    assert.isNull(settings.retention.conversations)
    assert.deepEqual(settings.ipAllowList, ['10.0.0.0/8'])
    assert.deepEqual(parsePrivacySettings('{not json').ipAllowList, [])
  })

  test('erased values and what counts as erased', ({ assert }) => {
    assert.equal(erasedValue('name'), 'Dihapus')
    assert.equal(erasedValue('text'), '[dihapus]')
    assert.equal(erasedValue('json'), '{}')
    assert.isNull(erasedValue('null'))
    assert.isNull(erasedValue('media'))
    assert.isTrue(isErasedValue('placeholder', 'dihapus:12'))
    assert.isFalse(isErasedValue('placeholder', '+6281234567890'))
    assert.isTrue(isErasedValue('name', 'Dihapus'))
    assert.isFalse(isErasedValue('name', 'Siti'))
  })

  test('the coverage check flags a new personal-looking column', ({ assert }) => {
    const schema = {
      tickets: ['id', 'customer_name', 'customer_phone', 'note', 'status'],
      widgets: ['id', 'owner_phone', 'nickname', 'home_address', 'ip', 'zip', 'description'],
      users: ['full_name', 'email'],
    }
    assert.deepEqual(uncoveredColumns(schema), [
      'widgets.home_address',
      'widgets.ip',
      'widgets.owner_phone',
    ])
    // Every map entry's parents come first.
    const seen = new Set<string>()
    for (const entry of PERSONAL_DATA) {
      for (const finder of entry.find)
        if ('parent' in finder) assert.isTrue(seen.has(finder.parent), entry.table)
      seen.add(entry.table)
    }
  })
})
