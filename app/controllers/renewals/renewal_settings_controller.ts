import { readFile } from 'node:fs/promises'
import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import OutletSyncRun from '#models/outlet_sync_run'
import { DEFAULT_POS_MAPPING, type PosMapping } from '#models/pos_source'
import { formatOffsets, parseOffsets, RENEWAL_LIMITS } from '#models/settings/renewal_settings'
import { OutletImportRefused } from '#services/inbox/outlet_directory'
import PosSync from '#services/renewals/pos_sync'
import RenewalService from '#services/renewals/renewal_service'
import { posSourceValidator, renewalMessages, renewalSettingsValidator } from '#validators/renewals'
import { outletImportValidator, outletMessages } from '#validators/inbox'
import { actorOf } from '#controllers/scope'
import { absoluteUrl } from '#support/urls'
import { POS_FIELDS } from '#enums/renewals'

/** Runs the sync log shows. */
export const SYNC_RUNS_SHOWN = 50

/**
 * Renewals' set-up (owners, admins and supervisors: `manageRenewals`): the POS source (URL,
 * auth header, field mapping, page parameter, timeout, the daily sync on or off), its webhook
 * secret (shown once, right after it is made), the cadence, cap, quiet hours, winback and
 * horizon, "sync now" and the CSV import as the fallback. The sync log is for the renewal team
 * too (`renewals`).
 */
@inject()
export default class RenewalSettingsController {
  constructor(
    protected posSync: PosSync,
    protected renewals: RenewalService
  ) {}

  async edit(ctx: HttpContext) {
    const source = await this.posSync.source(ctx.tenant.id)
    const { settings } = await this.renewals.context(ctx.tenant.id)
    return ctx.view.render('pages/renewals/settings', {
      section: 'renewals',
      source,
      mapping: source?.fields ?? DEFAULT_POS_MAPPING,
      mappingKeys: [...POS_FIELDS, 'items', 'last_page'],
      hasAuth: Boolean(source?.secrets.auth_value),
      hasSecret: Boolean(source?.secrets.webhook_secret),
      settings,
      cadence: formatOffsets(settings.cadence),
      winback: formatOffsets(settings.winback),
      limits: RENEWAL_LIMITS,
      webhookUrl: absoluteUrl('webhooks.pos', { slug: ctx.tenant.slug }),
    })
  }

  async updateSource(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(posSourceValidator, {
      messagesProvider: renewalMessages(ctx.i18n),
    })
    const mapping = Object.fromEntries(
      (Object.keys(DEFAULT_POS_MAPPING) as (keyof PosMapping)[]).map((key) => [
        key,
        (data as unknown as Record<string, string | undefined>)[`map_${key}`] ?? '',
      ])
    ) as Partial<PosMapping>
    await this.posSync.updateSource(
      ctx.tenant.id,
      {
        endpointUrl: data.endpoint_url ?? null,
        authHeader: data.auth_header ?? null,
        authValue: data.clear_auth ? '' : (data.auth_value ?? null),
        pageParam: data.page_param ?? 'page',
        timeoutSeconds: data.timeout_seconds,
        isEnabled: Boolean(data.is_enabled),
        mapping,
      },
      actorOf(ctx)
    )
    ctx.session.flash('success', ctx.i18n.t('renewals.flash.source_saved'))
    return ctx.response.redirect().toRoute('renewals.settings')
  }

  async updateCadence(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(renewalSettingsValidator, {
      messagesProvider: renewalMessages(ctx.i18n),
    })
    await this.renewals.saveSettings(
      ctx.tenant.id,
      {
        cadence: parseOffsets(data.cadence, {
          min: -RENEWAL_LIMITS.maxOffset,
          max: RENEWAL_LIMITS.maxOffset,
        })!,
        attemptCap: data.attempt_cap,
        quietStart: data.quiet_start,
        quietEnd: data.quiet_end,
        winback: data.winback
          ? parseOffsets(data.winback, { min: 1, max: RENEWAL_LIMITS.maxWinback })!
          : [],
        horizonDays: data.horizon_days,
      },
      actorOf(ctx)
    )
    ctx.session.flash('success', ctx.i18n.t('renewals.flash.settings_saved'))
    return ctx.response.redirect().toRoute('renewals.settings')
  }

  async regenerateSecret(ctx: HttpContext) {
    const secret = await this.posSync.regenerateSecret(ctx.tenant.id, actorOf(ctx))
    ctx.session.flash('posSecret', secret)
    return ctx.response.redirect().toRoute('renewals.settings')
  }

  async syncNow(ctx: HttpContext) {
    const run = await this.posSync.pull(ctx.tenant, actorOf(ctx))
    if (ctx.request.accepts(['html', 'json']) === 'json') return ctx.response.json({ run })
    ctx.session.flash(
      run.status === 'failed' ? 'error' : 'success',
      ctx.i18n.t(`renewals.flash.synced_${run.status}`, {
        created: run.createdCount,
        updated: run.updatedCount,
        errors: run.errorCount,
        message: run.message ?? '',
      })
    )
    return ctx.response.redirect().toRoute('renewals.sync_log')
  }

  async importCsv(ctx: HttpContext) {
    const { file } = await ctx.request.validateUsing(outletImportValidator, {
      messagesProvider: outletMessages(ctx.i18n),
    })
    try {
      const { run } = await this.posSync.importCsv(
        ctx.tenant,
        {
          fileName: file.clientName,
          bytes: file.tmpPath ? await readFile(file.tmpPath) : new Uint8Array(),
        },
        actorOf(ctx),
        { i18n: ctx.i18n }
      )
      if (ctx.request.accepts(['html', 'json']) === 'json') return ctx.response.json({ run })
      ctx.session.flash(
        'success',
        ctx.i18n.t(`renewals.flash.synced_${run.status}`, {
          created: run.createdCount,
          updated: run.updatedCount,
          errors: run.errorCount,
          message: '',
        })
      )
    } catch (error) {
      if (!(error instanceof OutletImportRefused)) throw error
      const message = ctx.i18n.t(`outlets.import.refused.${error.key}`, error.params)
      if (ctx.request.accepts(['html', 'json']) === 'json')
        return ctx.response.status(422).json({ error: { code: error.code, message } })
      ctx.session.flash('error', message)
    }
    return ctx.response.redirect().toRoute('renewals.sync_log')
  }

  async syncLog(ctx: HttpContext) {
    const runs = await OutletSyncRun.forTenant(ctx.tenant.id)
      .preload('user')
      .orderBy('id', 'desc')
      .limit(SYNC_RUNS_SHOWN)
    return ctx.view.render('pages/renewals/sync_log', {
      section: 'renewals',
      runs,
      canManage: await ctx.bouncer.allows('manageRenewals'),
    })
  }
}
