import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/lucid'

const migrations = { naturalSort: true, paths: ['database/migrations'] }

function mysql(options: { multipleStatements?: boolean } = {}) {
  return {
    client: 'mysql2' as const,
    connection: {
      host: env.get('DB_HOST', '127.0.0.1'),
      port: env.get('DB_PORT', 3306),
      user: env.get('DB_USER', 'loket'),
      password: env.get('DB_PASSWORD', 'loket'),
      database: env.get('DB_DATABASE', 'loket'),
      timezone: 'Z',
      charset: 'utf8mb4',
      dateStrings: false,
      ...options,
    },
    pool: { min: 0, max: env.get('DB_POOL_MAX', 10) },
    migrations,
  }
}

const dbConfig = defineConfig({
  connection: env.get('DB_CONNECTION', 'sqlite'),
  prettyPrintDebugQueries: true,
  connections: {
    sqlite: {
      client: 'better-sqlite3',
      connection: { filename: app.makePath(env.get('SQLITE_PATH', 'tmp/loket.sqlite3')) },
      useNullAsDefault: true,
      migrations,
    },
    mysql: mysql(),
    /**
     * The same database for the hot path's plain-SQL transactions (app/support/sql.ts): these
     * connections accept several statements in one query, so that taking a number is two round
     * trips. Only that code uses them; everything else sends one statement per query.
     */
    mysql_batches: mysql({ multipleStatements: true }),
  },
})

export default dbConfig
