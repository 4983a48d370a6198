/*
|--------------------------------------------------------------------------
| Environment variables
|--------------------------------------------------------------------------
| Every variable Loket reads is declared and validated here; .env.example
| documents each one. Everything but APP_KEY has a default, so a fresh clone
| runs on the embedded defaults (SQLite, in-process jobs).
*/
import { Env } from '@adonisjs/core/env'

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum.optional(['development', 'production', 'test'] as const),
  PORT: Env.schema.number.optional(),
  HOST: Env.schema.string.optional({ format: 'host' }),
  APP_KEY: Env.schema.string(),
  APP_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  LOG_LEVEL: Env.schema.enum.optional([
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ] as const),
  COOKIE_SECURE: Env.schema.boolean.optional(),
  TRUSTED_PROXIES: Env.schema.string.optional(),
  SESSION_DRIVER: Env.schema.enum.optional(['cookie', 'memory'] as const),

  DB_CONNECTION: Env.schema.enum.optional(['sqlite', 'mysql'] as const),
  SQLITE_PATH: Env.schema.string.optional(),
  DB_HOST: Env.schema.string.optional({ format: 'host' }),
  DB_PORT: Env.schema.number.optional(),
  DB_USER: Env.schema.string.optional(),
  DB_PASSWORD: Env.schema.string.optional(),
  DB_DATABASE: Env.schema.string.optional(),
  DB_POOL_MAX: Env.schema.number.optional(),

  REDIS_HOST: Env.schema.string.optional({ format: 'host' }),
  REDIS_PORT: Env.schema.number.optional(),
  REDIS_PASSWORD: Env.schema.string.optional(),
  REDIS_PREFIX: Env.schema.string.optional(),

  RATE_LIMIT_TAKE_PER_MINUTE: Env.schema.number.optional(),
  MAX_IN_FLIGHT: Env.schema.number.optional(),
  LIVE_WAIT_SECONDS: Env.schema.number.optional(),
  RATE_LIMIT_POLL_PER_MINUTE: Env.schema.number.optional(),
  RATE_LIMIT_LOGIN_PER_MINUTE: Env.schema.number.optional(),
  RATE_LIMIT_LOGIN_PER_ACCOUNT: Env.schema.number.optional(),
  RATE_LIMIT_API_PER_MINUTE: Env.schema.number.optional(),
  RATE_LIMIT_WEBHOOK_PER_MINUTE: Env.schema.number.optional(),
  SCHEDULER_ENABLED: Env.schema.boolean.optional(),
  WORKERS_ENABLED: Env.schema.boolean.optional(),
  WEB_CONCURRENCY: Env.schema.number.optional(),

  /** Where uploaded files go: `local` (storage/uploads) or `s3` (AWS S3, MinIO; see config/drive.ts). */
  DRIVE_DISK: Env.schema.enum.optional(['local', 's3'] as const),
  S3_BUCKET: Env.schema.string.optional(),
  S3_REGION: Env.schema.string.optional(),
  S3_ENDPOINT: Env.schema.string.optional(),
  S3_ACCESS_KEY_ID: Env.schema.string.optional(),
  S3_SECRET_ACCESS_KEY: Env.schema.string.optional(),
  S3_FORCE_PATH_STYLE: Env.schema.boolean.optional(),

  OUTBOX_BACKOFF_MS: Env.schema.number.optional(),
  WHATSAPP_GRAPH_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  MIDTRANS_SNAP_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  MIDTRANS_API_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  XENDIT_API_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  METRICS_TOKEN: Env.schema.string.optional(),
  WEBHOOK_ALLOW_PRIVATE_URLS: Env.schema.boolean.optional(),
})
