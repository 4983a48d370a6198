import { readFile } from 'node:fs/promises'
import type { Response } from '@adonisjs/core/http'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import DomainError from '#exceptions/domain_error'

/**
 * Uploaded files (the tenant's logo today; job photos, payment proofs and chat media later) are
 * typed by their bytes, never by the name or the type the browser claims, and only from an
 * allow-list: PNG, JPEG and WebP images, and PDF where a document is expected. SVG and HTML never
 * are: both can carry scripts. They are served with the type found here, `nosniff`, and a CSP that
 * forbids everything and sandboxes the answer, so even a file that is also valid HTML cannot run.
 */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const
const DOCUMENT_TYPES = [...IMAGE_TYPES, 'application/pdf'] as const
export type UploadType = (typeof DOCUMENT_TYPES)[number]

/** The policy every uploaded file is served under. */
export const UPLOAD_CSP = "default-src 'none'; sandbox"

const EXTENSIONS: Record<UploadType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
}

/** The file extension of an allowed type (`png`). */
export function uploadExtension(type: UploadType) {
  return EXTENSIONS[type]
}

/** The allowed type that `bytes` start like, or null. */
export function detectUploadType(bytes: Uint8Array): UploadType | null {
  const starts = (signature: number[], at = 0) =>
    signature.every((byte, index) => bytes[at + index] === byte)
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp'
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'
  return null
}

/**
 * The bytes of an uploaded file and the type they were found to be, when it is one of `allowed`;
 * otherwise a 422 saying which types are accepted.
 */
export async function readUpload(file: MultipartFile, allowed: readonly UploadType[]) {
  const bytes = file.tmpPath ? await readFile(file.tmpPath) : Buffer.alloc(0)
  const type = detectUploadType(bytes)
  if (!type || !allowed.includes(type)) {
    throw new DomainError(
      'upload_type_refused',
      { types: allowed.map((candidate) => EXTENSIONS[candidate].toUpperCase()).join(', ') },
      422
    )
  }
  return { bytes, type }
}

/**
 * Answers with a stored file: typed by its bytes (a row written before this rule cannot bring its
 * old type back), 404 when they are not of an allowed type, and never run by the browser.
 */
export function sendUpload(
  response: Response,
  bytes: Buffer,
  allowed: readonly UploadType[],
  options: { cache?: string; filename?: string } = {}
) {
  const type = detectUploadType(bytes)
  if (!type || !allowed.includes(type)) return response.notFound()
  response
    .header('content-type', type)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', UPLOAD_CSP)
    .header('cross-origin-resource-policy', 'same-origin')
    .header('cache-control', options.cache ?? 'private, no-store')
  if (options.filename) {
    const name = options.filename.replace(/[^\w.-]+/g, '_')
    response.header(
      'content-disposition',
      `${type === 'application/pdf' ? 'attachment' : 'inline'}; filename="${name}.${EXTENSIONS[type]}"`
    )
  }
  return response.send(bytes)
}
