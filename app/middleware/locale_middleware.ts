import { I18n } from '@adonisjs/i18n'
import i18nManager from '@adonisjs/i18n/services/main'
import type { NextFn } from '@adonisjs/core/types/http'
import { dateFormats } from '#support/dates'
import { type HttpContext, RequestValidator } from '@adonisjs/core/http'

export const LOCALES = ['id', 'en', 'ms'] as const
export type Locale = (typeof LOCALES)[number]
const LOCALE_COOKIE = 'lang'

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/** Switches the request to `locale`: messages, validation errors and views follow. */
export function useLocale(ctx: HttpContext, locale: string) {
  ctx.i18n = i18nManager.locale(isLocale(locale) ? locale : i18nManager.defaultLocale)
  ctx.containerResolver.bindValue(I18n, ctx.i18n)
  if ('view' in ctx)
    ctx.view.share({
      i18n: ctx.i18n,
      locale: ctx.i18n.locale,
      // The date helpers in the reader's language, over the Indonesian globals of start/view.ts.
      ...dateFormats(ctx.i18n.locale),
    })
}

/** Remembers the visitor's choice of language for a year. */
function rememberLocale(ctx: HttpContext, locale: Locale) {
  ctx.response.plainCookie(LOCALE_COOKIE, locale, { maxAge: '1y', encode: false, httpOnly: false })
}

/**
 * The visitor's language: `?lang=en` picks one (and remembers it in a cookie), else the cookie,
 * else `fallback`: Indonesian, or the language a message to them was written in (an invoice's,
 * a rating link's).
 */
export function useVisitorLocale(ctx: HttpContext, fallback: string = i18nManager.defaultLocale) {
  const requested = ctx.request.qs().lang
  if (isLocale(requested)) rememberLocale(ctx, requested)
  const chosen = isLocale(requested)
    ? requested
    : ctx.request.plainCookie(LOCALE_COOKIE, undefined, false)
  useLocale(ctx, chosen ?? fallback)
}

/**
 * Indonesian unless the visitor chose otherwise; staff pages then apply the user's own
 * preference (StaffMiddleware). Polling endpoints skip this and localize only when they render.
 */
export default class LocaleMiddleware {
  static {
    RequestValidator.messagesProvider = (ctx) => ctx.i18n.createMessagesProvider()
  }

  async handle(ctx: HttpContext, next: NextFn) {
    useVisitorLocale(ctx)
    return next()
  }
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    i18n: I18n
  }
}
