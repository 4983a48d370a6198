import { OverloadedException } from '#middleware/shed_load_middleware'
import app from '@adonisjs/core/services/app'
import i18nManager from '@adonisjs/i18n/services/main'
import { errors as vineErrors } from '@vinejs/vine'
import { HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import DomainError from '#exceptions/domain_error'
import { loadShedding } from '#support/load_shedding'
import { MAX_FLASHED_TEXT } from '#support/flashed_input'

/**
 * Turns every error into an answer in the user's language: an error page for a browser,
 * a toast for an htmx request, `{ error: { code, message } }` for JSON clients. Nothing
 * reaches a user as a bare 500 with a stack trace.
 */
export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction && !app.inTest

  /** Statuses answered with Loket's own error page (server errors keep the debug page in development). */
  protected pageKeys: Record<number, string> = {
    403: 'errors.forbidden',
    404: 'errors.not_found',
    413: 'errors.too_large',
    415: 'errors.unsupported_body',
    429: 'errors.too_many_requests',
    503: 'errors.overloaded',
  }

  /** Errors known by their code, answered with their own message and page. */
  protected codeKeys: Record<string, string> = {
    E_UNREADABLE_BODY: 'errors.unreadable_body',
  }

  async handle(thrown: unknown, ctx: HttpContext) {
    const error = asClientError(thrown)
    const status = statusOf(error)
    const message = this.messageFor(error, ctx, status)

    if (this.wantsJson(ctx)) {
      const body: Record<string, unknown> = { code: codeOf(error, status), message }
      if (error instanceof vineErrors.E_VALIDATION_ERROR) body.fields = error.messages
      return ctx.response.status(status).json({ error: body })
    }

    if (ctx.htmx.isRequest) {
      ctx.htmx.retarget('#toasts', 'beforeend')
      return ctx.response
        .status(status)
        .send(await ctx.view.render('partials/toast', { message, kind: 'error' }))
    }

    if (error instanceof DomainError && 'session' in ctx && ctx.session) {
      ctx.session.flash('error', message)
      // The form comes back with what was typed (bounded by the session middleware).
      if (ctx.request.method() !== 'GET') ctx.session.flash('input', ctx.request.original())
      return ctx.response.redirect().back()
    }

    const pageKey =
      this.codeKeys[codeOf(error, status)] ??
      this.pageKeys[status] ??
      (status >= 500 && !this.debug ? 'errors.server' : null)
    if (pageKey && !redirectsBack(error, status)) {
      return ctx.response.status(status).send(await this.page(ctx, status, pageKey))
    }

    return super.handle(error, ctx)
  }

  /** A request refused by load shedding is not an error of Loket's: it is counted in loket_http_shed_total, not logged. */
  async report(error: unknown, ctx: HttpContext) {
    if (error instanceof OverloadedException) return
    return super.report(asClientError(error), ctx)
  }

  /**
   * A form that failed validation goes back with its messages and what was typed, as the session
   * package does, except that the messages kept are bounded here and what was typed by the session
   * middleware (`flashInput`): the session may live in a cookie, and a browser drops a cookie over
   * 4 KB, so a long field must not cost the visitor their session, nor the server a megabyte header.
   */
  async renderValidationErrorAsHTML(
    error: InstanceType<typeof vineErrors.E_VALIDATION_ERROR>,
    ctx: HttpContext
  ) {
    if (!('session' in ctx) || !ctx.session) return super.renderValidationErrorAsHTML(error, ctx)
    const bag: Record<string, string[]> = {}
    for (const { field, message } of (error.messages as { field: string; message: string }[]).slice(
      0,
      MAX_FLASHED_ERRORS
    )) {
      ;(bag[String(field).slice(0, 64)] ??= []).push(String(message).slice(0, MAX_FLASHED_TEXT))
    }
    ctx.session.flash('input', ctx.request.original())
    ctx.session.flashErrors({ [String(error.code)]: this.i18n(ctx).t('errors.invalid') })
    ctx.session.flash('inputErrorsBag', bag)
    ctx.session.flash('errors', bag)
    return ctx.response.redirect('back', true)
  }

  protected i18n(ctx: HttpContext) {
    return ctx.i18n ?? i18nManager.locale(i18nManager.defaultLocale)
  }

  protected messageFor(error: unknown, ctx: HttpContext, status: number) {
    const i18n = this.i18n(ctx)
    if (error instanceof DomainError) return i18n.t(`errors.${error.key}`, error.params)
    if (error instanceof vineErrors.E_VALIDATION_ERROR) {
      return (error.messages as { message: string }[])[0]?.message ?? i18n.t('errors.invalid')
    }
    if (codeOf(error, status) === 'E_BAD_CSRF_TOKEN') return i18n.t('errors.csrf')
    const byCode = this.codeKeys[codeOf(error, status)]
    if (byCode) return i18n.t(byCode)
    if (status === 403) return i18n.t('errors.forbidden')
    if (status === 404) return i18n.t('errors.not_found')
    if (status === 413) return i18n.t('errors.too_large')
    if (status === 415) return i18n.t('errors.unsupported_body')
    if (status === 429) return i18n.t('errors.too_many_requests')
    if (status === 401) return i18n.t('errors.login_required')
    if (status === 503) return i18n.t('errors.overloaded')
    if (status >= 500) return i18n.t('errors.server')
    return i18n.t('errors.invalid')
  }

  protected wantsJson(ctx: HttpContext) {
    return ctx.request.url().startsWith('/api/') || ctx.request.accepts(['html', 'json']) === 'json'
  }

  protected async page(ctx: HttpContext, status: number, key: string) {
    const i18n = this.i18n(ctx)
    // The overload page is the same for everyone of a language: drawn once, as a crowd is turned away.
    const cached = status === 503 ? loadShedding.overloadPages.get(i18n.locale) : undefined
    if (cached) return cached
    const html = await ctx.view.render('pages/errors/status', {
      status,
      title: i18n.t(`${key}_title`),
      message: i18n.t(key),
      i18n,
      csrfToken: '',
    })
    if (status === 503) loadShedding.overloadPages.set(i18n.locale, html)
    return html
  }
}

const MAX_FLASHED_ERRORS = 20

/** Errors whose own handling sends the browser back to the form (validation, CSRF, login). */
function redirectsBack(error: unknown, status: number) {
  return (
    error instanceof vineErrors.E_VALIDATION_ERROR ||
    codeOf(error, status) === 'E_BAD_CSRF_TOKEN' ||
    status === 401
  )
}

/**
 * zlib's error (Z_DATA_ERROR, Z_BUF_ERROR…) on a request body whose Content-Encoding does not
 * match its bytes, which the body parser passes on as it is, made the client's 400 (not logged).
 */
function asClientError(error: unknown) {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string' || !code.startsWith('Z_')) return error
  return new Exception('The request body does not match its Content-Encoding', {
    status: 400,
    code: 'E_UNREADABLE_BODY',
    cause: error,
  })
}

function statusOf(error: unknown) {
  const status = (error as { status?: number } | null)?.status
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500
}

function codeOf(error: unknown, status: number) {
  const code = (error as { code?: string } | null)?.code
  return typeof code === 'string' ? code : `E_HTTP_${status}`
}
