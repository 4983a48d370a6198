import { createHash, randomUUID } from 'node:crypto'
import drive from '@adonisjs/drive/services/main'
import type { Response } from '@adonisjs/core/http'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import DomainError from '#exceptions/domain_error'
import { readUpload, sendUpload, uploadExtension, type UploadType } from '#support/uploads'

/** What the store kept of an upload: its key on the disk, its type (from its bytes), size and digest. */
export interface StoredFile {
  key: string
  mime: UploadType
  size: number
  sha256: string
}

/**
 * A prefix is chosen by the code (`jobs/<tenant>/<job>`), never by the user; this only stops a
 * slip (an empty segment, `..`) from writing outside the folder it means.
 */
const PREFIX = /^[\w-]+(\/[\w-]+)*$/

/**
 * Uploaded files through @adonisjs/drive (config/drive.ts: the local disk, or S3 / MinIO). A file
 * is typed by its bytes from an allow-list and size-checked before it is written; its key is
 * `<prefix>/<uuid>.<ext>`, never a name the user chose. Reading it back goes through the app,
 * which checks who asks first.
 */
export async function storeUpload(
  file: MultipartFile,
  options: { allowed: readonly UploadType[]; maxBytes: number; prefix: string }
): Promise<StoredFile> {
  if (!PREFIX.test(options.prefix)) throw new Error(`Invalid upload prefix "${options.prefix}"`)
  // The size the body parser counted refuses a large file before it is read into memory; the
  // bytes themselves are checked again, whatever the parser was told.
  if (file.size > options.maxBytes) throw tooLarge(options.maxBytes)
  const { bytes, type } = await readUpload(file, options.allowed)
  if (bytes.length > options.maxBytes) throw tooLarge(options.maxBytes)
  const key = `${options.prefix}/${randomUUID()}.${uploadExtension(type)}`
  await drive.use().put(key, bytes, { contentType: type })
  return {
    key,
    mime: type,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  }
}

/** The bytes of a stored file. */
export async function readStored(key: string) {
  return Buffer.from(await drive.use().getBytes(key))
}

/** Forgets a stored file (one whose record was never written, or was erased). */
export async function deleteStored(key: string) {
  await drive.use().delete(key)
}

/**
 * Answers with a stored file under the type it was stored as (or any of an allow-list): its bytes
 * are typed again on the way out, `nosniff`, sandboxed, private to the one who asked (sendUpload).
 */
export async function sendStored(
  response: Response,
  key: string,
  mime: UploadType | readonly UploadType[]
) {
  const allowed = typeof mime === 'string' ? [mime] : mime
  return sendUpload(response, await readStored(key), allowed, { cache: 'private, max-age=3600' })
}

/**
 * Too large answers 422, like the logo's size rule in its validator: a form error the user can
 * correct, in their language (`errors.upload_too_large`).
 */
function tooLarge(maxBytes: number) {
  const max =
    maxBytes >= 1024 * 1024
      ? `${Math.floor(maxBytes / 1024 / 1024)} MB`
      : `${Math.max(1, Math.floor(maxBytes / 1024))} KB`
  return new DomainError('upload_too_large', { max }, 422)
}
