/**
 * A minimal browser stand-in over fetch: keeps cookies, reads the CSRF token from the pages it
 * loads. Concurrency tests use it to fire many real HTTP requests at the test server at once.
 */
export class HttpSession {
  #cookies = new Map<string, string>()
  csrfToken = ''

  constructor(public baseUrl = `http://${process.env.HOST}:${process.env.PORT}`) {}

  async get(path: string) {
    const response = await this.request(path, { method: 'GET' })
    const html = await response.text()
    const token = /name='_csrf' value='([^']+)'/.exec(html)
    if (token) this.csrfToken = token[1]
    return { status: response.status, html }
  }

  async post(
    path: string,
    form: Record<string, string | number> = {},
    headers: Record<string, string> = {}
  ) {
    const body = new URLSearchParams(
      Object.entries(form).map(([key, value]): [string, string] => [key, String(value)])
    )
    return this.request(path, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-csrf-token': this.csrfToken,
        ...headers,
      },
    })
  }

  async login(email: string, password: string) {
    await this.get('/login')
    const response = await this.post('/login', { email, password })
    if (response.status !== 302) throw new Error(`login failed for ${email}: ${response.status}`)
    await this.get('/app/counter')
  }

  async request(path: string, init: RequestInit) {
    const response = await fetch(`${this.baseUrl}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: this.cookieHeader() },
    })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';')
      const index = pair.indexOf('=')
      this.#cookies.set(pair.slice(0, index), pair.slice(index + 1))
    }
    return response
  }

  private cookieHeader() {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }
}
