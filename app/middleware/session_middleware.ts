import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import SessionMiddleware from '@adonisjs/session/session_middleware'
import { boundFlashedInput } from '#support/flashed_input'

/**
 * The session package's middleware, with what a refused form flashed back bounded before the
 * session is written (`boundFlashedInput`). The routes below it have answered by then, errors
 * included: the exception handler turns an error into an answer where it is thrown.
 */
@inject()
export default class BoundedSessionMiddleware {
  constructor(protected sessions: SessionMiddleware<any>) {}

  handle(ctx: HttpContext, next: NextFn) {
    return this.sessions.handle(ctx, async () => {
      const answer = await next()
      if (ctx.session) boundFlashedInput(ctx.session)
      return answer
    })
  }
}
