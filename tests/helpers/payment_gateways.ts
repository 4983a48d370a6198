import env from '#start/env'
import clock from '#support/clock'
import { FakeMidtransSnap } from '#tests/fakes/midtrans_snap'
import { FakeXenditInvoices } from '#tests/fakes/xendit_invoices'
import type { PaymentProvider } from '#enums/booking'

/** The local Midtrans and Xendit a test group talks to (see setupFakes). */
export const snap = new FakeMidtransSnap()
export const xendit = new FakeXenditInvoices()

/** Where a gateway sends its notifications for the tenant `slug`, on the server under test. */
export function notificationUrl(provider: PaymentProvider, slug: string) {
  return `http://${process.env.HOST}:${process.env.PORT}/webhooks/payments/${provider}/${slug}`
}

/**
 * Starts both fake gateways for the group and points Loket's gateway URLs at them (put back after);
 * each test starts with empty fakes and the real clock.
 */
export function setupFakes(group: {
  setup: (handler: () => Promise<() => Promise<void>>) => void
  each: { setup: (handler: () => void) => void; teardown: (handler: () => void) => void }
}) {
  const previous = {
    midtrans: env.get('MIDTRANS_SNAP_URL'),
    midtransApi: env.get('MIDTRANS_API_URL'),
    xendit: env.get('XENDIT_API_URL'),
  }
  group.setup(async () => {
    await Promise.all([snap.start(), xendit.start()])
    env.set('MIDTRANS_SNAP_URL', snap.url)
    env.set('MIDTRANS_API_URL', snap.url)
    env.set('XENDIT_API_URL', xendit.url)
    return async () => {
      env.set('MIDTRANS_SNAP_URL', previous.midtrans ?? '')
      env.set('MIDTRANS_API_URL', previous.midtransApi ?? '')
      env.set('XENDIT_API_URL', previous.xendit ?? '')
      await Promise.all([snap.stop(), xendit.stop()])
    }
  })
  group.each.setup(() => {
    snap.reset()
    xendit.reset()
  })
  group.each.teardown(() => clock.reset())
}
