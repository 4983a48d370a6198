import { configProvider } from '@adonisjs/core'
import { defineConfig } from '@adonisjs/auth'
import { sessionGuard } from '@adonisjs/auth/session'
import type { StaffSessionUserProvider } from '#services/platform/staff_sessions'
import type { InferAuthenticators, InferAuthEvents, Authenticators } from '@adonisjs/auth/types'

const authConfig = defineConfig({
  default: 'web',
  guards: {
    web: sessionGuard({
      useRememberMeTokens: false,
      /** Users are found through sessions the server can end (app/services/staff_sessions.ts). */
      provider: configProvider.create(async (app): Promise<StaffSessionUserProvider> => {
        const sessions = await import('#services/platform/staff_sessions')
        return new sessions.StaffSessionUserProvider(await app.container.make(sessions.default))
      }),
    }),
  },
})

export default authConfig

/**
 * Inferring types from the configured auth
 * guards.
 */
declare module '@adonisjs/auth/types' {
  export interface Authenticators extends InferAuthenticators<typeof authConfig> {}
}
declare module '@adonisjs/core/types' {
  interface EventsList extends InferAuthEvents<Authenticators> {}
}
