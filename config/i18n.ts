import app from '@adonisjs/core/services/app'
import { defineConfig, formatters, loaders } from '@adonisjs/i18n'

/** Indonesian by default; English and Malay available. Files live in resources/lang/{id,en,ms}. */
const i18nConfig = defineConfig({
  defaultLocale: 'id',
  supportedLocales: ['id', 'en', 'ms'],
  fallbackLocales: { ms: 'id' },
  formatter: formatters.icu(),
  loaders: [loaders.fs({ location: app.languageFilesPath() })],
})

export default i18nConfig
