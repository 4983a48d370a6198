import app from '@adonisjs/core/services/app'
import { defineConfig, services } from '@adonisjs/drive'
import env from '#start/env'

/**
 * Uploaded files (job photos today): on the local disk under storage/uploads by default (tests
 * keep theirs in tmp/), or in any S3-compatible store (AWS S3, MinIO) with DRIVE_DISK=s3. Files
 * are private: Loket serves each one itself, after checking who asks (app/support/file_store.ts).
 */
const driveConfig = defineConfig({
  default: env.get('DRIVE_DISK') || 'local',
  services: {
    local: services.fs({
      location: app.inTest ? app.tmpPath('uploads') : app.makePath('storage/uploads'),
      visibility: 'private',
      serveFiles: false,
    }),
    ...(env.get('DRIVE_DISK') === 's3'
      ? {
          s3: services.s3({
            credentials: {
              accessKeyId: env.get('S3_ACCESS_KEY_ID', ''),
              secretAccessKey: env.get('S3_SECRET_ACCESS_KEY', ''),
            },
            region: env.get('S3_REGION') || 'us-east-1',
            bucket: env.get('S3_BUCKET', ''),
            // Empty (as .env.example leaves it) means AWS itself.
            endpoint: env.get('S3_ENDPOINT') || undefined,
            forcePathStyle: env.get('S3_FORCE_PATH_STYLE', false),
            visibility: 'private',
          }),
        }
      : {}),
  },
})

export default driveConfig

declare module '@adonisjs/drive/types' {
  export interface DriveDisks extends InferDriveDisks<typeof driveConfig> {}
}
