import type User from '#models/user'
import BasePolicy from '#policies/base_policy'

/** Messaging (channels, templates, the outbox) and outgoing webhooks are tenant-wide settings. */
export default class MessagingPolicy extends BasePolicy {
  /** Owners and admins not limited to one branch manage them. */
  manage(user: User) {
    return this.isAdmin(user) && user.tenantId !== null && user.branchId === null
  }
}
