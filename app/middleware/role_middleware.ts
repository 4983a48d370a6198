import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type * as abilities from '#abilities/main'

/**
 * Lets a route group open only for users with an ability (app/abilities/main.ts), e.g.
 * `middleware.role({ ability: 'administer' })`. Others get the 403 page.
 */
export default class RoleMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { ability: keyof typeof abilities }) {
    await ctx.bouncer.authorize(options.ability)
    return next()
  }
}
