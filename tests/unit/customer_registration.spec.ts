import { test } from '@japa/runner'
import i18nManager from '@adonisjs/i18n/services/main'
import { parseRegistration, registrationFormat } from '#services/field/customer_registration'
import { DEFAULT_FIELD_SETTINGS } from '#models/settings/field_settings'

type Format = Parameters<typeof parseRegistration>[1]

const daftar: Format = DEFAULT_FIELD_SETTINGS
const read = (text: string, format: Format = daftar) => parseRegistration(text, format)

test.group('WhatsApp registration: reading a message', (group) => {
  group.setup(() => i18nManager.loadTranslations())

  test('DAFTAR#Nama#Alamat gives the name and the whole address', ({ assert }) => {
    assert.deepEqual(read('DAFTAR#Budi Santoso#Jl. Melati 5, Bandung'), {
      kind: 'register',
      name: 'Budi Santoso',
      address: 'Jl. Melati 5, Bandung',
    })
  })

  test('the keyword in any case, spaces around the parts and line breaks are forgiven', ({
    assert,
  }) => {
    assert.deepEqual(read('  daftar # Budi   Santoso #\nJl. Melati 5,\nBandung  '), {
      kind: 'register',
      name: 'Budi Santoso',
      address: 'Jl. Melati 5, Bandung',
    })
    assert.deepEqual(read('Daftar#Siti#Jl. Mawar 1#'), {
      kind: 'register',
      name: 'Siti',
      address: 'Jl. Mawar 1',
    })
  })

  test('the separator inside the address stays part of it', ({ assert }) => {
    assert.deepEqual(read('DAFTAR#Budi#Jl. Melati No#5'), {
      kind: 'register',
      name: 'Budi',
      address: 'Jl. Melati No#5',
    })
    const comma = { registrationKeyword: 'REG', registrationSeparator: ',' }
    assert.deepEqual(read('reg, Budi, Jl. Melati 5, Bandung', comma), {
      kind: 'register',
      name: 'Budi',
      address: 'Jl. Melati 5, Bandung',
    })
  })

  test('a malformed registration says what is missing or too long', ({ assert }) => {
    const problem = (text: string) => {
      const result = read(text)
      return result?.kind === 'malformed' ? result.problem : result
    }
    assert.equal(problem('DAFTAR'), 'missing_name')
    assert.equal(problem('daftar '), 'missing_name')
    assert.equal(problem('DAFTAR#'), 'missing_name')
    assert.equal(problem('DAFTAR##Jl. Melati 5'), 'missing_name')
    assert.equal(problem('DAFTAR#Budi Santoso'), 'missing_address')
    assert.equal(problem('DAFTAR#Budi Santoso#   '), 'missing_address')
    assert.equal(problem('DAFTAR#Budi#####'), 'missing_address')
    assert.equal(problem(`DAFTAR#${'B'.repeat(121)}#Jl. Melati 5`), 'name_too_long')
    assert.equal(problem(`DAFTAR#Budi#${'J'.repeat(501)}`), 'address_too_long')
    assert.equal(problem('DAFTAR#12345#Jl. Melati 5'), 'name_without_letters')
    assert.deepEqual(read(`DAFTAR#${'B'.repeat(120)}#Jl. Melati 5`)?.kind, 'register')
  })

  test('other messages are not registrations, even those that start with the word', ({
    assert,
  }) => {
    for (const text of [
      'Halo, mau tanya jadwal',
      'Daftar harga servis AC berapa?',
      'DAFTARKAN#Budi#Jl. Melati',
      'STOP',
      '#DAFTAR#Budi#Jl. Melati',
      '',
    ])
      assert.isNull(read(text), text)
  })

  test("the tenant's own keyword and separator", ({ assert }) => {
    const format = { registrationKeyword: 'REG', registrationSeparator: '*' }
    assert.deepEqual(read('reg*Ani*Jl. Kenanga 2', format), {
      kind: 'register',
      name: 'Ani',
      address: 'Jl. Kenanga 2',
    })
    assert.isNull(read('DAFTAR#Ani#Jl. Kenanga 2', format))
  })

  test('the correction hint shows the format in the tenant language, with an example', ({
    assert,
  }) => {
    assert.deepEqual(registrationFormat(daftar, 'id'), {
      format: 'DAFTAR#Nama#Alamat',
      example: 'DAFTAR#Budi Santoso#Jl. Melati 5, Bandung',
    })
    assert.equal(
      registrationFormat({ registrationKeyword: 'REG', registrationSeparator: '*' }, 'en').format,
      'REG*Name*Address'
    )
    const example = registrationFormat(daftar, 'ms').example
    assert.deepEqual(read(example), {
      kind: 'register',
      name: 'Budi Santoso',
      address: 'Jl. Melati 5, Bandung',
    })
  })
})
