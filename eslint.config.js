import { configApp } from '@adonisjs/eslint-config'

// The AdonisJS preset: TypeScript rules, Prettier (package.json "prettier") as a rule.
export default configApp({
  ignores: ['public/**', 'bench/**', 'tmp/**'],
  rules: {
    // `(await Ticket.findOrFail(id)).status` reads as one step; a variable per such read (343 of them,
    // most in tests) would only add names.
    '@unicorn/no-await-expression-member': 'off',
  },
})
