import type { Page } from 'playwright'
import { PASSWORD } from '#tests/helpers/world'

/** The test server, as the browser reaches it. */
export const baseUrl = `http://${process.env.HOST}:${process.env.PORT}`

/** Logs `email` in on the staff login page (in Indonesian, the default language). */
export async function logIn(page: Page, email: string) {
  await page.goto(`${baseUrl}/login`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Kata sandi').fill(PASSWORD)
  await page.getByRole('button', { name: 'Masuk' }).click()
}
