/// <reference lib="dom" />
import { fileURLToPath } from 'node:url'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import Invoice from '#models/invoice'
import Rating from '#models/rating'
import JobService from '#services/field/job_service'
import { createFieldWorld, createJob } from '#tests/helpers/field'
import { messageVisitors } from '#tests/helpers/outbox'
import { PHONE, baseUrl, logIn, overflowOf } from '#tests/helpers/browser'

const jobs = await app.container.make(JobService)
const slip = fileURLToPath(new URL('../../public/icons/icon-192.png', import.meta.url))

test.group('Invoice and rating journey in a real browser', () => {
  test('a job is done; CS bills it, sales approves, the customer opens the invoice on a phone, CS records the payment, the customer gives 5 stars and the dashboard shows it', async ({
    browser,
    assert,
  }) => {
    const world = await createFieldWorld()
    await messageVisitors(world)
    const job = await createJob(world, { quota: 1, title: 'Servis AC kantor' })
    const technician = world.technicians[0]
    await jobs.claim(job.id, world.tenant.id, technician)
    await jobs.start(job.id, world.tenant.id, technician, { by: technician })
    await jobs.finish(job.id, world.tenant.id, technician, { by: technician })

    // CS bills the done job from its page: the line comes from the job, CS prices it.
    const desk = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const cs = await desk.newPage()
    await logIn(cs, world.cs.email)
    await cs.goto(`${baseUrl}/app/field/jobs/${job.id}`)
    await cs.getByTestId('bill-job').click()
    assert.include(await cs.locator('#line-0-description').inputValue(), job.code)
    await cs.locator('#line-0-price').fill('250.000')
    await cs.getByRole('button', { name: 'Simpan draf' }).click()
    await cs.getByText('Draf tersimpan.').waitFor()
    await cs.getByRole('button', { name: 'Ajukan ke sales' }).click()
    await cs.getByText('Menunggu sales menyetujui harga.').waitFor()
    const invoice = await Invoice.query().where('tenant_id', world.tenant.id).firstOrFail()
    assert.equal(invoice.sourceType, 'job')
    assert.equal(invoice.status, 'pending_approval')

    // Sales approves the price: the invoice gets its number.
    const office = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const sales = await office.newPage()
    await logIn(sales, world.sales.email)
    await sales.goto(`${baseUrl}/app/invoices/${invoice.id}`)
    await sales.getByRole('button', { name: /^Setujui/ }).click()
    await invoice.refresh()
    await sales.getByText(`Invoice ${invoice.number} disetujui.`).waitFor()
    assert.match(invoice.number!, /^INV\/\d{4}\/\d{2}\/0001$/)

    // The customer opens the invoice link on a phone.
    const phone = await browser.newContext(PHONE)
    const customer = await phone.newPage()
    await customer.goto(`${baseUrl}/i/${invoice.token}`)
    await customer.getByText(invoice.number!).first().waitFor()
    assert.include(
      (await customer.getByTestId('invoice-total').textContent())!.replace(/\s/g, ' '),
      '277.500'
    )
    assert.deepEqual(await overflowOf(customer), { scrollWidth: 360, cut: [] })
    await customer.screenshot({ path: 'tmp/invoice-phone.png', fullPage: true })

    // CS records the transfer with its slip.
    await cs.reload()
    await cs.getByText('Catat pembayaran').click()
    await cs.getByLabel('Cara bayar').selectOption('transfer')
    await cs.getByLabel('Bukti (foto atau PDF)').setInputFiles(slip)
    await cs.getByRole('button', { name: 'Tandai lunas' }).click()
    await cs.getByText(`Invoice ${invoice.number} lunas.`).waitFor()
    await customer.reload()
    await customer.getByTestId('paid-note').waitFor()

    // The customer rates the visit: five stars, a word of thanks.
    const rating = await Rating.query()
      .where('subject_type', 'job')
      .where('subject_id', String(job.id))
      .firstOrFail()
    await customer.goto(`${baseUrl}/r/${rating.token}`)
    assert.deepEqual(await overflowOf(customer), { scrollWidth: 360, cut: [] })
    const star = customer.locator('label[for="score-5"]')
    const box = (await star.boundingBox())!
    assert.isAtLeast(Math.min(box.width, box.height), 44, 'a star is a thumb-sized target')
    await star.tap()
    await customer.getByLabel('Ada yang ingin disampaikan? (boleh kosong)').fill('Teknisinya rapi')
    await customer.getByRole('button', { name: 'Kirim penilaian' }).click()
    await customer.getByText('Terima kasih atas penilaian Anda!').waitFor()
    await customer.screenshot({ path: 'tmp/rating-phone.png', fullPage: true })
    assert.equal((await Rating.findOrFail(rating.id)).score, 5)

    // The owner's dashboard shows the answer and the technician's average.
    const back = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const owner = await back.newPage()
    await logIn(owner, world.owner.email)
    await owner.goto(`${baseUrl}/app/ratings`)
    await owner.getByText('Teknisinya rapi').waitFor()
    await owner.getByTestId('ratings-staff').getByText(technician.fullName).waitFor()
    await owner.screenshot({ path: 'tmp/ratings-dashboard.png', fullPage: true })

    await Promise.all([desk.close(), office.close(), phone.close(), back.close()])
  }).timeout(120_000)
})
