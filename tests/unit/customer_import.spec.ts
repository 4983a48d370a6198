import { test } from '@japa/runner'
import { csvRecord } from '#support/csv'
import {
  checkRows,
  decodeCsv,
  detectSeparator,
  ImportRefused,
  mapHeader,
  MAX_IMPORT_ROWS,
  parseCsv,
  readCustomerCsv,
} from '#services/field/customer_import'

/** What `work` threw, as an ImportRefused (key and params), or null. */
function refusal(work: () => unknown) {
  try {
    work()
  } catch (error) {
    if (error instanceof ImportRefused) return { key: error.key, params: error.params }
    throw error
  }
  return null
}

const cells = (text: string) => parseCsv(text).map((record) => record.cells)

test.group('CSV: reading (RFC 4180)', () => {
  test('fields split by commas; quoted fields keep commas, doubled quotes and line breaks', ({
    assert,
  }) => {
    const text =
      'nama,alamat,catatan\r\n' +
      'Budi,"Jl. Melati 5, Bandung","Pintu ""biru"""\r\n' +
      '"Siti","Jl. Mawar 1\r\nRT 02","dua\nbaris"\r\n'
    assert.deepEqual(cells(text), [
      ['nama', 'alamat', 'catatan'],
      ['Budi', 'Jl. Melati 5, Bandung', 'Pintu "biru"'],
      ['Siti', 'Jl. Mawar 1\r\nRT 02', 'dua\nbaris'],
    ])
  })

  test('LF, CRLF and lone CR end records; blank lines and a missing last line break are fine', ({
    assert,
  }) => {
    assert.deepEqual(cells('a,b\nc,d\r\ne,f\rg,h\n\n\ni,j'), [
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
      ['g', 'h'],
      ['i', 'j'],
    ])
    assert.deepEqual(cells('a,b\r\n'), [['a', 'b']])
    assert.deepEqual(cells(''), [])
  })

  test('empty fields are kept, at the start, the middle and the end of a record', ({ assert }) => {
    assert.deepEqual(cells(',x,,\n""'), [['', 'x', '', '']])
    assert.deepEqual(cells('a,,"",b'), [['a', '', '', 'b']])
  })

  test('each record knows the line it starts on, past quoted line breaks and blank lines', ({
    assert,
  }) => {
    const records = parseCsv('nama\n"Budi\nSantoso"\n\nSiti\r\nAni')
    assert.deepEqual(
      records.map((record) => record.line),
      [1, 2, 5, 6]
    )
  })

  test('lenient where spreadsheets are sloppy: a quote inside a field is a character', ({
    assert,
  }) => {
    assert.deepEqual(cells('Toko 5" inch,"ab"cd'), [['Toko 5" inch', 'abcd']])
  })

  test('a quote never closed refuses the file with the line it opened on', ({ assert }) => {
    assert.deepEqual(
      refusal(() => parseCsv('nama,alamat\nBudi,"Jl. Melati\nSiti,Jl. Mawar')),
      { key: 'unclosed_quote', params: { line: 2 } }
    )
  })

  test('the separator is the one the header uses most: comma, semicolon (Excel in Indonesian) or tab', ({
    assert,
  }) => {
    assert.equal(detectSeparator('nama,telepon,alamat\n'), ',')
    assert.equal(detectSeparator('nama;telepon;alamat\nBudi;0812;"Jl. A, B"'), ';')
    assert.equal(detectSeparator('nama\ttelepon\n'), '\t')
    assert.equal(detectSeparator('"nama;x",telepon,alamat\n'), ',')
    assert.equal(detectSeparator('nama\n'), ',')
    assert.deepEqual(cells('nama;alamat\nBudi;"Jl. Melati 5, Bandung"'), [
      ['nama', 'alamat'],
      ['Budi', 'Jl. Melati 5, Bandung'],
    ])
  })
})

test.group('CSV: bytes to text', () => {
  test('UTF-8 with or without its byte-order mark; Windows-1252 from older Excel', ({ assert }) => {
    assert.equal(decodeCsv(Buffer.from('nama\nSiti Ñoman')), 'nama\nSiti Ñoman')
    assert.equal(
      decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('nama\nJosé')])),
      'nama\nJosé'
    )
    assert.equal(decodeCsv(Buffer.from([0x6e, 0x0a, 0x4a, 0x6f, 0x73, 0xe9])), 'n\nJosé')
  })

  test('UTF-16 (Excel\'s "Unicode text") is read by its mark', ({ assert }) => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('nama\tHP\nSiti', 'utf16le'),
    ])
    assert.equal(decodeCsv(utf16), 'nama\tHP\nSiti')
  })

  test('binary files are not text: images, PDF, xlsx (zip), NUL bytes, control characters', ({
    assert,
  }) => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])
    assert.isNull(decodeCsv(png))
    assert.isNull(decodeCsv(Buffer.from('%PDF-1.7\n')))
    assert.isNull(decodeCsv(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])))
    assert.isNull(decodeCsv(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1])))
    assert.isNull(decodeCsv(Buffer.from('nama\nBu\u0000di')))
    assert.isNull(decodeCsv(Buffer.from('nama\nBu\u0007di')))
    assert.equal(decodeCsv(Buffer.from('nama\tx\r\n')), 'nama\tx\r\n')
  })
})

