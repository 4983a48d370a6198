import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Writes a backup of the database and the uploaded files (app/services/operations/backups.ts). */
export default class BackupCreate extends BaseCommand {
  static commandName = 'backup:create'
  static description =
    'Back up the database (a consistent snapshot) and the uploaded files into one file'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Where to write it (default: backups/loket-<time>.ndjson.gz)' })
  declare output?: string

  async run() {
    const { default: Backups } = await import('#services/operations/backups')
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)
    const path = this.app.makePath(this.output ?? `backups/loket-${stamp}.ndjson.gz`)
    const started = performance.now()
    const summary = await new Backups().create(path)
    this.logger.success(
      `Backed up ${summary.rows} rows of ${summary.tables} tables and ${summary.files} files to ${summary.path} (${Math.round(summary.bytes / 1024)} KB) in ${Math.round(performance.now() - started)} ms`
    )
  }
}
