import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import metrics, { registry } from '#support/metrics'
import { operatorAccess } from '#support/secrets'

/**
 * `GET /metrics`, Prometheus text (app/support/metrics.ts). With METRICS_TOKEN set, a scraper
 * must send `Authorization: Bearer <token>`; in production it must be set (until then: 403).
 */
export default class MetricsController {
  async show({ request, response }: HttpContext) {
    const token = env.get('METRICS_TOKEN')
    if (!operatorAccess(request.header('authorization'), { token, production: app.inProduction })) {
      return token
        ? response.status(401).send('unauthorized\n')
        : response.status(403).send('set METRICS_TOKEN to read the metrics in production\n')
    }
    response.header('content-type', registry.contentType)
    return metrics.render()
  }
}
