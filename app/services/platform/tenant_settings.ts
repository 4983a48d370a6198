import { inject } from '@adonisjs/core'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import Branch from '#models/branch'
import type Tenant from '#models/tenant'
import type { QueueSettings } from '#models/settings/queue_settings'
import type { Priority } from '#enums/ticket'
import Configuration from '#services/platform/configuration'
import type { Actor } from '#services/platform/audit_trail'
import { IMAGE_TYPES, readUpload } from '#support/uploads'

/** The queue rules as the settings form sends them (validators/queue.ts: queueSettingsValidator). */
export interface QueueRulesForm {
  weights: Record<Priority, number>
  ratio_enabled?: boolean
  ratio_regular?: number
  ratio_priority?: number
  max_wait_minutes: number
  transfer_keeps_place?: boolean
  show_wait_estimate?: boolean
}

/** A branch as the settings forms describe it. */
export interface BranchForm {
  name: string
  slug: string
  timezone: string
  address?: string | null
}

/**
 * The business's own settings (owners): its name, colour and language, its logo, its queue rules,
 * and its branches. Each change is one audited write (Configuration).
 */
@inject()
export default class TenantSettings {
  constructor(protected configuration: Configuration) {}

  async updateIdentity(
    tenant: Tenant,
    form: { tenant_name: string; brand_color: string; locale: string },
    actor: Actor
  ) {
    return this.configuration.update(
      tenant,
      { name: form.tenant_name, brandColor: form.brand_color.toLowerCase(), locale: form.locale },
      { subject: 'tenant', tenantId: tenant.id },
      actor
    )
  }

  /**
   * Priorities, the ratio rule (2 regular : 1 priority unless told), the anti-starvation limit,
   * transfers keeping their place, wait estimates: unticked boxes are off.
   */
  async updateQueueRules(tenant: Tenant, form: QueueRulesForm, actor: Actor) {
    const settings: QueueSettings = {
      priorityWeights: form.weights,
      ratio: form.ratio_enabled
        ? { regular: form.ratio_regular ?? 2, priority: form.ratio_priority ?? 1 }
        : null,
      maxWaitMinutes: form.max_wait_minutes,
      transferKeepsPlace: form.transfer_keeps_place ?? false,
      showWaitEstimate: form.show_wait_estimate ?? false,
    }
    return this.configuration.update(
      tenant,
      { queueSettings: JSON.stringify(settings) },
      { subject: 'tenant', tenantId: tenant.id },
      actor,
      {
        action: 'queue_settings_updated',
      }
    )
  }

  /** The logo shown on visitor, kiosk and display pages: typed by its bytes (PNG, JPEG, WebP only). */
  async replaceLogo(tenant: Tenant, file: MultipartFile, actor: Actor) {
    const { bytes, type } = await readUpload(file, IMAGE_TYPES)
    return this.configuration.update(
      tenant,
      { logoData: bytes.toString('base64'), logoMime: type },
      { subject: 'tenant', tenantId: tenant.id },
      actor,
      {
        action: 'logo_updated',
      }
    )
  }

  async removeLogo(tenant: Tenant, actor: Actor) {
    return this.configuration.update(
      tenant,
      { logoData: null, logoMime: null },
      { subject: 'tenant', tenantId: tenant.id },
      actor,
      {
        action: 'logo_removed',
      }
    )
  }

  async updateBranch(branch: Branch, form: BranchForm, actor: Actor) {
    return this.configuration.update(
      branch,
      { name: form.name, slug: form.slug, timezone: form.timezone, address: form.address ?? null },
      { subject: 'branch', tenantId: branch.tenantId, branchId: branch.id },
      actor
    )
  }

  async openBranch(tenant: Tenant, form: BranchForm, actor: Actor) {
    return this.configuration.create(
      Branch,
      {
        tenantId: tenant.id,
        name: form.name,
        slug: form.slug,
        timezone: form.timezone,
        address: form.address ?? null,
      },
      { subject: 'branch', tenantId: tenant.id },
      actor
    )
  }
}
