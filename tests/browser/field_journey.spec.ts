/// <reference lib="dom" />
import { test } from '@japa/runner'
import type { BrowserContext } from 'playwright'
import Job from '#models/job'
import Attendance from '#models/attendance'
import { createFieldWorld } from '#tests/helpers/field'
import { baseUrl, logIn } from '#tests/helpers/browser'

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }

/** A page of `context` that accepts the confirmations it asks for ("Mark your part done?"). */
async function pageOf(context: BrowserContext) {
  const page = await context.newPage()
  page.on('dialog', (dialog) => dialog.accept())
  return page
}

test.group('Field service journey in a real browser', () => {
  test('CS opens a 2-place job; two technicians on phones claim it, a third is refused; they check in, one asks for more days, CS approves, both finish', async ({
    browser,
    assert,
  }) => {
    const world = await createFieldWorld()
    const [first, second, third] = world.technicians

    // CS, at a desk: a new visit for two technicians.
    const desk = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const cs = await pageOf(desk)
    await logIn(cs, world.cs.email)
    await cs.waitForURL(`${baseUrl}/app/field/jobs`)
    await cs.getByRole('link', { name: 'Kunjungan baru' }).click()
    await cs.getByLabel('Pelanggan').selectOption(String(world.customer.id))
    await cs.getByLabel('Pekerjaan').fill('Servis AC ruang rapat')
    await cs.getByLabel('Jumlah teknisi').fill('2')
    await cs.getByRole('button', { name: 'Buat kunjungan' }).click()
    await cs.getByText('0 dari 2 teknisi').waitFor()
    const job = await Job.query().where('tenant_id', world.tenant.id).firstOrFail()

    // Three technicians on phones see it in the pool.
    const phones = await Promise.all(
      [first, second, third].map(async (technician) => {
        const context = await browser.newContext(PHONE)
        const page = await pageOf(context)
        await logIn(page, technician.email)
        await page.waitForURL(`${baseUrl}/app/field/pool`)
        await page.locator(`[data-job="${job.code}"]`).waitFor()
        return { context, page }
      })
    )
    const [one, two, late] = phones.map(({ page }) => page)
    // The third phone's pool stops refreshing (a weak signal): it still shows the job when they tap.
    await late.evaluate(() =>
      document.body.addEventListener('htmx:beforeRequest', (event) => event.preventDefault())
    )
    await one.locator(`[data-job="${job.code}"]`).getByRole('button', { name: 'Ambil' }).click()
    await one.getByText(`Anda mengambil ${job.code}.`).waitFor()
    // The second phone's pool refreshes to one place left before they tap (a tap while the list is
    // being replaced would land on the old button).
    await two.locator(`[data-job="${job.code}"]`).getByText('1 dari 2 tempat tersisa').waitFor()
    await two.locator(`[data-job="${job.code}"]`).getByRole('button', { name: 'Ambil' }).click()
    await two.getByText(`Anda mengambil ${job.code}.`).waitFor()
    await late.locator(`[data-job="${job.code}"]`).getByRole('button', { name: 'Ambil' }).click()
    await late.getByText('semua tempat di pekerjaan ini baru saja diambil').waitFor()
    assert.equal((await Job.findOrFail(job.id)).status, 'assigned')

    // Both check in, then start.
    for (const page of [one, two]) {
      await page.goto(`${baseUrl}/app/field/attendance/me`)
      await page.getByRole('button', { name: 'Check-in' }).click()
      await page
        .getByText(/Check-in (tercatat|pukul)/)
        .first()
        .waitFor()
      await page.goto(`${baseUrl}/app/field/jobs/${job.id}`)
      await page.getByRole('button', { name: 'Mulai kerja' }).click()
      await page.getByText(`${job.code} dimulai`).waitFor()
    }
    assert.equal(
      await Attendance.query()
        .where('tenant_id', world.tenant.id)
        .count('* as n')
        .then((rows) => Number(rows[0].$extras.n)),
      2
    )

    // The first asks for two more days.
    await one.getByText('Minta tambah hari').click()
    await one.getByLabel('Tambah berapa hari').fill('2')
    await one.getByLabel('Alasan', { exact: true }).fill('Kompresor harus diganti')
    await one.getByRole('button', { name: 'Kirim permintaan' }).click()
    await one.getByText('terkirim ke CS').waitFor()

    // CS sees the request waiting and approves it on the job's page.
    await cs.goto(`${baseUrl}/app/field/jobs`)
    await cs.getByText('1 permintaan tambah hari menunggu').waitFor()
    await cs.goto(`${baseUrl}/app/field/jobs/${job.id}`)
    await cs.getByRole('button', { name: 'Setujui' }).click()
    await cs.getByText(`Tambah hari untuk ${job.code} disetujui.`).waitFor()
    const extended = await Job.findOrFail(job.id)
    assert.notEqual(extended.plannedEnd, extended.plannedStart)

    // Both mark their part done: the job is done.
    await one.reload()
    await one.getByRole('button', { name: 'Bagian saya selesai' }).click()
    await one.getByText(`Bagian Anda di ${job.code} selesai.`).waitFor()
    await two.reload()
    await two.getByRole('button', { name: 'Bagian saya selesai' }).click()
    await two.getByText(`Kunjungan ${job.code} selesai.`).waitFor()
    assert.equal((await Job.findOrFail(job.id)).status, 'done')

    // The technician's pages fit a 360 px phone.
    for (const path of [
      '/app/field/pool',
      '/app/field/my-jobs',
      `/app/field/jobs/${job.id}`,
      '/app/field/attendance/me',
    ]) {
      await two.goto(`${baseUrl}${path}`)
      const width = await two.evaluate(() => document.documentElement.scrollWidth)
      assert.isAtMost(width, 360, path)
    }
    await two.goto(`${baseUrl}/app/field/jobs/${job.id}`)
    await two.screenshot({ path: 'tmp/field-job-phone.png', fullPage: true })
    await desk.close()
    for (const { context } of phones) await context.close()
  }).timeout(120_000)
})
