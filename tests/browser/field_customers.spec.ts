/// <reference lib="dom" />
import { test } from '@japa/runner'
import Customer from '#models/customer'
import { createFieldWorld, createJob } from '#tests/helpers/field'
import { baseUrl, logIn, overflowOf, PHONE } from '#tests/helpers/browser'

test.group('Field: customers on a 360 px phone', () => {
  test('CS adds a customer, imports a CSV and watches its progress to the end, every page fitting the phone', async ({
    browser,
    assert,
  }) => {
    const world = await createFieldWorld()
    await createJob(world, { title: 'Servis AC dengan judul yang cukup panjang untuk layar kecil' })
    const context = await browser.newContext(PHONE)
    const page = await context.newPage()
    await logIn(page, world.cs.email)
    const fits = async (what: string) => {
      const { scrollWidth, cut } = await overflowOf(page)
      assert.isAtMost(scrollWidth, 360, `${what} is ${scrollWidth} px wide`)
      assert.deepEqual(cut, [], `${what}: cut off`)
    }

    await page.goto(`${baseUrl}/app/field/customers`)
    await fits('the list')
    await page.getByRole('link', { name: 'Pelanggan baru' }).click()
    await fits('the form')
    await page.getByLabel('Nama').fill('Ibu Ratna Sari Dewi')
    await page.getByLabel('Nomor HP').fill('0813 2222 3333')
    await page.getByLabel('Alamat').fill('Perumahan Griya Asri Blok C-12, Jl. Cempaka Putih Raya')
    await page.getByRole('button', { name: 'Simpan pelanggan' }).click()
    await page.getByText('Pelanggan Ibu Ratna Sari Dewi ditambahkan.').waitFor()
    await fits('a new customer')
    assert.equal(
      (await Customer.forTenant(world.tenant).where('name', 'Ibu Ratna Sari Dewi').firstOrFail())
        .phone,
      '+6281322223333'
    )

    await page.goto(`${baseUrl}/app/field/customers/${world.customer.id}`)
    await page.getByTestId('customer-jobs').waitFor()
    await fits("a customer's page with a job")

    await page.goto(`${baseUrl}/app/field/customers`)
    await page.getByRole('link', { name: 'Impor CSV' }).click()
    await fits('the upload page')
    const rows = ['nama;telepon;alamat;catatan']
    for (let index = 0; index < 2000; index++)
      rows.push(
        `Warga Kompleks ${index + 1};0821${String(index).padStart(8, '0')};Jl. Panjang ${index};`
      )
    rows.push(';0821 9999 9999;Tanpa nama;')
    await page.getByLabel('Berkas CSV').setInputFiles({
      name: 'warga.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rows.join('\r\n')),
    })
    await page.getByRole('button', { name: 'Periksa berkas' }).click()
    await page.getByTestId('import-expected').waitFor()
    assert.equal(await page.locator('[data-count="create"]').textContent(), '2000')
    assert.equal(await page.locator('[data-count="errors"]').textContent(), '1')
    await page.getByText('Nama kosong').waitFor()
    await fits('the preview')

    await page.getByRole('button', { name: 'Impor 2000 pelanggan' }).click()
    // The page opens while the rows are still being applied; htmx polls the card every second until done.
    await page.getByTestId('import-progress').waitFor()
    assert.equal(await page.getByTestId('import-progress').getAttribute('data-status'), 'running')
    await page.locator('[data-testid="import-progress"][data-status="done"]').waitFor({
      timeout: 30_000,
    })
    assert.equal(await page.locator('[data-count="created"]').textContent(), '2000')
    await page.getByText('2000 dari 2000 baris diproses').waitFor()
    await fits('the finished import')
    assert.equal(
      Number(
        (await Customer.forTenant(world.tenant).where('source', 'import').count('* as total'))[0]
          .$extras.total
      ),
      2000
    )
    await context.close()
  })
})
