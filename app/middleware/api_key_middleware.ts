import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type ApiKey from '#models/api_key'
import DomainError from '#exceptions/domain_error'
import ApiKeys from '#services/platform/api_keys'
import { useLocale } from '#middleware/locale_middleware'
import { inject } from '@adonisjs/core'

/** Languages the API answers in, by Accept-Language; the first is the default. */
export const API_LOCALES = ['en', 'id', 'ms']

/**
 * The REST API's door: the key from `Authorization: Bearer <key>` (or `X-Api-Key: <key>`) must be
 * an active key of an active tenant, else 401. Puts the key and its tenant on the context; every
 * query an API request makes is scoped by that tenant. Messages follow Accept-Language (English
 * unless Indonesian or Malay is asked for).
 */
@inject()
export default class ApiKeyMiddleware {
  constructor(protected apiKeys: ApiKeys) {}

  async handle(ctx: HttpContext, next: NextFn) {
    useLocale(ctx, ctx.request.language(API_LOCALES) ?? API_LOCALES[0])

    const presented = presentedKey(ctx)
    const verified = presented ? await this.apiKeys.verify(presented) : null
    if (!verified) {
      ctx.response.header('WWW-Authenticate', 'Bearer')
      throw new DomainError(presented ? 'api_key_invalid' : 'api_key_missing', {}, 401)
    }

    ctx.apiKey = verified.apiKey
    ctx.tenant = verified.tenant
    await this.apiKeys.touch(verified.apiKey)
    return next()
  }
}

function presentedKey({ request }: HttpContext) {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.header('authorization') ?? '')?.[1]
  return bearer ?? request.header('x-api-key')?.trim() ?? null
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    apiKey: ApiKey
  }
}
