import Branch from '#models/branch'
import Service from '#models/service'
import Tenant from '#models/tenant'
import MessageTemplate from '#models/message_template'
import MessagingChannel from '#models/messaging_channel'
import WebhookEndpoint from '#models/webhook_endpoint'
import branchDirectory from '#services/platform/branch_directory'
import messagingDirectory from '#services/messaging/messaging_directory'

/**
 * Each server caches what its hot paths read again and again: a branch with its tenant and
 * services (BranchDirectory, for visitor pages and the queue engine) and a tenant's messaging
 * setup (MessagingDirectory, for the outbox). A row saved or deleted through its model makes this
 * server forget the cached entry at once (other servers within their cache's few seconds).
 * Registered once at boot (providers/app_provider.ts), so that models import no service.
 */
export function forgetCachesOnChange() {
  const forgetBranch = (branch: Branch) => branchDirectory.forget({ branchId: branch.id })
  const forgetService = (service: Service) => branchDirectory.forget({ branchId: service.branchId })
  const forgetTenant = (tenant: Tenant) => {
    branchDirectory.forget({ tenantId: tenant.id })
    messagingDirectory.forget(tenant.id)
  }
  const forgetMessaging = (record: { tenantId: number }) =>
    messagingDirectory.forget(record.tenantId)

  for (const event of ['save', 'delete'] as const) {
    Branch.after(event, forgetBranch)
    Service.after(event, forgetService)
    Tenant.after(event, forgetTenant)
    MessageTemplate.after(event, forgetMessaging)
    MessagingChannel.after(event, forgetMessaging)
    WebhookEndpoint.after(event, forgetMessaging)
  }
}
