import { mkdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { assert } from '@japa/assert'
import { apiClient } from '@japa/api-client'
import { browserClient } from '@japa/browser-client'
import { chromium } from 'playwright'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import jobs from '#support/jobs'
import { shedLoadFirst } from '#http/early_shedding'
import { authApiClient } from '@adonisjs/auth/plugins/api_client'
import { sessionApiClient } from '@adonisjs/session/plugins/api_client'
import { shieldApiClient } from '@adonisjs/shield/plugins/api_client'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import type { Config } from '@japa/runner/types'

/**
 * Japa plugins. Browser tests drive the system Chromium (CHROMIUM_PATH, default /usr/bin/chromium):
 * Playwright never downloads a browser here.
 */
export const plugins: Config['plugins'] = [
  assert(),
  apiClient(),
  pluginAdonisJS(app),
  sessionApiClient(app),
  shieldApiClient(),
  authApiClient(app),
  browserClient({
    runInSuites: ['browser'],
    contextOptions: { locale: 'id-ID', timezoneId: 'Asia/Jakarta' },
    launcher: (options) =>
      chromium.launch({
        ...options,
        headless: true,
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: [
          '--no-sandbox',
          '--headless',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      }),
  }),
]

/**
 * A fresh schema per run: every table dropped, every migration applied. Tests then isolate
 * their data by creating their own tenant (tests/helpers/world.ts), because the services under
 * test open their own transactions.
 */
export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [
    async () => {
      mkdirSync(app.tmpPath(), { recursive: true })
      await db.connection().dropAllTables()
      await testUtils.db().migrate()
      // The web server consumes jobs (start/jobs.ts); tests run in the same process and do too.
      jobs.startWorkers()
    },
  ],
  teardown: [],
}

/**
 * The functional and browser suites talk to a real HTTP server. Closing it also drops open
 * sockets: Chromium keeps speculative connections that never send a request, and
 * `server.close()` alone would wait for them to time out (up to minutes).
 */
export const configureSuite: Config['configureSuite'] = (suite) => {
  if (['browser', 'functional'].includes(suite.name)) {
    return suite.setup(async () => {
      let server: Server | undefined
      const close = await testUtils
        .httpServer()
        .start((handler) => (server = createServer(shedLoadFirst(handler))))
      return async () => {
        const closing = close()
        server?.closeAllConnections()
        await closing
      }
    })
  }
}
