import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/lucid'

const migrations = { naturalSort: true, paths: ['database/migrations'] }

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
    mysql: {
      client: 'mysql2',
      connection: {
        host: env.get('DB_HOST', '127.0.0.1'),
        port: env.get('DB_PORT', 3306),
        user: env.get('DB_USER', 'loket'),
        password: env.get('DB_PASSWORD', 'loket'),
        database: env.get('DB_DATABASE', 'loket'),
        timezone: 'Z',
        charset: 'utf8mb4',
        dateStrings: false,
      },
      pool: { min: 0, max: env.get('DB_POOL_MAX', 10) },
      migrations,
    },
  },
})

export default dbConfig
