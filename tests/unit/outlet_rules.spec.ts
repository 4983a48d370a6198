import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { OutletImportRefused, parseDay, readOutletCsv } from '#services/inbox/outlet_directory'
import { applyScope, formatScopes, parseScopes } from '#services/inbox/user_scopes'

/** What readOutletCsv refuses a text with (the key), or null. */
function refusal(text: string) {
  try {
    readOutletCsv(text, 'ID')
    return null
  } catch (error) {
    if (error instanceof OutletImportRefused) return { key: error.key, params: error.params }
    throw error
  }
}

test.group('Outlets: reading a CSV', () => {
  test('columns in any order, Indonesian names, semicolons, a BOM-less text; each row checked', ({
    assert,
  }) => {
    const { rows, ignored, columns } = readOutletCsv(
      [
        'Status;Nama;OID;FID;No. HP;Berlaku sampai;Catatan',
        'aktif;Kopi Senja;O1;F1;0812-3456-7890;31/12/2026;x',
        ';Kopi Pagi;O2;F1;;2026-01-05;',
        "nonaktif;  Roti   Enak ;O3;F1;'+60123456789;1/2/2027;",
      ].join('\n'),
      'ID'
    )
    assert.deepEqual(ignored, ['Catatan'])
    assert.deepEqual(columns, { status: 0, name: 1, oid: 2, fid: 3, phone: 4, expires_on: 5 })
    assert.deepEqual(
      rows.map(({ line, fid, oid, name, phone, expiresOn, status, problems }) => ({
        line,
        fid,
        oid,
        name,
        phone,
        expiresOn,
        status,
        problems,
      })),
      [
        {
          line: 2,
          fid: 'F1',
          oid: 'O1',
          name: 'Kopi Senja',
          phone: '+6281234567890',
          expiresOn: '2026-12-31',
          status: 'active',
          problems: [],
        },
        {
          line: 3,
          fid: 'F1',
          oid: 'O2',
          name: 'Kopi Pagi',
          phone: null,
          expiresOn: '2026-01-05',
          status: null,
          problems: [],
        },
        {
          line: 4,
          fid: 'F1',
          oid: 'O3',
          name: 'Roti Enak',
          phone: '+60123456789',
          expiresOn: '2027-02-01',
          status: 'inactive',
          problems: [],
        },
      ]
    )
  })

  test('bad rows carry their problems; a repeated fid/oid (any case) is a duplicate of the first', ({
    assert,
  }) => {
    const { rows } = readOutletCsv(
      [
        'fid,oid,name,phone,expires_on,status,address',
        'F1,O1,Satu,,,,',
        ',O2,Dua,,,,',
        'F 1,O3,,12-ab,30/02/2026,open,',
        'f1,o1,Lagi,,,,',
        `F2,O9,${'n'.repeat(161)},,2026-13-01,,${'a'.repeat(501)}`,
      ].join('\r\n'),
      'ID'
    )
    assert.deepEqual(
      rows.map((row) => [row.line, row.problems.map((problem) => problem.key)]),
      [
        [2, []],
        [3, ['missing_fid']],
        [4, ['bad_fid', 'missing_name', 'bad_phone', 'bad_date', 'bad_status']],
        [5, ['duplicate_row']],
        [6, ['name_too_long', 'address_too_long', 'bad_date']],
      ]
    )
    assert.deepEqual(rows[3].problems[0].params, { line: 2 })
  })

  test('a file without its required columns, without rows, or with an open quote is refused', ({
    assert,
  }) => {
    assert.deepEqual(refusal('fid,name\nF1,Satu'), {
      key: 'missing_columns',
      params: { columns: 'oid' },
    })
    assert.deepEqual(refusal('fid,oid,name\n'), { key: 'empty', params: {} })
    assert.deepEqual(refusal('fid,oid,name\nF1,O1,"Satu\n'), {
      key: 'unclosed_quote',
      params: { line: 2 },
    })
  })

  test('dates: ISO or day first, real days only', ({ assert }) => {
    assert.equal(parseDay('2026-12-31'), '2026-12-31')
    assert.equal(parseDay('31/12/2026'), '2026-12-31')
    assert.equal(parseDay('1.2.2026'), '2026-02-01')
    assert.equal(parseDay('05-06-2026'), '2026-06-05')
    assert.equal(parseDay('2024-02-29'), '2024-02-29')
    for (const bad of ['2026-02-29', '31/04/2026', '12/31/2026', '2026/12/31', 'besok', ''])
      assert.isNull(parseDay(bad), bad)
  })
})

test.group('Outlets: scopes as typed', () => {
  test('one fid or fid/oid a line; fid/* is the whole franchise; the first bad line is named', ({
    assert,
  }) => {
    assert.deepEqual(parseScopes(' F1 \r\n\nF2/O7\nF3/*\nF4/'), {
      scopes: [
        { fid: 'F1', oid: null },
        { fid: 'F2', oid: 'O7' },
        { fid: 'F3', oid: null },
        { fid: 'F4', oid: null },
      ],
      bad: null,
    })
    assert.equal(parseScopes('F1\nF 2\nF3').bad, 2)
    assert.equal(parseScopes('F1/O1/X').bad, 1)
    assert.equal(parseScopes('/O1').bad, 1)
    assert.deepEqual(parseScopes(''), { scopes: [], bad: null })
    assert.equal(
      formatScopes([
        { fid: 'F1', oid: null },
        { fid: 'F2', oid: 'O7' },
      ]),
      'F1\nF2/O7'
    )
  })

  test('applyScope writes fid IN (...) OR (fid = ? AND oid IN (...)), and nothing when unscoped', ({
    assert,
  }) => {
    const sql = (scopes: Parameters<typeof applyScope>[1], table?: string) => {
      const native = applyScope(db.from('conversations').select('id'), scopes, table)
        .toSQL()
        .toNative()
      // Quoted with backticks (MySQL, SQLite) or double quotes: compared without them.
      return { sql: native.sql.replace(/[`"]/g, ''), bindings: native.bindings }
    }
    assert.notInclude(sql(null).sql, 'fid')
    assert.notInclude(sql([]).sql, 'fid')
    const scoped = sql(
      [
        { fid: 'F1', oid: null },
        { fid: 'F2', oid: 'O1' },
        { fid: 'F2', oid: 'O2' },
        { fid: 'F1', oid: 'O5' },
      ],
      'conversations'
    )
    assert.include(scoped.sql, 'conversations.fid in (?)')
    assert.include(scoped.sql, '(conversations.fid = ? and conversations.oid in (?, ?))')
    assert.deepEqual(scoped.bindings, ['F1', 'F2', 'O1', 'O2'])
  })
})
