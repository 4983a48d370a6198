import app from '@adonisjs/core/services/app'
import { defineConfig, drivers } from '@adonisjs/core/hash'

/**
 * scrypt at cost 16384 (about 100 ms a hash on a small server): slow enough to hurt guessing.
 * Tests hash with a cost of 16, which only they use: every test makes staff accounts, and a
 * hundred milliseconds each would be most of the suite's time. Passwords hashed either way verify.
 */
const hashConfig = defineConfig({
  default: 'scrypt',
  list: {
    scrypt: drivers.scrypt({
      cost: app.inTest ? 16 : 16384,
      blockSize: 8,
      parallelization: 1,
      maxMemory: 33554432,
    }),
  },
})

export default hashConfig

declare module '@adonisjs/core/types' {
  export interface HashersList extends InferHashers<typeof hashConfig> {}
}
