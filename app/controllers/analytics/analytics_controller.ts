import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import { PassThrough } from 'node:stream'
import ExcelJS from 'exceljs'
import Branch from '#models/branch'
import clock from '#support/clock'
import { csvRecord } from '#support/csv'
import { filledQuery } from '#controllers/scope'
import QueueAnalytics, {
  HOURLY_MAX_DAYS,
  type AnalyticsFilter,
  type Kpis,
} from '#services/analytics/queue_analytics'
import QueueStats from '#services/analytics/queue_stats'
import ModuleAnalytics from '#services/analytics/module_analytics'
import { analyticsValidator } from '#validators/analytics'

/** The longest span the page reads, in days (a year and a day: this year against the last). */
const MAX_SPAN_DAYS = 366

/** The columns of the exports, in order: the KPI and how a cell shows it. */
const EXPORT_COLUMNS: (keyof Kpis)[] = [
  'taken',
  'served',
  'noShow',
  'cancelled',
  'avgWaitSeconds',
  'maxWaitSeconds',
  'avgServiceSeconds',
  'slaCompliance',
  'noShowRate',
  'dropOffRate',
  'cancelRate',
]

/**
 * The analytics area for owners, admins and supervisors (issue 16): the queue's KPIs over a span
 * of days for a branch or all, against the span before, tickets per day, the busiest hours
 * (weekday x hour) and a breakdown per service, counter or member of staff; the daily table and
 * the breakdown as CSV and as an XLSX workbook. Read from the rollups (QueueAnalytics).
 */
@inject()
export default class AnalyticsController {
  constructor(
    protected analytics: QueueAnalytics,
    protected stats: QueueStats,
    protected modules: ModuleAnalytics
  ) {}

  async show(ctx: HttpContext) {
    const filter = await this.#filter(ctx)
    // Today so far: count what happened since the scheduler's last run (one batch at most). A
    // failure here only leaves the figures a minute older: the page still answers.
    if (filter.to >= clock.now().setZone(ctx.branch.timezone).toISODate()!)
      await this.stats
        .advance({ settleSeconds: 2, maxBatches: 1 })
        .catch((error) => ctx.logger.warn({ err: error }, 'analytics rollups not advanced'))
    const [report, modules] = await Promise.all([
      this.analytics.report(ctx.tenant.id, filter),
      this.#modules(ctx, filter),
    ])
    const branches = await Branch.forTenant(ctx.tenant).orderBy('id')
    return ctx.view.render('pages/analytics/index', {
      section: 'analytics',
      filter,
      report,
      modules,
      branches,
      query: filledQuery(ctx),
      maxSeries: Math.max(1, ...report.series.map((step) => step.taken)),
      maxBreakdown: Math.max(1, ...report.breakdown.map((row) => row.taken + row.served)),
    })
  }

  /** Every table of the page, one after the other, a blank line between them. */
  async exportCsv(ctx: HttpContext) {
    const filter = await this.#filter(ctx)
    const tables = await this.#tables(ctx, filter)
    const text = tables
      .map((table) => [table.header, ...table.rows].map((row) => csvRecord(row)).join(''))
      .join('\r\n')
    ctx.response.header('content-type', 'text/csv; charset=utf-8')
    ctx.response.header('content-disposition', `attachment; filename="${fileName(filter)}.csv"`)
    return text
  }

