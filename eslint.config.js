import { configApp } from '@adonisjs/eslint-config'

// The AdonisJS preset: TypeScript rules. Formatting is Prettier's own check, run beside ESLint by
// `npm run lint` (bin/lint.js): as an ESLint rule it made the lint take over 40 s.
export default configApp({
  ignores: ['public/**', 'bench/**', 'tmp/**', 'build/**'],
  rules: {
    // `(await Ticket.findOrFail(id)).status` reads as one step; a variable per such read (343 of them,
    // most in tests) would only add names.
    '@unicorn/no-await-expression-member': 'off',
    'prettier/prettier': 'off',
  },
})
