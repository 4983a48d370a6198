import type {
  IncomingHttpHeaders,
  IncomingMessage,
  RequestListener,
  ServerResponse,
} from 'node:http'
import router from '@adonisjs/core/services/router'
import i18nManager from '@adonisjs/i18n/services/main'
import { loadShedding } from '#support/load_shedding'
import metrics from '#support/metrics'
import { isLocale } from '#middleware/locale_middleware'
import { setSecurityHeaders } from '#middleware/security_headers_middleware'
import { API_LOCALES } from '#middleware/api_key_middleware'

/** Whether a route may be refused when the process is overloaded: it uses ShedLoadMiddleware. */
const sheddableRoutes = new WeakMap<object, boolean>()

function sheddable(method: string, path: string) {
  const matched = router.match(path, method)
  if (!matched) return false
  let known = sheddableRoutes.get(matched.route)
  if (known === undefined) {
    known = [...matched.route.middleware.all()].some(
      (one) => typeof one !== 'function' && one.name === 'shedLoad'
    )
    sheddableRoutes.set(matched.route, known)
  }
  return known
}

/**
 * The language of a refusal, as the route would have answered: the API's by Accept-Language
 * (ApiKeyMiddleware), a visitor's by `?lang=`, else the `lang` cookie (LocaleMiddleware).
 */
export function refusalLocale(path: string, query: string, headers: IncomingHttpHeaders) {
  if (path.startsWith('/api/')) return preferredOf(headers['accept-language'] ?? '', API_LOCALES)
  const asked = /(?:^|&)lang=([a-z]{2})(?:&|$)/.exec(query)?.[1]
  if (isLocale(asked)) return asked
  const remembered = /(?:^|;\s*)lang=([a-z]{2})(?:;|$)/.exec(headers.cookie ?? '')?.[1]
  return isLocale(remembered) ? remembered : i18nManager.defaultLocale
}

/** The language of `supported` that an Accept-Language header prefers (q-values), else the first. */
function preferredOf(header: string, supported: readonly string[]) {
  let best = supported[0]
  let bestWeight = 0
  for (const part of header.split(',')) {
    const [tag, ...parameters] = part.trim().toLowerCase().split(';')
    const weight = Number(/q=([\d.]+)/.exec(parameters.join(';'))?.[1] ?? 1)
    const language = tag.split('-')[0]
    if (supported.includes(language) && weight > bestWeight) {
      best = language
      bestWeight = weight
    }
  }
  return best
}

/** Whether the exception handler would answer JSON (HttpExceptionHandler.wantsJson). */
function wantsJson(request: IncomingMessage, path: string) {
  if (path.startsWith('/api/')) return true
  const accept = request.headers.accept ?? ''
  return accept.includes('json') && !accept.includes('html')
}

/**
 * Answers 503 at once, or returns false to let AdonisJS answer: an htmx request (its toast is
 * drawn per request) and a language whose overload page has not been drawn yet (the first refusal
 * draws it through the exception handler, which keeps it).
 */
function refuse(request: IncomingMessage, response: ServerResponse, path: string, query: string) {
  if (request.headers['hx-request']) return false
  const locale = refusalLocale(path, query, request.headers)
  const json = wantsJson(request, path)
  const body = json
    ? JSON.stringify({
        error: { code: 'E_OVERLOADED', message: i18nManager.locale(locale).t('errors.overloaded') },
      })
    : loadShedding.overloadPages.get(locale)
  if (body === undefined) return false
  metrics.shed.inc()
  setSecurityHeaders(response)
  response.statusCode = 503
  response.setHeader('Retry-After', String(loadShedding.retryAfterSeconds))
  response.setHeader('Cache-Control', 'no-store')
  response.setHeader('Content-Type', `${json ? 'application/json' : 'text/html'}; charset=utf-8`)
  response.setHeader('Content-Language', locale)
  if (loadShedding.draining) response.setHeader('Connection', 'close')
  response.end(body)
  return true
}

/**
 * The HTTP server's handler with load shedding in front of AdonisJS: while the process is past
 * MAX_IN_FLIGHT, a request for a route that sheds load (ShedLoadMiddleware: the visitor's pages
 * and the REST API) is refused before the framework reads it, its route matched and nothing else.
 * A refusal through the framework (middleware, exception handler) cost about as much CPU as a
 * take, so a crowd beyond capacity slowed everyone down; refused here it costs a few
 * microseconds and the same answer (status, Retry-After, language, page or JSON).
 */
export function shedLoadFirst(handler: RequestListener): RequestListener {
  return (request, response) => {
    if (loadShedding.overloaded()) {
      const url = request.url ?? '/'
      const mark = url.indexOf('?')
      const path = mark === -1 ? url : url.slice(0, mark)
      const query = mark === -1 ? '' : url.slice(mark + 1)
      try {
        if (sheddable(request.method ?? 'GET', path) && refuse(request, response, path, query))
          return
      } catch {
        // Whatever this shortcut cannot read (an odd address), AdonisJS answers as usual.
      }
    }
    handler(request, response)
  }
}
