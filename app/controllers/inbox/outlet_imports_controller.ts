import { readFile } from 'node:fs/promises'
import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import {
  MAX_IMPORT_ROWS,
  OutletImportRefused,
  type ImportReport,
} from '#services/inbox/outlet_directory'
import { outletImportValidator, outletMessages } from '#validators/inbox'
import { actorOf } from '#controllers/scope'
import PosSync from '#services/renewals/pos_sync'

/** Rows with problems the report lists (the counts cover them all). */
const LISTED_ERRORS = 200

/**
 * Importing outlets from a CSV file: the upload form, then the import itself (a few seconds for
 * tens of thousands of rows) and its report on the same page: created, updated, unchanged, and
 * the rows skipped with their line and why. A file that cannot be read at all answers 422 with
 * the reason in the user's language (as JSON for an API client).
 */
@inject()
export default class OutletImportsController {
  constructor(protected posSync: PosSync) {}

  async create({ view }: HttpContext) {
    return view.render('pages/inbox/outlets/import', this.#page(null, null))
  }

  async store(ctx: HttpContext) {
    const { file } = await ctx.request.validateUsing(outletImportValidator, {
      messagesProvider: outletMessages(ctx.i18n),
    })
    let report: ImportReport
    try {
      // Through the POS sync, so that the import has its row in the sync log.
      ;({ report } = await this.posSync.importCsv(
        ctx.tenant,
        {
          fileName: file.clientName,
          bytes: file.tmpPath ? await readFile(file.tmpPath) : new Uint8Array(),
        },
        actorOf(ctx),
        { i18n: ctx.i18n }
      ))
    } catch (error) {
      if (!(error instanceof OutletImportRefused)) throw error
      const message = ctx.i18n.t(`outlets.import.refused.${error.key}`, error.params)
      ctx.response.status(422)
      if (ctx.request.accepts(['html', 'json']) === 'json')
        return ctx.response.json({ error: { code: error.code, message } })
      return ctx.view.render('pages/inbox/outlets/import', this.#page(null, message))
    }
    if (ctx.request.accepts(['html', 'json']) === 'json') return ctx.response.json({ report })
    return ctx.view.render('pages/inbox/outlets/import', this.#page(report, null))
  }

  #page(report: ImportReport | null, refused: string | null) {
    return {
      section: 'outlets',
      report,
      listed: report?.errors.slice(0, LISTED_ERRORS) ?? [],
      refused,
      maxRows: MAX_IMPORT_ROWS,
    }
  }
}
