import { createHash, randomBytes } from 'node:crypto'
import type { FakeAnswer, ReceivedRequest } from '#tests/fakes/http_fake'
import { FakeWhatsappGraph } from '#tests/fakes/whatsapp_graph'

/** A media file the fake holds, as a customer sent it. */
export interface FakeMedia {
  id: string
  bytes: Buffer
  mimeType: string
  /** What the metadata claims (Meta's sha256 of the file); the real one unless a test lies. */
  sha256: string
}

/**
 * The WhatsApp Cloud API fake (messages, see FakeWhatsappGraph) with the Graph API's media
 * endpoints, as Meta documents them: `GET /<version>/<media id>` (bearer token) answers
 * `{ messaging_product, url, mime_type, sha256, file_size, id }`, and that `url` (bearer token
 * again) answers the bytes. Unknown ids answer Meta's error 100.
 */
export class FakeWhatsappCloud extends FakeWhatsappGraph {
  readonly media = new Map<string, FakeMedia>()

  /** Holds `bytes` as a customer's upload; returns its media id. */
  add(bytes: Buffer, mimeType: string, options: { sha256?: string } = {}) {
    const id = randomBytes(8).toString('hex')
    const sha256 = options.sha256 ?? createHash('sha256').update(bytes).digest('hex')
    this.media.set(id, { id, bytes, mimeType, sha256 })
    return id
  }

  override reset() {
    super.reset()
    this.media.clear()
  }

  protected override answer(request: ReceivedRequest): FakeAnswer | Promise<FakeAnswer> {
    if (request.method !== 'GET') return super.answer(request)
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))
    if (!bearer || (this.accessToken !== null && bearer[1] !== this.accessToken))
      return error(401, 190, 'Invalid OAuth access token - Cannot parse access token')
    const download = /^\/download\/([^/?]+)/.exec(request.path)
    if (download) {
      const media = this.media.get(decodeURIComponent(download[1]))
      if (!media) return { status: 404, body: '' }
      return { status: 200, body: media.bytes, headers: { 'content-type': media.mimeType } }
    }
    const info = /^(?:\/v\d+\.\d+)?\/([^/?]+)(?:\?.*)?$/.exec(request.path)
    const media = info ? this.media.get(decodeURIComponent(info[1])) : undefined
    if (!media) return error(400, 100, 'Unsupported get request. Object does not exist.', 33)
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        url: `${this.url}/download/${media.id}`,
        mime_type: media.mimeType,
        sha256: media.sha256,
        file_size: media.bytes.length,
        id: media.id,
      },
    }
  }
}

function error(status: number, code: number, message: string, subcode?: number): FakeAnswer {
  return {
    status,
    body: {
      error: {
        message,
        type: 'OAuthException',
        code,
        error_subcode: subcode,
        fbtrace_id: randomBytes(6).toString('hex'),
      },
    },
  }
}