test.group('CSV: writing', () => {
  test('quotes only what needs it, doubles quotes, ends records with CRLF', ({ assert }) => {
    assert.equal(csvRecord(['Budi', null, undefined, 5]), 'Budi,,,5\r\n')
    assert.equal(
      csvRecord(['Jl. Melati 5, Bandung', 'Pintu "biru"', 'dua\nbaris', ' spasi']),
      '"Jl. Melati 5, Bandung","Pintu ""biru""","dua\nbaris"," spasi"\r\n'
    )
  })

  test('cells a spreadsheet would run as a formula start with a quote', ({ assert }) => {
    assert.equal(
      csvRecord(['=HYPERLINK("http://x")', '+6281234567890', '-1', '@SUM(A1)', 'a=b']),
      `"'=HYPERLINK(""http://x"")",'+6281234567890,'-1,'@SUM(A1),a=b\r\n`
    )
  })

  test('what is written is read back the same (the guard is taken off again)', ({ assert }) => {
    const values = ['Siti "Ani", Ñoman', "'=1+1", 'baris\r\nkedua', '+6281234567890', '']
    const text = csvRecord(['name', 'phone', 'address', 'notes', 'x']) + csvRecord(values)
    const { rows } = readCustomerCsv(text, 'ID')
    assert.equal(rows[0].name, 'Siti "Ani", Ñoman')
    assert.equal(rows[0].phone, null)
    assert.deepEqual(rows[0].problems, [{ key: 'bad_phone', params: { phone: '=1+1' } }])
    assert.equal(rows[0].address, 'baris kedua')
    assert.equal(rows[0].notes, '+6281234567890')
    const phones = readCustomerCsv(
      csvRecord(['nama', 'hp']) + csvRecord(['Budi', '+6281234567890']),
      'ID'
    )
    assert.equal(phones.rows[0].phone, '+6281234567890')
  })
})

test.group('CSV: the header and the rows', () => {
  test('English and Indonesian column names in any case map to the fields; others are ignored', ({
    assert,
  }) => {
    assert.deepEqual(mapHeader(['Nama', 'No. HP', 'ALAMAT', 'Catatan', 'Kota']), {
      columns: { name: 0, phone: 1, address: 2, notes: 3 },
      ignored: ['Kota'],
    })
    assert.deepEqual(mapHeader(['phone', ' Name ', 'Address', 'notes', 'status', 'created_at']), {
      columns: { phone: 0, name: 1, address: 2, notes: 3 },
      ignored: ['status', 'created_at'],
    })
    assert.deepEqual(mapHeader(['telepon', 'nama']).columns, { phone: 0, name: 1 })
    assert.deepEqual(mapHeader(['no_hp', 'nama']).columns, { phone: 0, name: 1 })
    assert.deepEqual(mapHeader(['Nomor-Telepon', 'nama']).columns, { phone: 0, name: 1 })
    // The first column naming a field wins; a second one is ignored.
    assert.deepEqual(mapHeader(['nama', 'name']), { columns: { name: 0 }, ignored: ['name'] })
  })

  test('each row is checked: name, phone in E.164, lengths, duplicates inside the file', ({
    assert,
  }) => {
    const text = [
      'nama,hp,alamat,catatan',
      'Budi Santoso,0812-3456-7890,Jl. Melati 5,',
      ',0812 1111 2222,Jl. Kosong,',
      'Siti,12ab,Jl. Mawar,',
      'Ani,+62 812 3456 7890,Jl. Lain,',
      `${'x'.repeat(121)},,,`,
      `Dewi,,${'a'.repeat(501)},`,
      `Eko,,,${'n'.repeat(2001)}`,
      'Tanpa HP,,Jl. Sama 1,',
      'Tanpa HP,,Jl. Sama 1,',
      'Malaysia,012-345 6789,,',
    ].join('\n')
    const { header, rows } = readCustomerCsv(text, 'ID')
    assert.deepEqual(
      header.map((column) => column.field),
      ['name', 'phone', 'address', 'notes']
    )
    assert.deepEqual(
      rows.map((row) => [row.line, row.phone, row.problems.map((problem) => problem.key)]),
      [
        [2, '+6281234567890', []],
        [3, '+6281211112222', ['missing_name']],
        [4, null, ['bad_phone']],
        [5, '+6281234567890', ['duplicate_phone']],
        [6, null, ['name_too_long']],
        [7, null, ['address_too_long']],
        [8, null, ['notes_too_long']],
        [9, null, []],
        [10, null, ['duplicate_row']],
        [11, '+62123456789', []],
      ]
    )
    assert.deepEqual(rows[3].problems[0].params, { line: 2 })
    assert.deepEqual(rows[8].problems[0].params, { line: 9 })
    // Read in Malaysia, a leading 0 is +60.
    const malaysian = readCustomerCsv('nama,hp\nAhmad,012-345 6789', 'MY')
    assert.equal(malaysian.rows[0].phone, '+60123456789')
  })

  test('a row with a problem does not claim its phone: a later good row with it is applied', ({
    assert,
  }) => {
    const rows = checkRows(
      parseCsv(`,0812 3456 7890\nBudi,0812 3456 7890`),
      { name: 0, phone: 1 },
      'ID'
    )
    assert.deepEqual(
      rows.map((row) => row.problems.map((problem) => problem.key)),
      [['missing_name'], []]
    )
  })

  test('a file without a name column, without rows, or with too many rows is refused', ({
    assert,
  }) => {
    assert.deepEqual(
      refusal(() => readCustomerCsv('telepon,alamat\n0812,Jl. A', 'ID'))?.key,
      'no_name_column'
    )
    assert.deepEqual(refusal(() => readCustomerCsv('nama,telepon\n', 'ID'))?.key, 'empty')
    assert.deepEqual(refusal(() => readCustomerCsv('', 'ID'))?.key, 'empty')
    const huge = 'nama\n' + 'Budi\n'.repeat(MAX_IMPORT_ROWS + 1)
    assert.deepEqual(
      refusal(() => readCustomerCsv(huge, 'ID')),
      {
        key: 'too_many_rows',
        params: { max: MAX_IMPORT_ROWS },
      }
    )
  })
})
