import { randomBytes } from 'node:crypto'
import { HttpFake, type FakeAnswer, type ReceivedRequest } from '#tests/fakes/http_fake'

/** A Graph API error to answer with: HTTP status and Meta's error code. */
export interface GraphFailure {
  status: number
  code: number
  message?: string
  subcode?: number
}

/** A message the fake accepted: the JSON body as the driver sent it, and the id it answered. */
export interface AcceptedMessage {
  id: string
  phoneNumberId: string
  payload: any
}

/** A file the business uploaded (`POST /<phone_number_id>/media`), under the media id answered. */
export interface UploadedMedia {
  id: string
  bytes: Buffer
  mimeType: string
  filename: string
}

/** What Meta takes as an image message, and its limit; documents may be up to 100 MB. */
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png'])
const IMAGE_MAX_BYTES = 5 * 1024 * 1024
const DOCUMENT_MAX_BYTES = 100 * 1024 * 1024

/**
 * A stand-in for the WhatsApp Cloud API (`POST /<version>/<phone_number_id>/messages`) with its
 * real request checks and answers: `{"messages":[{"id":"wamid..."}]}` on success, Meta's
 * `{"error":{message,type,code,error_subcode,fbtrace_id}}` otherwise. Scriptable: a required
 * bearer token and phone number id, the customers whose 24-hour window is open (text to others
 * is refused with 131047), the approved templates and their parameter counts, and failures for
 * the next requests. Interactive messages (reply buttons, lists) are checked as Meta checks them and,
 * like text, go only inside the window.
 */
export class FakeWhatsappGraph extends HttpFake {
  /** The token every request must carry; null accepts any. */
  accessToken: string | null = null
  /** The only phone number id that exists; null accepts any. */
  phoneNumberId: string | null = null
  /** When set, only these customers (digits, no +) wrote within 24 hours: free text to others fails with 131047. */
  openWindows: Set<string> | null = null
  /** When set, the approved templates and how many body parameters each takes. */
  templates: Map<string, number> | null = null
  readonly accepted: AcceptedMessage[] = []
  /** Files uploaded for media messages (multipart: messaging_product, type, file). */
  readonly uploads = new Map<string, UploadedMedia>()
  #failures: GraphFailure[] = []

  /** The next `count` requests are answered with `failure` (after the token check). */
  failNext(count: number, failure: GraphFailure) {
    for (let index = 0; index < count; index++) this.#failures.push(failure)
    return this
  }

  override reset() {
    super.reset()
    this.accepted.length = 0
    this.uploads.clear()
    this.#failures = []
    this.accessToken = null
    this.phoneNumberId = null
    this.openWindows = null
    this.templates = null
  }

