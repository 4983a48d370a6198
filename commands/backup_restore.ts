import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Replaces the database's rows and the uploaded files with a backup's (app/services/operations/backups.ts). */
export default class BackupRestore extends BaseCommand {
  static commandName = 'backup:restore'
  static description =
    "Restore a backup: replaces every row and uploaded file (the database must be migrated to the backup's version)"
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'The backup file (backups/loket-....ndjson.gz)' })
  declare file: string

  @flags.boolean({
    description: 'Do it: everything now in the database and the uploads is replaced',
  })
  declare force: boolean

  async run() {
    if (!this.force) {
      this.logger.error(
        'A restore replaces every row and uploaded file with the backup: run again with --force'
      )
      this.exitCode = 1
      return
    }
    const { default: Backups } = await import('#services/operations/backups')
    const started = performance.now()
    try {
      const summary = await new Backups().restore(this.app.makePath(this.file))
      this.logger.success(
        `Restored ${summary.rows} rows of ${summary.tables} tables and ${summary.files} files from ${summary.path} in ${Math.round(performance.now() - started)} ms`
      )
    } catch (error) {
      this.logger.error((error as Error).message)
      this.exitCode = 1
    }
  }
}