  /**
   * The same tables as a real workbook: one sheet per table, numbers as numbers, written with
   * exceljs's streaming writer (half the CPU of building the whole workbook in memory).
   */
  async exportXlsx(ctx: HttpContext) {
    const filter = await this.#filter(ctx)
    const tables = await this.#tables(ctx, filter)
    const out = new PassThrough()
    const chunks: Buffer[] = []
    out.on('data', (chunk: Buffer) => chunks.push(chunk))
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: true,
      useSharedStrings: false,
    })
    workbook.creator = 'Loket'
    for (const table of tables) {
      // Sheet names: at most 31 characters, no []:*?/\ (Excel's rules).
      const worksheet = workbook.addWorksheet(table.name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31))
      worksheet.columns = table.header.map(() => ({ width: 16 }))
      const head = worksheet.addRow(table.header)
      head.font = { bold: true }
      head.commit()
      for (const row of table.rows) worksheet.addRow(row).commit()
      worksheet.commit()
    }
    await workbook.commit()
    ctx.response.header(
      'content-type',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    )
    ctx.response.header('content-disposition', `attachment; filename="${fileName(filter)}.xlsx"`)
    return Buffer.concat(chunks)
  }

  #modules(ctx: HttpContext, filter: AnalyticsFilter) {
    const zone = ctx.branch.timezone
    return this.modules.report(ctx.tenant.id, {
      branchId: filter.branchId,
      from: filter.from,
      to: filter.to,
      zone,
      today: clock.now().setZone(zone).toISODate()!,
    })
  }

  /** Every table of the page as a header and rows: the queue's, then the other modules'. */
  async #tables(ctx: HttpContext, filter: AnalyticsFilter) {
    const [report, modules] = await Promise.all([
      this.analytics.report(ctx.tenant.id, filter),
      this.#modules(ctx, filter),
    ])
    const t = (key: string, values?: Record<string, unknown>) => ctx.i18n.t(key, values)
    const headers = EXPORT_COLUMNS.map((key) => t(`analytics.kpi.${key}`))
    const hours = (value: number) => Math.round(value * 10) / 10
    const minutes = (seconds: number | null) =>
      seconds === null ? null : Math.round(seconds / 6) / 10
    const percent = (share: number | null) =>
      share === null ? null : Math.round(share * 1000) / 10
    return [
      {
        name: t('analytics.sheet_daily'),
        header: [t('analytics.day'), ...headers],
        rows: report.series.map((step) => [
          step.day,
          ...EXPORT_COLUMNS.map((key) => cell(key, step[key])),
        ]),
      },
      {
        name: t(`analytics.by.${filter.by}`),
        header: [t(`analytics.by.${filter.by}`), ...headers],
        rows: report.breakdown.map((row) => [
          row.name ?? t('analytics.none'),
          ...EXPORT_COLUMNS.map((key) => cell(key, row[key])),
        ]),
      },
      {
        name: t('analytics.bookings.title'),
        header: [
          t('analytics.bookings.resource'),
          t('analytics.bookings.booked'),
          t('analytics.bookings.booked_hours'),
          t('analytics.bookings.open_hours'),
          t('analytics.bookings.utilisation'),
        ],
        rows: modules.bookings.perResource.map((row) => [
          row.name,
          row.booked,
          hours(row.bookedHours),
          hours(row.openHours),
          percent(row.utilisation),
        ]),
      },
      {
        name: t('analytics.jobs.title'),
        header: [
          t('analytics.jobs.technician'),
          t('analytics.jobs.done'),
          t('analytics.jobs.claimed_to_done'),
        ],
        rows: modules.jobs.map((row) => [row.name, row.done, minutes(row.avgClaimedToDoneSeconds)]),
      },
      {
        name: t('analytics.invoices.title'),
        header: [
          t('analytics.invoices.month'),
          t('analytics.invoices.currency'),
          t('analytics.invoices.billed'),
          t('analytics.invoices.paid'),
          t('analytics.invoices.overdue'),
        ],
        rows: modules.invoices.map((row) => [
          row.month,
          row.currency,
          row.billed / 100,
          row.paid / 100,
          row.overdue / 100,
        ]),
      },
      {
        name: t('analytics.ratings.title'),
        header: [t('analytics.ratings.score'), t('analytics.ratings.count')],
        rows: modules.ratings.spread.map((row) => [row.score, row.count]),
      },
    ]
  }

  /**
   * The filters asked for: the last 28 days to today (the branch's day) by default; `from` after
   * `to` becomes `to`; a span longer than MAX_SPAN_DAYS keeps its last days; another tenant's
   * branch reads as 404.
   */
  async #filter(ctx: HttpContext): Promise<AnalyticsFilter> {
    const input = await analyticsValidator.validate(filledQuery(ctx))
    if (input.branch_id)
      await Branch.forTenant(ctx.tenant).where('id', input.branch_id).firstOrFail()
    const today = clock.now().setZone(ctx.branch.timezone).toISODate()!
    const to = input.to ?? today
    let from = input.from ?? DateTime.fromISO(to).minus({ days: 27 }).toISODate()!
    if (from > to) from = to
    const earliest = DateTime.fromISO(to)
      .minus({ days: MAX_SPAN_DAYS - 1 })
      .toISODate()!
    if (from < earliest) from = earliest
    // An hour a bar: the last HOURLY_MAX_DAYS days of the span at most.
    const interval = input.interval ?? 'day'
    const hourlyEarliest = DateTime.fromISO(to)
      .minus({ days: HOURLY_MAX_DAYS - 1 })
      .toISODate()!
    if (interval === 'hour' && from < hourlyEarliest) from = hourlyEarliest
    return {
      branchId: input.branch_id ?? null,
      from,
      to,
      by: input.by ?? 'service',
      interval,
    }
  }
}

/** A KPI as an export cell: counts as they are, times in minutes and shares in percent (one decimal). */
function cell(key: keyof Kpis, value: number | null) {
  if (value === null) return null
  if (key.endsWith('Seconds')) return Math.round(value / 6) / 10
  if (key.endsWith('Rate') || key === 'slaCompliance') return Math.round(value * 1000) / 10
  return value
}

function fileName(filter: AnalyticsFilter) {
  return `loket-analytics-${filter.from}-${filter.to}`
}