  protected answer(request: ReceivedRequest): FakeAnswer | Promise<FakeAnswer> {
    const upload = /^(?:\/v\d+\.\d+)?\/([^/?]+)\/media(?:\?.*)?$/.exec(request.path)
    if (request.method === 'POST' && upload) return this.#upload(request, upload[1])
    const route = /^(?:\/v\d+\.\d+)?\/([^/?]+)\/messages(?:\?.*)?$/.exec(request.path)
    if (request.method !== 'POST' || !route) {
      return graphError(400, 100, `Unsupported ${request.method.toLowerCase()} request.`, 33)
    }
    const refused = this.#refusal(request, route[1])
    if (refused) return refused
    const phoneNumberId = decodeURIComponent(route[1])
    const failure = this.#failures.shift()
    if (failure)
      return graphError(
        failure.status,
        failure.code,
        failure.message ?? `(#${failure.code}) Scripted failure`,
        failure.subcode
      )

    let payload: any
    try {
      payload = JSON.parse(request.raw)
    } catch {
      return graphError(400, 100, '(#100) Invalid parameter')
    }
    if (payload?.messaging_product !== 'whatsapp')
      return graphError(400, 100, '(#100) The parameter messaging_product is required.')
    if (typeof payload.to !== 'string' || !/^\d{8,15}$/.test(payload.to))
      return graphError(400, 100, '(#100) Invalid parameter')

    if (payload.type === 'text' || payload.type === 'interactive') {
      const body = payload.text?.body
      if (
        payload.type === 'text' &&
        (typeof body !== 'string' || body.length === 0 || body.length > 4096)
      )
        return graphError(400, 100, '(#100) Invalid parameter')
      const problem =
        payload.type === 'interactive' ? interactiveProblem(payload.interactive) : null
      if (problem)
        return graphError(400, 131009, `(#131009) Parameter value is not valid: ${problem}`)
      if (this.openWindows && !this.openWindows.has(payload.to)) {
        return graphError(400, 131047, '(#131047) Re-engagement message', undefined, {
          messaging_product: 'whatsapp',
          details:
            'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        })
      }
    } else if (payload.type === 'image' || payload.type === 'document') {
      const media = payload[payload.type]
      const uploaded = typeof media?.id === 'string' ? this.uploads.get(media.id) : undefined
      if (!uploaded) return graphError(400, 131053, '(#131053) Media upload error')
      if ((payload.type === 'image') !== IMAGE_TYPES.has(uploaded.mimeType))
        return graphError(400, 131053, '(#131053) Media upload error')
      if (
        media.caption !== undefined &&
        (typeof media.caption !== 'string' || media.caption.length > 1024)
      )
        return graphError(400, 100, '(#100) Invalid parameter')
      if (this.openWindows && !this.openWindows.has(payload.to))
        return graphError(400, 131047, '(#131047) Re-engagement message')
    } else if (payload.type === 'template') {
      const template = payload.template
      if (typeof template?.name !== 'string' || typeof template?.language?.code !== 'string')
        return graphError(400, 100, '(#100) Invalid parameter')
      const parameters =
        (template.components ?? []).find((component: any) => component.type === 'body')
          ?.parameters ?? []
      if (this.templates) {
        const expected = this.templates.get(template.name)
        if (expected === undefined)
          return graphError(
            404,
            132001,
            '(#132001) Template name does not exist in the translation'
          )
        if (expected !== parameters.length)
          return graphError(
            400,
            132000,
            '(#132000) Number of parameters does not match the expected number of params'
          )
      }
    } else {
      return graphError(400, 131051, '(#131051) Unsupported message type')
    }

    const id = `wamid.${randomBytes(30).toString('base64')}`
    this.accepted.push({ id, phoneNumberId, payload })
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: payload.to, wa_id: payload.to }],
        messages: [payload.type === 'template' ? { id, message_status: 'accepted' } : { id }],
      },
    }
  }

  /** The bearer token and the phone number id, as Meta checks them on every call; null when both pass. */
  #refusal(request: ReceivedRequest, encodedPhoneNumberId: string): FakeAnswer | null {
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))
    if (!bearer || (this.accessToken !== null && bearer[1] !== this.accessToken)) {
      return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token')
    }
    const phoneNumberId = decodeURIComponent(encodedPhoneNumberId)
    if (this.phoneNumberId !== null && phoneNumberId !== this.phoneNumberId) {
      return graphError(
        400,
        100,
        `Unsupported post request. Object with ID '${phoneNumberId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        33
      )
    }
    return null
  }

  /**
   * `POST /<phone_number_id>/media` (multipart/form-data: messaging_product=whatsapp, type, file),
   * answered `{"id":"<media id>"}`; a missing field, an unsupported type or a file over Meta's
   * limit is refused with error 100.
   */
  async #upload(request: ReceivedRequest, encodedPhoneNumberId: string): Promise<FakeAnswer> {
    const refused = this.#refusal(request, encodedPhoneNumberId)
    if (refused) return refused
    let form: FormData
    try {
      form = await new Response(new Uint8Array(request.bytes), {
        headers: { 'content-type': String(request.headers['content-type'] ?? '') },
      }).formData()
    } catch {
      return graphError(400, 100, '(#100) Invalid parameter')
    }
    const file = form.get('file')
    const type = form.get('type')
    if (form.get('messaging_product') !== 'whatsapp' || typeof type !== 'string')
      return graphError(400, 100, '(#100) The parameter messaging_product is required.')
    if (!(file instanceof Blob)) return graphError(400, 100, '(#100) Param file must be a file')
    const bytes = Buffer.from(await file.arrayBuffer())
    const max = IMAGE_TYPES.has(type) ? IMAGE_MAX_BYTES : DOCUMENT_MAX_BYTES
    if (!IMAGE_TYPES.has(type) && type !== 'application/pdf')
      return graphError(
        400,
        100,
        `(#100) Param file must be a file with one of the supported types`
      )
    if (bytes.length > max) return graphError(400, 100, '(#100) File too large')
    const id = String(Date.now()) + randomBytes(4).toString('hex')
    this.uploads.set(id, {
      id,
      bytes,
      mimeType: type,
      filename: (file as File).name ?? 'file',
    })
    return { status: 200, body: { id } }
  }
}

/**
 * What Meta refuses in an interactive message (reply buttons or a list), or null when it is
 * well formed: https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages
 * and .../interactive-list-messages (body up to 1024 characters; 1-3 buttons with unique ids of up
 * to 256 and unique titles of up to 20; a list button label of up to 20 and 1-10 rows in all, ids
 * up to 200, titles up to 24, descriptions up to 72, section titles required when there are several).
 */
function interactiveProblem(interactive: any): string | null {
  const text = (value: unknown, max: number) =>
    typeof value === 'string' && value.length > 0 && value.length <= max
  if (!text(interactive?.body?.text, 1024)) return 'body.text'
  const action = interactive.action
  if (interactive.type === 'button') {
    const buttons = action?.buttons
    if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) return 'action.buttons'
    for (const button of buttons) {
      if (
        button?.type !== 'reply' ||
        !text(button.reply?.id, 256) ||
        !text(button.reply?.title, 20)
      )
        return 'action.buttons.reply'
    }
    const ids = new Set(buttons.map((button: any) => button.reply.id))
    const titles = new Set(buttons.map((button: any) => button.reply.title))
    if (ids.size !== buttons.length || titles.size !== buttons.length) return 'duplicate button'
    return null
  }
  if (interactive.type === 'list') {
    if (!text(action?.button, 20)) return 'action.button'
    const sections = action?.sections
    if (!Array.isArray(sections) || sections.length < 1 || sections.length > 10)
      return 'action.sections'
    const rows = sections.flatMap((section: any) =>
      Array.isArray(section?.rows) ? section.rows : []
    )
    if (rows.length < 1 || rows.length > 10) return 'action.sections.rows'
    if (sections.length > 1 && !sections.every((section: any) => text(section.title, 24)))
      return 'action.sections.title'
    for (const row of rows) {
      if (!text(row?.id, 200) || !text(row?.title, 24)) return 'action.sections.rows'
      if (row.description !== undefined && !text(row.description, 72)) return 'row.description'
    }
    if (new Set(rows.map((row: any) => row.id)).size !== rows.length) return 'duplicate row id'
    return null
  }
  return 'interactive.type'
}

function graphError(
  status: number,
  code: number,
  message: string,
  subcode?: number,
  errorData?: Record<string, unknown>
): FakeAnswer {
  return {
    status,
    body: {
      error: {
        message,
        type: 'OAuthException',
        code,
        ...(subcode !== undefined ? { error_subcode: subcode } : {}),
        ...(errorData ? { error_data: errorData } : {}),
        fbtrace_id: randomBytes(9).toString('base64url'),
      },
    },
  }
}
