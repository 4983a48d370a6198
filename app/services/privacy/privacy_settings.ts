import { BlockList, isIP } from 'node:net'
import db from '@adonisjs/lucid/services/db'
import { inject } from '@adonisjs/core'
import type Tenant from '#models/tenant'
import DomainError from '#exceptions/domain_error'
import AuditTrail, { type Actor } from '#services/platform/audit_trail'
import { withTransaction } from '#support/database'
import { RETENTION_KINDS, type RetentionKind } from '#services/privacy/personal_data_map'

/** A tenant's privacy settings (tenants.privacy_settings, JSON). */
export interface PrivacySettings {
  /** Days personal data of each kind is kept before the nightly job anonymizes it; null: kept. */
  retention: Record<RetentionKind, number | null>
  /** CIDRs (or single addresses) staff pages answer from; empty: anywhere. */
  ipAllowList: string[]
}

/** The shortest retention a tenant may set (a month: a complaint or a refund still finds its data). */
export const MIN_RETENTION_DAYS = 30
export const MAX_RETENTION_DAYS = 3650
export const MAX_ALLOW_LIST = 50

export function defaultPrivacySettings(): PrivacySettings {
  return {
    retention: Object.fromEntries(RETENTION_KINDS.map((kind) => [kind, null])) as Record<
      RetentionKind,
      number | null
    >,
    ipAllowList: [],
  }
}

/** The settings from their JSON, with defaults for whatever is missing or not valid. */
export function parsePrivacySettings(json: string | null | undefined): PrivacySettings {
  const settings = defaultPrivacySettings()
  let raw: any = null
  try {
    raw = json ? JSON.parse(json) : null
  } catch {
    raw = null
  }
  if (!raw || typeof raw !== 'object') return settings
  for (const kind of RETENTION_KINDS) {
    const days = Number(raw.retention?.[kind])
    if (Number.isInteger(days) && days >= MIN_RETENTION_DAYS && days <= MAX_RETENTION_DAYS)
      settings.retention[kind] = days
  }
  if (Array.isArray(raw.ipAllowList))
    settings.ipAllowList = raw.ipAllowList
      .filter((entry: unknown) => typeof entry === 'string' && parseCidr(entry))
      .slice(0, MAX_ALLOW_LIST)
  return settings
}

interface Cidr {
  address: string
  prefix: number
  family: 'ipv4' | 'ipv6'
}

/** An address without its IPv4-in-IPv6 wrapping (`::ffff:10.0.0.1` is 10.0.0.1). */
export function plainAddress(ip: string) {
  const text = ip.trim()
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text)
  return mapped ? mapped[1] : text
}

/** `10.0.0.0/8`, `203.0.113.7` (one address), `2001:db8::/32`; null when not one of these. */
export function parseCidr(entry: string): Cidr | null {
  const [address, bits, extra] = entry.trim().split('/')
  if (extra !== undefined || !address) return null
  const plain = plainAddress(address)
  const version = isIP(plain)
  if (version === 0) return null
  const max = version === 4 ? 32 : 128
  const prefix = bits === undefined ? max : Number(bits)
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) return null
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null
  return { address: plain, prefix, family: version === 4 ? 'ipv4' : 'ipv6' }
}

/** The list typed in the form (one per line, or separated by commas) and the entries that are not CIDRs. */
export function parseAllowList(text: string) {
  const entries = String(text ?? '')
    .split(/[\s,;]+/)
    .map((entry) => entry.trim())
    .filter(Boolean)
  const valid: string[] = []
  const invalid: string[] = []
  for (const entry of entries) {
    const cidr = parseCidr(entry)
    if (!cidr) invalid.push(entry)
    else {
      const normal = `${cidr.address}/${cidr.prefix}`
      if (!valid.includes(normal)) valid.push(normal)
    }
  }
  return { valid, invalid }
}

/** Whether `ip` is within one of the list's CIDRs (an empty list allows everyone). */
export function ipAllowed(list: string[], ip: string | null | undefined) {
  if (list.length === 0) return true
  if (!ip) return false
  const address = plainAddress(ip)
  const version = isIP(address)
  if (version === 0) return false
  const blocks = new BlockList()
  for (const entry of list) {
    const cidr = parseCidr(entry)
    if (cidr) blocks.addSubnet(cidr.address, cidr.prefix, cidr.family)
  }
  return blocks.check(address, version === 4 ? 'ipv4' : 'ipv6')
}

/** The tenant's settings: from the row the request already loaded, or read. */
export async function privacySettingsOf(tenant: Tenant | number) {
  if (typeof tenant !== 'number' && 'privacy_settings' in tenant.$extras)
    return parsePrivacySettings(tenant.$extras.privacy_settings as string | null)
  const id = typeof tenant === 'number' ? tenant : tenant.id
  const row = await db.from('tenants').where('id', id).select('privacy_settings').first()
  return parsePrivacySettings(row?.privacy_settings ?? null)
}

/** Saving the privacy page: retention per kind and the staff pages' IP allow-list. */
@inject()
export default class PrivacySettingsStore {
  constructor(protected auditTrail: AuditTrail) {}

  /**
   * Saves the settings, audited with what changed. A list that leaves out the address of the
   * admin saving it is refused (422): they would lock themselves out.
   */
  async save(tenantId: number, next: PrivacySettings, actor: Actor) {
    if (!ipAllowed(next.ipAllowList, actor.ip ?? null))
      throw new DomainError('privacy_ip_lockout', { ip: actor.ip ?? '?' }, 422)
    await withTransaction(async (trx) => {
      const row = await trx
        .from('tenants')
        .where('id', tenantId)
        .select('privacy_settings')
        .firstOrFail()
      const before = parsePrivacySettings(row.privacy_settings)
      const changes: Record<string, unknown> = {}
      for (const kind of RETENTION_KINDS)
        if (before.retention[kind] !== next.retention[kind])
          changes[`retention_${kind}`] = [before.retention[kind], next.retention[kind]]
      if (before.ipAllowList.join(',') !== next.ipAllowList.join(','))
        changes.ip_allow_list = [before.ipAllowList.join(', '), next.ipAllowList.join(', ')]
      if (Object.keys(changes).length === 0) return
      await trx
        .from('tenants')
        .where('id', tenantId)
        .update({ privacy_settings: JSON.stringify(next) })
      await this.auditTrail.record(
        {
          action: 'tenant.privacy_settings_updated',
          tenantId,
          subject: { type: 'tenant', id: tenantId },
          changes,
        },
        actor,
        trx
      )
    })
  }
}
