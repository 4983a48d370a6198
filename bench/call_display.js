/*
| npm run bench:call-display — how long from an operator's "call next" to the number on the TV,
| in a real browser (headless Chromium showing /display/:token), on MySQL + Redis against the
| compiled build. The operator works over HTTP like the console does; the TV page is watched with
| a MutationObserver. Prints p50/p95/p99 over BENCH_CALLS calls (default 40).
*/
import { spawnSync } from 'node:child_process'
import { chromium } from 'playwright'
import {
  LOKET_PORT,
  buildDir,
  database,
  loketEnv,
  migrateFresh,
  prepareBuild,
  saveResult,
  session,
  startLoket,
  stop,
} from './common.js'

const CALLS = Number(process.env.BENCH_CALLS ?? 40)
const base = `http://127.0.0.1:${LOKET_PORT}`

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

async function main() {
  console.log('building Loket and preparing the bench database…')
  prepareBuild()
  const connection = await database()
  await migrateFresh()
  const seeded = spawnSync(
    process.execPath,
    ['ace', 'db:seed', '--files', 'database/seeders/demo_seeder.ts'],
    {
      cwd: buildDir,
      env: { ...process.env, ...loketEnv },
      encoding: 'utf8',
    }
  )
  if (seeded.status !== 0) throw new Error(seeded.stderr)
  const [[counter]] = await connection.query("SELECT id FROM counters WHERE name = 'Loket 1'")
  const [services] = await connection.query(
    'SELECT service_id FROM counter_services WHERE counter_id = ? ORDER BY `rank`',
    [counter.id]
  )
  await connection.end()

  const loket = await startLoket()
  const operator = session()
  await operator.get('/login')
  await operator.post('/login', { email: 'operator1@sehat.test', password: 'loket-demo' })
  await operator.get('/app/counter')
  const form = new URLSearchParams({ counter_id: String(counter.id) })
  for (const { service_id: id } of services) form.append('service_ids[]', String(id))
  await operator.post('/app/counter/select', form)
  const visitor = session()
  await visitor.get('/b/sehat-sentosa')

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  })
  const tv = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
  await tv.goto(`${base}/display/demo-tv`)
  await tv.evaluate(() => {
    window.__seen = {}
    new MutationObserver(() => {
      for (const call of document.querySelectorAll('[data-testid="now-calling"] .number')) {
        window.__seen[call.textContent.trim()] ??= Date.now()
      }
    }).observe(document.body, { childList: true, subtree: true })
  })

  const latencies = []
  for (let index = 0; index < CALLS; index++) {
    await visitor.post('/b/sehat-sentosa/tickets', { service_id: String(services[0].service_id) })
    await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 800))
    const sentAt = Date.now()
    const response = await operator.post('/app/counter/call-next', {})
    const html = await response.text()
    const number = /data-testid="current-number">([^<]+)</.exec(html)?.[1]
    if (!number) throw new Error(`call-next did not call anyone (${response.status})`)
    const seenAt = await tv
      .waitForFunction((n) => window.__seen[n], number, { timeout: 10_000, polling: 20 })
      .then((handle) => handle.jsonValue())
    latencies.push(seenAt - sentAt)
    const ticketId = /\/app\/tickets\/([0-9a-f-]{36})\/complete/.exec(html)?.[1]
    await operator.post(`/app/tickets/${ticketId}/complete`, {})
  }

  await browser.close()
  await stop(loket)
  latencies.sort((a, b) => a - b)
  console.table([
    {
      'calls': latencies.length,
      'p50 ms': percentile(latencies, 50),
      'p95 ms': percentile(latencies, 95),
      'p99 ms': percentile(latencies, 99),
      'max ms': latencies[latencies.length - 1],
    },
  ])
  console.log(
    `target: call -> display within 300 ms at p95 -> ${percentile(latencies, 95) <= 300 ? 'met' : 'NOT met'}`
  )
  saveResult('call-display', {
    calls: latencies.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1],
  })
  process.exit(0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
