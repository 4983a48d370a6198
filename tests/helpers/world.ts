import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import Tenant from '#models/tenant'
import Branch from '#models/branch'
import Service from '#models/service'
import Counter from '#models/counter'
import User from '#models/user'
import Device from '#models/device'
import db from '@adonisjs/lucid/services/db'
import type { Group } from '@japa/runner/core'
import clock from '#support/clock'

export const PASSWORD = 'secret-pass-123'

/**
 * Today at noon in Jakarta (the test worlds' time zone): tests that move the clock by minutes
 * start from here, so that they never straddle the branch's midnight, when numbering restarts.
 */
export function midday() {
  return DateTime.now()
    .setZone('Asia/Jakarta')
    .set({ hour: 12, minute: 0, second: 0, millisecond: 0 })
}

/** Starts each test of `group` with the clock at midday(), and puts the clock back after it. */
export function middayEachTest(group: Group) {
  group.each.setup(() => clock.travelTo(midday()))
  group.each.teardown(() => clock.reset())
}

export interface WorldOptions {
  services?: number
  counters?: number
  timezone?: string
  locale?: string
}

/**
 * A fresh tenant of its own for one test: a branch, services A, B, C..., counters "Loket 1..n"
 * each serving every service, an owner, an admin, two operators and a TV display.
 * Tests never share rows, so they need no truncation between them.
 */
export async function createWorld(options: WorldOptions = {}) {
  const key = randomUUID().slice(0, 8)
  const tenant = await Tenant.create({
    name: `Klinik ${key}`,
    slug: `t-${key}`,
    locale: options.locale ?? 'id',
    brandColor: '#0f766e',
    isActive: true,
  })
  const branch = await Branch.create({
    tenantId: tenant.id,
    name: `Cabang ${key}`,
    slug: `b-${key}`,
    timezone: options.timezone ?? 'Asia/Jakarta',
  })

  const services: Service[] = []
  for (let index = 0; index < (options.services ?? 2); index++) {
    services.push(
      await Service.create({
        tenantId: tenant.id,
        branchId: branch.id,
        code:
          String.fromCharCode(65 + (index % 26)) +
          (index >= 26 ? String.fromCharCode(65 + Math.floor(index / 26)) : ''),
        name: `Layanan ${index + 1}`,
        position: index + 1,
        isActive: true,
      })
    )
  }

  const counters: Counter[] = []
  for (let index = 0; index < (options.counters ?? 2); index++) {
    const counter = await Counter.create({
      tenantId: tenant.id,
      branchId: branch.id,
      name: `Loket ${index + 1}`,
      position: index + 1,
      isActive: true,
    })
    if (services.length) {
      await db.table('counter_services').multiInsert(
        services.map((service, rank) => ({
          tenant_id: tenant.id,
          counter_id: counter.id,
          service_id: service.id,
          rank: rank + 1,
        }))
      )
    }
    counters.push(counter)
  }

  const user = (role: User['role'], name: string) =>
    User.create({
      tenantId: tenant.id,
      branchId: null,
      fullName: `${name} ${key}`,
      email: `${name.toLowerCase()}-${key}@test.loket`,
      password: PASSWORD,
      role,
      isActive: true,
    })
  const owner = await user('owner', 'Owner')
  const admin = await user('admin', 'Admin')
  const operator = await user('operator', 'Operator')
  const operator2 = await user('operator', 'Operator2')
  const display = await Device.create({
    tenantId: tenant.id,
    branchId: branch.id,
    kind: 'display',
    name: 'TV',
    token: `tv-${key}`,
  })

  return { tenant, branch, services, counters, owner, admin, operator, operator2, display, key }
}

export type World = Awaited<ReturnType<typeof createWorld>>

/** Seats `operator` at `counter` (what the console's counter picker does). */
export async function seat(counter: Counter, operator: User) {
  await db.from('counters').where('operator_id', operator.id).update({ operator_id: null })
  counter.operatorId = operator.id
  await counter.save()
  return counter
}
