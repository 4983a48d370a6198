/// <reference lib="dom" />
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

/** A 360 px touch phone, as a browser context's options. */
export const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }

/** What sticks out of a 360 px screen on the current page: a sideways scroll, or controls cut off. */
export async function overflowOf(page: Page) {
  return page.evaluate(() => {
    const width = window.innerWidth
    const cut = Array.from(document.querySelectorAll('button, a, summary, input, select, textarea'))
      .filter((element) => {
        const rect = element.getBoundingClientRect()
        if (rect.width === 0 || rect.height === 0) return false
        for (let parent = element.parentElement; parent; parent = parent.parentElement) {
          if (['auto', 'scroll'].includes(getComputedStyle(parent).overflowX)) return false
        }
        return rect.left < -1 || rect.right > width + 1
      })
      .map((element) => (element.textContent ?? '').trim().slice(0, 30) || element.tagName)
    return { scrollWidth: document.documentElement.scrollWidth, cut }
  })
}
