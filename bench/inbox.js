/*
| npm run bench:inbox — the WhatsApp inbox on MySQL + Redis, against the compiled build, with the
|   demo data (the support desk "NusaPOS") and BENCH_CONVERSATIONS (100,000) more conversations of
|   that tenant written by SQL, each with a contact and a message.
|   1. Signed WhatsApp webhooks (one text message each, from 5,000 merchants, so most join an open
|      conversation) POSTed at BENCH_RATES per second (open loop). Target: p95 < 50 ms at 50/s.
|   2. The agent's inbox list (`/app/inbox`, logged in as rina@nusapos.test), then a search by
|      phone digits, one by words of the messages (the webhooks' text), then the open list filtered
|      by SLA breached: open loop at BENCH_LIST_RATE/s.
|   Prints p50/p95/p99, req/s and errors per run.
*/
import { createHmac, randomBytes } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import {
  LOKET_PORT,
  buildDir,
  database,
  loketEnv,
  migrateFresh,
  openLoop,
  prepareBuild,
  row,
  session,
  startLoket,
  stop,
  saveResult,
} from './common.js'

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 100_000)
const DURATION = Number(process.env.BENCH_DURATION ?? 10)
const RATES = (process.env.BENCH_RATES ?? '20,50').split(',').map(Number)
const LIST_RATE = Number(process.env.BENCH_LIST_RATE ?? 20)
/** The demo tenant's WhatsApp app secret (database/demo_inbox.ts). */
const APP_SECRET = 'demo-not-connected'
const MERCHANTS = 5_000

const sqlTime = (date) => date.toISOString().slice(0, 23).replace('T', ' ')

/** `count` conversations of the tenant, with their contacts and one message each, by SQL in batches. */
async function seedConversations(connection, tenantId, count) {
  const now = Date.now()
  const statuses = ['open', 'pending', 'resolved', 'closed']
  for (let first = 0; first < count; first += 2000) {
    const contacts = []
    const size = Math.min(2000, count - first)
    for (let index = 0; index < size; index++) {
      const at = sqlTime(new Date(now - (first + index) * 60_000))
      contacts.push([
        tenantId,
        `+628555${String(first + index).padStart(7, '0')}`,
        `Merchant ${first + index}`,
        at,
        at,
        at,
      ])
    }
    const [inserted] = await connection.query(
      'INSERT INTO contacts (tenant_id, phone, display_name, last_inbound_at, created_at, updated_at) VALUES ?',
      [contacts]
    )
    const conversations = contacts.map((contact, index) => {
      const status = statuses[(first + index) % 4]
      const at = contact[3]
      return [
        tenantId,
        inserted.insertId + index,
        'support',
        status,
        index % 3 === 0 ? 'technical' : 'question',
        `F${(first + index) % 500}`,
        `O${(first + index) % 7}`,
        status === 'open' ? 1 : 0,
        at,
        at,
        (first + index) % 10 === 0 ? 1 : 0,
        (first + index) % 10 === 0 ? 1 : 0,
        at,
        at,
      ]
    })
    const [made] = await connection.query(
      `INSERT INTO conversations (tenant_id, contact_id, kind, status, category, fid, oid, unread_count, last_message_at, last_inbound_at,
        first_response_breached, sla_breached, created_at, updated_at) VALUES ?`,
      [conversations]
    )
    await connection.query(
      'INSERT INTO conversation_messages (tenant_id, conversation_id, direction, kind, body, wa_message_id, created_at) VALUES ?',
      [
        conversations.map((conversation, index) => [
          tenantId,
          made.insertId + index,
          'in',
          'text',
          `Pesan bench ${first + index}: mesin kasir error`,
          `wamid.seed.${first + index}`,
          conversation[8],
        ]),
      ]
    )
  }
}

/** One WhatsApp webhook with one text message from one of the merchants, as Meta sends it. */
function webhook() {
  const from = `62877${String(Math.floor(Math.random() * MERCHANTS)).padStart(7, '0')}`
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              contacts: [{ profile: { name: 'Bench merchant' }, wa_id: from }],
              messages: [
                {
                  from,
                  id: `wamid.bench.${randomBytes(10).toString('hex')}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: 'Printer tidak mau cetak' },
                },
              ],
            },
          },
        ],
      },
    ],
  })
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
  const [[tenant]] = await connection.query('SELECT id FROM tenants WHERE slug = ?', ['nusapos'])
  console.log(`writing ${CONVERSATIONS} conversations…`)
  await seedConversations(connection, tenant.id, CONVERSATIONS)

  const loket = await startLoket()
  const results = []
  try {
    for (const rate of RATES) {
      const stats = await openLoop({
        url: `http://127.0.0.1:${LOKET_PORT}/webhooks/whatsapp/nusapos`,
        method: 'POST',
        headers: (body) => ({
          'content-type': 'application/json',
          'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`,
        }),
        body: webhook,
        rate,
        duration: DURATION,
        expect: 200,
      })
      results.push(row(`webhook ${rate}/s`, stats))
    }
    const agent = session()
    await agent.get('/login')
    await agent.post('/login', { email: 'rina@nusapos.test', password: 'loket-demo' })
    for (const [label, path] of [
      ['inbox list (open)', '/app/inbox'],
      ['inbox search by phone', '/app/inbox?q=85550012'],
      ['inbox search by words', '/app/inbox?q=printer+cetak'],
      ['inbox SLA breached', '/app/inbox?sla=breached'],
      ['inbox live poll (204)', null],
    ]) {
      let url = path
      if (!url) {
        const html = await agent.get('/app/inbox')
        url = /hx-get="([^"]*\/app\/inbox\/live[^"]*)"/.exec(html)?.[1]?.replaceAll('&amp;', '&')
      }
      const stats = await openLoop({
        url: `http://127.0.0.1:${LOKET_PORT}${url}`,
        headers: { cookie: agent.cookie() },
        rate: LIST_RATE,
        duration: DURATION,
        expect: path ? 200 : 204,
      })
      results.push(row(`${label} ${LIST_RATE}/s`, stats))
    }
    const [[counts]] = await connection.query(
      'SELECT COUNT(*) AS conversations, (SELECT COUNT(*) FROM conversation_messages WHERE tenant_id = ?) AS messages FROM conversations WHERE tenant_id = ?',
      [tenant.id, tenant.id]
    )
    console.log(`tenant holds ${counts.conversations} conversations, ${counts.messages} messages`)
  } finally {
    await stop(loket)
    await connection.end()
  }
  console.table(results)
  saveResult('inbox', results)
}

await main()
