import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import metrics, { labelText } from '#support/metrics'
import Outbox from '#services/messaging/outbox'
import { operatorAccess } from '#support/secrets'
import { inject } from '@adonisjs/core'

/**
 * `GET /metrics`, Prometheus text: the outbox backlog and dead rows (shared state, read from the
 * database), and this process's delivery counts and latency. With METRICS_TOKEN set, a scraper
 * must send `Authorization: Bearer <token>`; in production it must be set (until then: 403).
 */
@inject()
export default class MetricsController {
  constructor(protected outbox: Outbox) {}

  async show({ request, response }: HttpContext) {
    const token = env.get('METRICS_TOKEN')
    if (!operatorAccess(request.header('authorization'), { token, production: app.inProduction })) {
      return token
        ? response.status(401).send('unauthorized\n')
        : response.status(403).send('set METRICS_TOKEN to read the metrics in production\n')
    }
    const stats = await this.outbox.stats()
    const lines = [
      '# HELP loket_outbox_rows Outbox rows waiting, being sent, retrying or dead, per kind.',
      '# TYPE loket_outbox_rows gauge',
    ]
    for (const [table, { byStatus }] of Object.entries(stats)) {
      for (const status of ['queued', 'sending', 'failed', 'dead']) {
        lines.push(
          `loket_outbox_rows${labelText({ kind: kindOf(table), status })} ${byStatus[status] ?? 0}`
        )
      }
    }
    lines.push(
      '# HELP loket_outbox_oldest_pending_seconds Age of the oldest row waiting to be sent, per kind.'
    )
    lines.push('# TYPE loket_outbox_oldest_pending_seconds gauge')
    for (const [table, { oldestPendingSeconds }] of Object.entries(stats)) {
      lines.push(
        `loket_outbox_oldest_pending_seconds${labelText({ kind: kindOf(table) })} ${oldestPendingSeconds}`
      )
    }
    response.header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
    return `${lines.join('\n')}\n${metrics.render()}\n`
  }
}

function kindOf(table: string) {
  return table === 'notifications' ? 'notification' : 'webhook'
}
