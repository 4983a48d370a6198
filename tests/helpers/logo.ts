import type { TestContext } from '@japa/runner/core'
import type Tenant from '#models/tenant'

/** Asserts the tenant's uploaded logo is stored as a PNG and served as one; returns the logo response. */
export async function logoServedAsPng(
  { client, assert }: Pick<TestContext, 'client' | 'assert'>,
  tenant: Tenant
) {
  await tenant.refresh()
  assert.equal(tenant.logoMime, 'image/png')
  const logo = await client.get(`/brand/${tenant.slug}/logo`)
  logo.assertStatus(200)
  assert.equal(logo.header('content-type'), 'image/png')
  return logo
}
