import { readFile } from 'node:fs/promises'
import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import CustomerImport, {
  IMPORT_BATCH,
  ImportRefused,
  MAX_IMPORT_ROWS,
  type ImportState,
} from '#services/field/customer_import'
import { customerImportValidator, customerMessages } from '#validators/field_customers'

/**
 * Importing customers from a CSV file: the upload, its preview (what will be created, updated or
 * refused, row by row), then the import runs in the background while its page shows the
 * progress, polled by htmx every second until done. A file that is not CSV text is refused with
 * 422 and the reason in the user's language; another tenant's import answers 404.
 */
@inject()
export default class CustomerImportsController {
  constructor(protected imports: CustomerImport) {}

  async create({ view }: HttpContext) {
    return view.render('pages/field/customers/import', this.#page())
  }

  async preview(ctx: HttpContext) {
    const { file } = await ctx.request.validateUsing(customerImportValidator, {
      messagesProvider: customerMessages(ctx.i18n),
    })
    try {
      const state = await this.imports.preview(
        ctx.tenant.id,
        { user: ctx.auth.user!, ip: ctx.request.ip() },
        {
          fileName: file.clientName,
          bytes: file.tmpPath ? await readFile(file.tmpPath) : new Uint8Array(),
        }
      )
      return ctx.response.redirect().toRoute('field.customers.import.show', { token: state.token })
    } catch (error) {
      if (!(error instanceof ImportRefused)) throw error
      return this.#refuse(ctx, error)
    }
  }

  async commit(ctx: HttpContext) {
    const state = await this.imports.find(ctx.tenant.id, String(ctx.params.token))
    await this.imports.commit(state)
    return ctx.response.redirect().toRoute('field.customers.import.show', { token: state.token })
  }

  /**
   * The preview before the import starts, its progress after. htmx polls ask with the version
   * they hold (`?v=`) and get 204 while nothing moved, or the progress card again.
   */
  async show(ctx: HttpContext) {
    const state = await this.imports.find(ctx.tenant.id, String(ctx.params.token))
    const data = { section: 'field_customers', upload: state, version: versionOf(state) }
    if (ctx.htmx.isRequest) {
      if (ctx.request.qs().v === data.version) return ctx.response.noContent()
      return ctx.view.render('partials/field/customers/import_progress', data)
    }
    return ctx.view.render('pages/field/customers/import_show', data)
  }

  /** A file that cannot be imported: 422 with why, as JSON or on the upload page again. */
  async #refuse(ctx: HttpContext, error: ImportRefused) {
    const message = ctx.i18n.t(`customers.import.refused.${error.key}`, error.params)
    ctx.response.status(422)
    if (ctx.request.accepts(['html', 'json']) === 'json')
      return ctx.response.json({ error: { code: `E_IMPORT_${error.key.toUpperCase()}`, message } })
    return ctx.view.render('pages/field/customers/import', { ...this.#page(), refused: message })
  }

  #page() {
    return {
      section: 'field_customers',
      refused: null,
      maxRows: MAX_IMPORT_ROWS,
      batch: IMPORT_BATCH,
    }
  }
}

/** What a poll compares: the progress card changes only when this does. */
function versionOf(state: ImportState) {
  const { processed, created, updated, failed } = state.progress
  return [state.status, processed, created, updated, failed].join('.')
}
