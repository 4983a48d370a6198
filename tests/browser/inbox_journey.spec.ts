/// <reference lib="dom" />
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import CannedReply from '#models/canned_reply'
import Conversation from '#models/conversation'
import Rating from '#models/rating'
import { FakeWhatsappCloud } from '#tests/fakes/whatsapp_media'
import { PHONE, baseUrl, logIn, overflowOf } from '#tests/helpers/browser'
import { createInboxWorld, deliver, waMessage, webhookBody } from '#tests/helpers/inbox'
import { jobsInProcess, outboxSettled, whatsappThrough } from '#tests/helpers/outbox'

const DESK = { viewport: { width: 1280, height: 800 } }

test.group('Inbox journey in a real browser', (group) => {
  const graph = new FakeWhatsappCloud()
  group.setup(async () => {
    await graph.start()
    return () => graph.stop()
  })

  test('a merchant writes, the agent sees it arrive and answers with a canned reply while a second agent sees "replying", resolves, and the merchant rates', async ({
    browser,
    assert,
  }) => {
    const restoreJobs = jobsInProcess()
    const restoreGraph = whatsappThrough(graph)
    try {
      const world = await createInboxWorld()
      await CannedReply.create({
        tenantId: world.tenant.id,
        shortcut: 'cek',
        title: 'Sedang dicek',
        body: 'Halo {{name}}, kami cek sekarang ya.',
      })

      // Rina lands on the inbox, still empty.
      const rinaDesk = await browser.newContext(DESK)
      const rina = await rinaDesk.newPage()
      await logIn(rina, world.rina.email)
      await rina.waitForURL(`${baseUrl}/app/inbox`)
      await rina.getByText('Tidak ada percakapan di sini.').waitFor()

      // The merchant writes on WhatsApp: the conversation appears without a reload.
      await deliver(
        world,
        webhookBody({
          messages: [
            waMessage('6281234567890', { type: 'text', text: { body: 'Mesin EDC mati' } }),
          ],
          names: ['Bu Wati'],
        })
      )
      const conversation = await Conversation.query()
        .where('tenant_id', world.tenant.id)
        .firstOrFail()
      const row = rina.locator(`[data-conversation="${conversation.id}"]`)
      await row.waitFor({ timeout: 10_000 })
      await rina.screenshot({ path: 'tmp/inbox-list.png', fullPage: true })
      await row.getByRole('link').click()
      await rina.getByText('Mesin EDC mati').waitFor()

      // Budi opens the same conversation.
      const budiDesk = await browser.newContext(DESK)
      const budi = await budiDesk.newPage()
      await logIn(budi, world.budi.email)
      await budi.goto(`${baseUrl}/app/inbox/${conversation.id}`)
      await budi.getByText('Mesin EDC mati').waitFor()

      // Rina types "/" and picks the canned reply, filled in with the merchant's name.
      const box = rina.locator('#reply-text')
      await box.pressSequentially('/ce')
      await rina.getByRole('button', { name: '/cek · Sedang dicek' }).click()
      assert.equal(await box.inputValue(), 'Halo Bu Wati, kami cek sekarang ya.')
      await box.press('End')
      await box.pressSequentially(' 🙏')

      // Budi sees that Rina is replying.
      await budi.getByText(`${world.rina.fullName} sedang membalas`).waitFor({ timeout: 12_000 })
      await budi.screenshot({ path: 'tmp/inbox-replying.png', fullPage: true })

      await rina.getByRole('button', { name: 'Kirim', exact: true }).click()
      await rina.locator('.message-out').getByText('kami cek sekarang ya').waitFor()
      await outboxSettled(world.tenant.id)
      // What became of the reply's message if the provider never saw it (a rare failure under load).
      const rows = await db
        .from('notifications')
        .where('tenant_id', world.tenant.id)
        .select('event', 'status', 'attempts', 'last_error')
      // Among the texts to this merchant: an earlier test's late message may reach the same fake.
      const texts = graph.accepted
        .filter((message) => message.payload.to === '6281234567890')
        .map((message) => message.payload.text?.body)
      assert.include(texts, 'Halo Bu Wati, kami cek sekarang ya. 🙏', JSON.stringify(rows))

      // Rina resolves it: the merchant is asked for a rating.
      await rina.getByLabel('Hasil').selectOption('fixed')
      await rina.getByTestId('resolve').click()
      await rina.getByText(`Percakapan #${conversation.id} selesai.`).waitFor()
      await rina.screenshot({ path: 'tmp/inbox-thread.png', fullPage: true })
      const rating = await Rating.query()
        .where('tenant_id', world.tenant.id)
        .where('subject_type', 'conversation')
        .firstOrFail()

      // The merchant rates on their phone.
      const phone = await browser.newContext(PHONE)
      const merchant = await phone.newPage()
      await merchant.goto(`${baseUrl}/r/${rating.token}`)
      await merchant.locator('label[for="score-5"]').tap()
      await merchant.getByRole('button', { name: 'Kirim penilaian' }).click()
      await merchant.getByText('Terima kasih atas penilaian Anda!').waitFor()
      assert.deepEqual(await overflowOf(merchant), { scrollWidth: 360, cut: [] })
      assert.equal((await Rating.findOrFail(rating.id)).score, 5)

      // The inbox fits a phone too.
      const agentPhone = await browser.newContext(PHONE)
      const small = await agentPhone.newPage()
      await logIn(small, world.budi.email)
      await small.goto(`${baseUrl}/app/inbox/${conversation.id}`)
      assert.deepEqual(await overflowOf(small), { scrollWidth: 360, cut: [] })
      await small.screenshot({ path: 'tmp/inbox-phone.png', fullPage: true })

      await Promise.all([rinaDesk.close(), budiDesk.close(), phone.close(), agentPhone.close()])
    } finally {
      restoreGraph()
      await restoreJobs()
    }
  }).timeout(120_000)
})
