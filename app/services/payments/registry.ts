import type PaymentAccount from '#models/payment_account'
import MidtransSnap, { type MidtransSettings } from '#services/payments/midtrans_snap'
import XenditInvoices, { type XenditSettings } from '#services/payments/xendit_invoices'
import type { PaymentGateway } from '#services/payments/gateway'

/** The client of a tenant's gateway account. */
export function gatewayFor(account: Pick<PaymentAccount, 'provider' | 'settings'>): PaymentGateway {
  switch (account.provider) {
    case 'midtrans':
      return new MidtransSnap(account.settings as MidtransSettings)
    case 'xendit':
      return new XenditInvoices(account.settings as XenditSettings)
  }
}

/** Whether the account holds what making payment links and checking notifications need. */
export function accountReady(account: Pick<PaymentAccount, 'provider' | 'settings'>) {
  const settings = account.settings ?? {}
  return account.provider === 'midtrans'
    ? Boolean(settings.server_key)
    : Boolean(settings.secret_key && settings.callback_token)
}
