import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { NOT_PERSONAL, PERSONAL_DATA, uncoveredColumns } from '#services/privacy/personal_data_map'

/** Every table of the migrated database and its columns. */
async function schema() {
  const connection = db.connection()
  const tables: string[] = await connection.getAllTables()
  const columns: Record<string, string[]> = {}
  for (const table of tables) columns[table] = Object.keys(await connection.columnsInfo(table))
  return columns
}

test.group('Personal data map covers the schema', () => {
  test('every column that looks personal is in the map or listed as not personal', async ({
    assert,
  }) => {
    const missing = uncoveredColumns(await schema())
    assert.deepEqual(
      missing,
      [],
      `Columns that look personal but are neither in PERSONAL_DATA nor NOT_PERSONAL ` +
        `(app/services/privacy/personal_data_map.ts): ${missing.join(', ')}`
    )
  })

  test('every table and column the map names exists, with a tenant column', async ({ assert }) => {
    const columns = await schema()
    for (const entry of PERSONAL_DATA) {
      if (!columns[entry.table]) {
        assert.isTrue(entry.optional === true, `${entry.table} is missing`)
        continue
      }
      const named = [
        entry.key,
        'tenant_id',
        ...Object.keys(entry.columns),
        ...entry.context,
        ...(entry.marker ? ['anonymized_at'] : []),
        ...(entry.retention ? [entry.retention.column] : []),
        ...entry.find.flatMap((finder) =>
          'phone' in finder
            ? [finder.phone]
            : 'email' in finder
              ? [finder.email]
              : [finder.column, ...(finder.type ? [finder.type.column] : [])]
        ),
      ]
      for (const column of named)
        assert.include(columns[entry.table], column, `${entry.table}.${column} does not exist`)
      for (const finder of entry.find) {
        if ('parent' in finder)
          assert.isTrue(
            PERSONAL_DATA.findIndex((other) => other.table === finder.parent) <
              PERSONAL_DATA.indexOf(entry),
            `${entry.table}: its parent ${finder.parent} must come before it`
          )
      }
    }
  })

  test('the not-personal list names real columns only', async ({ assert }) => {
    const columns = await schema()
    for (const name of Object.keys(NOT_PERSONAL)) {
      const [table, column] = name.split('.')
      if (table === 'sqlite_sequence' || !columns[table]) continue
      assert.include(columns[table], column, `${name} does not exist`)
    }
  })

  test('the leads and renewals tables are covered', async ({ assert }) => {
    const columns = await schema()
    for (const table of ['leads', 'lead_events', 'renewal_attempts'])
      if (columns[table])
        assert.isTrue(
          PERSONAL_DATA.some((entry) => entry.table === table),
          `${table} is not in the map`
        )
  })
})
