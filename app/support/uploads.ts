import { readFile } from 'node:fs/promises'
import type { Response } from '@adonisjs/core/http'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import DomainError from '#exceptions/domain_error'

/**
 * Uploaded files (the tenant's logo, job photos, payment proofs, chat media) are typed by their
 * bytes, never by the name or the type the browser (or a provider) claims, and only from an
 * allow-list: PNG, JPEG and WebP images, PDF where a document is expected, and in conversations
 * also Ogg, MP3, AMR and MP4 audio and MP4 video. SVG and HTML never are: both can carry scripts. They are served with the type found here, `nosniff`, and a CSP that
 * forbids everything and sandboxes the answer, so even a file that is also valid HTML cannot run.
 */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const
const DOCUMENT_TYPES = [...IMAGE_TYPES, 'application/pdf'] as const
/** What customers send on WhatsApp besides images and PDFs: voice notes and audio, and video. */
export const SOUND_AND_VIDEO_TYPES = [
  'audio/ogg',
  'audio/mpeg',
  'audio/amr',
  'audio/mp4',
  'video/mp4',
] as const
/** Everything a WhatsApp conversation keeps. */
export const CHAT_MEDIA_TYPES = [...DOCUMENT_TYPES, ...SOUND_AND_VIDEO_TYPES] as const
export type UploadType = (typeof CHAT_MEDIA_TYPES)[number]

/** The policy every uploaded file is served under. */
export const UPLOAD_CSP = "default-src 'none'; sandbox"

const EXTENSIONS: Record<UploadType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/amr': 'amr',
  'audio/mp4': 'm4a',
  'video/mp4': 'mp4',
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
  if (starts([0x4f, 0x67, 0x67, 0x53])) return 'audio/ogg'
  if (starts([0x49, 0x44, 0x33]) || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0))
    return 'audio/mpeg'
  if (starts([0x23, 0x21, 0x41, 0x4d, 0x52])) return 'audio/amr'
  if (starts([0x66, 0x74, 0x79, 0x70], 4)) {
    const brand = String.fromCharCode(...bytes.slice(8, 12))
    return brand.startsWith('M4A') ? 'audio/mp4' : 'video/mp4'
  }
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
