import { createHmac } from 'node:crypto'
import { DateTime } from 'luxon'
import Outlet from '#models/outlet'
import PosSource from '#models/pos_source'
import User from '#models/user'
import db from '@adonisjs/lucid/services/db'
import { PASSWORD } from '#tests/helpers/world'
import { createInboxWorld } from '#tests/helpers/inbox'
import type { RenewalSettings } from '#models/settings/renewal_settings'

/**
 * An inbox world (a WhatsApp channel, agents, a supervisor) with the renewal team (`renewal`) and
 * a webhook secret for its POS.
 */
export async function createRenewalWorld() {
  const world = await createInboxWorld()
  const renewal = await User.create({
    tenantId: world.tenant.id,
    branchId: null,
    fullName: `Rani ${world.key}`,
    email: `rani-${world.key}@test.loket`,
    password: PASSWORD,
    role: 'renewal',
    isActive: true,
  })
  const posSecret = `pos-secret-${world.key}`
  await PosSource.create({
    tenantId: world.tenant.id,
    secrets: { webhook_secret: posSecret },
    pageParam: 'page',
    timeoutSeconds: 30,
    isEnabled: false,
  })
  return { ...world, renewal, posSecret }
}
export type RenewalWorld = Awaited<ReturnType<typeof createRenewalWorld>>

/** The tenant's renewal settings (the rest default). */
export async function setRenewalSettings(
  world: { tenant: { id: number } },
  settings: Partial<RenewalSettings>
) {
  await db
    .from('tenants')
    .where('id', world.tenant.id)
    .update({ renewal_settings: JSON.stringify(settings) })
}

/** A phone number no other test uses, E.164 (+62813…). */
export function freshE164() {
  return `+62813${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`
}

/** Local day `days` from today in Jakarta. */
export function jakartaDay(days = 0, from: DateTime = DateTime.now()) {
  return from.setZone('Asia/Jakarta').plus({ days }).toISODate()!
}

let sequence = 0

/** An outlet of the world's tenant expiring on `expiresOn`, with a phone of its own unless told. */
export function makeOutlet(
  world: { tenant: { id: number } },
  expiresOn: string,
  fields: Partial<Outlet['$attributes']> = {}
) {
  sequence++
  return Outlet.create({
    tenantId: world.tenant.id,
    fid: `F${sequence}`,
    oid: `O${sequence}`,
    name: `Kopi ${sequence}`,
    address: null,
    phone: freshE164(),
    expiresOn,
    status: 'active',
    ...fields,
  })
}

/** POSTs `payload` to the tenant's POS webhook, signed with `secret` (or a given signature). */
export function posPush(
  world: { tenant: { slug: string } },
  secret: string,
  payload: unknown,
  options: { signature?: string } = {}
) {
  const body = JSON.stringify(payload)
  const signature =
    options.signature ?? `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
  return fetch(`http://${process.env.HOST}:${process.env.PORT}/webhooks/pos/${world.tenant.slug}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-loket-signature': signature },
    body,
  })
}
