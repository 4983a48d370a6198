import { test } from '@japa/runner'
import type { Browser, Page, Response } from 'playwright'
import QueueEngine from '#services/queue/queue_engine'
import app from '@adonisjs/core/services/app'
import { createWorld } from '#tests/helpers/world'
import { baseUrl } from '#tests/helpers/browser'
import Rating from '#models/rating'
import InvoiceService from '#services/billing/invoice_service'
import JobService from '#services/field/job_service'
import { createFieldWorld, createJob } from '#tests/helpers/field'
import { messageVisitors } from '#tests/helpers/outbox'

const engine = await app.container.make(QueueEngine)
const invoices = await app.container.make(InvoiceService)
const jobs = await app.container.make(JobService)

/** The visitor pages' budget on the wire, every request of a first visit together. */
const BUDGET = 40 * 1024

const TEXT = /^(text\/|application\/(javascript|json|manifest\+json)|image\/svg\+xml)/

interface Weight {
  requests: number
  bytes: number
  /** Text answers with a body that came without Content-Encoding. */
  uncompressed: string[]
}

/** A live screen's long poll (`w=1`): open until the screen's data changes, so never "settled". */
const LONG_POLL = /[?&]w=1(&|$)/

/**
 * Resolves once no request but long polls has been in progress for 500 ms (Playwright's
 * "networkidle", which a page that holds a long poll open never reaches).
 */
function settled(page: Page) {
  let open = 0
  let timer: NodeJS.Timeout | undefined
  return new Promise<void>((resolve) => {
    const quiet = () => {
      clearTimeout(timer)
      if (open === 0) timer = setTimeout(resolve, 500)
    }
    page.on('request', (request) => {
      if (LONG_POLL.test(request.url())) return
      open++
      clearTimeout(timer)
    })
    const done = (request: { url(): string }) => {
      if (LONG_POLL.test(request.url())) return
      open--
      quiet()
    }
    page.on('requestfinished', done)
    page.on('requestfailed', done)
    page.once('load', quiet)
  })
}

/**
 * Loads `path` in a fresh context (empty cache, no cookies) and adds up what came over the wire
 * for every request it made until it settled: headers and body, as Chromium counted them.
 */
async function firstVisit(
  browser: Browser,
  path: string,
  headers: Record<string, string> = {}
): Promise<Weight> {
  const context = await browser.newContext({ extraHTTPHeaders: headers })
  const page = await context.newPage()
  const responses: Response[] = []
  page.on('response', (response) => responses.push(response))
  const idle = settled(page)
  await page.goto(`${baseUrl}${path}`)
  await idle
  let bytes = 0
  const uncompressed: string[] = []
  for (const response of responses) {
    const sizes = await response.request().sizes()
    bytes += sizes.responseHeadersSize + sizes.responseBodySize
    const type = (await response.headerValue('content-type')) ?? ''
    const encoding = await response.headerValue('content-encoding')
    if (TEXT.test(type) && sizes.responseBodySize > 1024 && !encoding)
      uncompressed.push(response.url())
  }
  await context.close()
  return { requests: responses.length, bytes, uncompressed }
}

test.group('Visitor pages: weight on the wire', () => {
  test('/b/<slug> and /t/<id> stay under 40 KB on a first visit, text compressed', async ({
    browser,
    assert,
  }) => {
    const { branch, services } = await createWorld()
    const ticket = await engine.take(branch, services[0], { channel: 'web' })

    for (const path of [`/b/${branch.slug}`, `/t/${ticket.id}`]) {
      const weight = await firstVisit(browser, path)
      const plain = await firstVisit(browser, path, { 'Accept-Encoding': 'identity' })
      console.log(
        `${path.slice(0, 3)}: ${weight.requests} requests, ${(weight.bytes / 1024).toFixed(1)} KB ` +
          `(uncompressed ${(plain.bytes / 1024).toFixed(1)} KB)`
      )
      assert.deepEqual(weight.uncompressed, [], `${path}: text sent uncompressed`)
      assert.isBelow(weight.bytes, BUDGET, `${path}: ${weight.bytes} bytes`)
      assert.isAbove(weight.requests, 1)
    }
  })
})

test.group('Customer links: weight on the wire', () => {
  test('the rating page /r/<token> and the invoice page /i/<token> stay under 40 KB on a first visit', async ({
    browser,
    assert,
  }) => {
    const world = await createFieldWorld()
    await messageVisitors(world)
    const job = await createJob(world, { quota: 1 })
    const technician = world.technicians[0]
    await jobs.claim(job.id, world.tenant.id, technician)
    await jobs.start(job.id, world.tenant.id, technician, { by: technician })
    await jobs.finish(job.id, world.tenant.id, technician, { by: technician })
    const rating = await Rating.query().where('tenant_id', world.tenant.id).firstOrFail()
    const draft = await invoices.create(
      world.tenant,
      world.branch.id,
      {
        customerId: world.customer.id,
        lines: [{ description: 'Servis AC', quantity: 1, unitPrice: 25_000_000 }],
        discount: 0,
      },
      { by: world.cs }
    )
    await invoices.submit(draft.id, world.tenant.id, { by: world.cs })
    const invoice = await invoices.approve(draft.id, world.tenant.id, { by: world.sales })

    for (const path of [`/r/${rating.token}`, `/i/${invoice.token}`]) {
      const weight = await firstVisit(browser, path)
      console.log(
        `${path.slice(0, 3)}: ${weight.requests} requests, ${(weight.bytes / 1024).toFixed(1)} KB`
      )
      assert.deepEqual(weight.uncompressed, [], `${path}: text sent uncompressed`)
      assert.isBelow(weight.bytes, BUDGET, `${path}: ${weight.bytes} bytes`)
    }
  })
})
