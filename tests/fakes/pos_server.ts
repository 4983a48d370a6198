import { HttpFake, type FakeAnswer, type ReceivedRequest } from '#tests/fakes/http_fake'

/** An outlet as the fake POS keeps it (its own field names, nested as POS APIs often do). */
export interface PosOutletRecord {
  franchise_id: string
  outlet: { code: string; name: string; address?: string | null }
  contact?: { phone?: string | number | null }
  subscription?: { expires_at?: string | null; state?: string | null }
  [key: string]: unknown
}

/**
 * A local stand-in for a business's POS: `GET /api/outlets?page=N` answers
 * `{ "data": [...], "meta": { "page": N, "last_page": L, "per_page": P } }` (an empty `data` past the
 * last page), after checking the `X-Api-Key` header (401 without it). It can hold a page back past
 * the client's timeout (`slowPage`), answer a page with a server error (`failingPage`), and carry
 * bad rows among the good ones (`extraRows`: anything, put on the page named).
 */
export class FakePos extends HttpFake {
  outlets: unknown[] = []
  perPage = 50
  apiKey = 'pos-key-123'
  /** Pages (1-based) held until the connection closes: the client's timeout must end them. */
  slowPage: number | null = null
  failingPage: number | null = null
  /** Whether `meta.last_page` is sent (otherwise the client reads until an empty page). */
  sendsLastPage = true

  override reset() {
    super.reset()
    this.outlets = []
    this.perPage = 50
    this.slowPage = null
    this.failingPage = null
    this.sendsLastPage = true
  }

  /** `count` well-formed outlets `F<n>/O<n>` (phones 0812…, expiring on `expiresOn`). */
  static outlets(count: number, options: { prefix?: string; expiresOn?: string } = {}) {
    const prefix = options.prefix ?? 'F'
    return Array.from({ length: count }, (_, index): PosOutletRecord => ({
      franchise_id: `${prefix}${Math.floor(index / 10) + 1}`,
      outlet: {
        code: `O${index + 1}`,
        name: `Outlet ${index + 1}`,
        address: `Jl. Contoh ${index + 1}`,
      },
      contact: { phone: `0812${String(70_000_000 + index).padStart(8, '0')}` },
      subscription: { expires_at: options.expiresOn ?? '2027-01-31', state: 'aktif' },
    }))
  }

  /** The mapping Loket needs for this POS's shape. */
  static mapping = {
    fid: 'franchise_id',
    oid: 'outlet.code',
    name: 'outlet.name',
    address: 'outlet.address',
    phone: 'contact.phone',
    expires_on: 'subscription.expires_at',
    status: 'subscription.state',
    items: 'data',
    last_page: 'meta.last_page',
  }

  protected answer(request: ReceivedRequest): FakeAnswer | Promise<FakeAnswer> {
    const url = new URL(request.path, 'http://pos.local')
    if (request.method !== 'GET' || url.pathname !== '/api/outlets')
      return { status: 404, body: { error: 'not found' } }
    if (request.headers['x-api-key'] !== this.apiKey)
      return { status: 401, body: { error: 'unauthorized' } }
    const page = Number(url.searchParams.get('page') ?? '1')
    if (this.slowPage === page) return new Promise<FakeAnswer>(() => {})
    if (this.failingPage === page) return { status: 503, body: { error: 'maintenance' } }
    const lastPage = Math.max(1, Math.ceil(this.outlets.length / this.perPage))
    const data = this.outlets.slice((page - 1) * this.perPage, page * this.perPage)
    return {
      status: 200,
      body: {
        data,
        meta: {
          page,
          per_page: this.perPage,
          ...(this.sendsLastPage ? { last_page: lastPage } : {}),
        },
      },
    }
  }
}
