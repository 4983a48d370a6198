import Tenant from '#models/tenant'
import Branch from '#models/branch'
import Service from '#models/service'
import Counter from '#models/counter'
import User from '#models/user'
import Device from '#models/device'
import Resource from '#models/resource'
import ResourceSchedule from '#models/resource_schedule'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/** Demo accounts share this password; the README lists them. */
export const DEMO_PASSWORD = 'loket-demo'

/** The demo tenant a fresh clone starts with (`npm start`). */
export default class DemoData {
  static TENANT_SLUG = 'sehat-sentosa'

  /** The demo photo booth business (seed 002): bookings of booth sessions. */
  static BOOTH_SLUG = 'fotobox-ceria'

  /** The clinic's TV display and kiosk: their links are `/display/demo-tv` and `/kiosk/demo-kiosk`. */
  static TV_TOKEN = 'demo-tv'
  static KIOSK_TOKEN = 'demo-kiosk'

  /**
   * The demo's accounts (password DEMO_PASSWORD), as create() and createBooths() make them; the
   * first `npm start` prints them (app/support/start_banner.ts).
   */
  static CLINIC_STAFF = [
    { fullName: 'Dewi Lestari', email: 'owner@sehat.test', role: 'owner' as const },
    { fullName: 'Budi Santoso', email: 'operator1@sehat.test', role: 'operator' as const },
    { fullName: 'Siti Rahma', email: 'operator2@sehat.test', role: 'operator' as const },
    { fullName: 'Agus Wijaya', email: 'supervisor@sehat.test', role: 'supervisor' as const },
  ]
  static BOOTH_STAFF = [
    { fullName: 'Maya Putri', email: 'owner@fotobox.test', role: 'owner' as const },
    { fullName: 'Rizky Pratama', email: 'operator@fotobox.test', role: 'operator' as const },
  ]
  static PLATFORM_ADMIN = {
    fullName: 'Loket Platform',
    email: 'platform@loket.test',
    role: 'super_admin' as const,
  }

  static async create() {
    return db.transaction(async (trx) => {
      const client = { client: trx }
      const tenant = await Tenant.create(
        {
          name: 'Klinik Sehat Sentosa',
          slug: this.TENANT_SLUG,
          locale: 'id',
          brandColor: '#0f766e',
          isActive: true,
          // The demo "sends" visitors' messages to the server log: they show in Admin -> Messages.
          messagingSettings: JSON.stringify({ visitorChannel: 'log' }),
        },
        client
      )
      const branch = await Branch.create(
        {
          tenantId: tenant.id,
          name: 'Cabang Bandung',
          slug: 'sehat-sentosa',
          timezone: 'Asia/Jakarta',
          address: 'Jl. Merdeka No. 10, Bandung',
        },
        client
      )
      const [umum, gigi, farmasi] = await Service.createMany(
        [
          {
            code: 'A',
            name: 'Poli Umum',
            nameEn: 'General practice',
            nameMs: 'Klinik am',
            description: 'Pemeriksaan dokter umum',
            position: 1,
            slaMinutes: 20,
          },
          {
            code: 'B',
            name: 'Poli Gigi',
            nameEn: 'Dental clinic',
            nameMs: 'Klinik gigi',
            description: 'Pemeriksaan dan perawatan gigi',
            position: 2,
            slaMinutes: 30,
            // Booked ahead at /book/sehat-sentosa; an arriving patient gets an appointment ticket.
            isBookable: true,
            durationMinutes: 30,
            price: 15_000_000,
          },
          {
            code: 'C',
            name: 'Farmasi',
            nameEn: 'Pharmacy',
            nameMs: 'Farmasi',
            description: 'Pengambilan obat',
            position: 3,
            slaMinutes: 10,
          },
        ].map((service) => ({
          ...service,
          tenantId: tenant.id,
          branchId: branch.id,
          isActive: true,
        })),
        client
      )
      const [loket1, loket2] = await Counter.createMany(
        [
          { name: 'Loket 1', position: 1 },
          { name: 'Loket 2', position: 2 },
        ].map((counter) => ({
          ...counter,
          tenantId: tenant.id,
          branchId: branch.id,
          isActive: true,
        })),
        client
      )
      await trx.table('counter_services').multiInsert([
        { tenant_id: tenant.id, counter_id: loket1.id, service_id: umum.id, rank: 1 },
        { tenant_id: tenant.id, counter_id: loket1.id, service_id: gigi.id, rank: 2 },
        { tenant_id: tenant.id, counter_id: loket2.id, service_id: farmasi.id, rank: 1 },
        { tenant_id: tenant.id, counter_id: loket2.id, service_id: umum.id, rank: 2 },
      ])
      await User.createMany(
        this.CLINIC_STAFF.map((user) => ({
          ...user,
          tenantId: tenant.id,
          branchId: null,
          password: DEMO_PASSWORD,
          isActive: true,
        })),
        client
      )
      await Device.createMany(
        [
          {
            tenantId: tenant.id,
            branchId: branch.id,
            kind: 'display',
            name: 'TV ruang tunggu',
            token: this.TV_TOKEN,
          },
          {
            tenantId: tenant.id,
            branchId: branch.id,
            kind: 'kiosk',
            name: 'Kios pintu masuk',
            token: this.KIOSK_TOKEN,
            paperWidth: 80,
          },
        ],
        client
      )
      await this.#resource(
        trx,
        tenant.id,
        branch.id,
        {
          kind: 'doctor',
          name: 'drg. Rina Wulandari',
          opensAt: '08:00',
          closesAt: '16:00',
          weekdays: [1, 2, 3, 4, 5, 6],
        },
        [gigi.id]
      )
      const platform = this.PLATFORM_ADMIN
      if (!(await User.query({ client: trx }).where('email', platform.email).first())) {
        await User.create(
          {
            ...platform,
            tenantId: null,
            branchId: null,
            password: DEMO_PASSWORD,
            isActive: true,
          },
          client
        )
      }
      return { tenant, branch }
    })
  }

  /**
   * "Fotobox Ceria" (branch `fotobox-ceria`): three photo booths open every day 10:00-21:00,
   * 15-minute sessions booked at /book/fotobox-ceria and started by staff (no queue), an owner
   * and an operator.
   */
  static async createBooths() {
    return db.transaction(async (trx) => {
      const client = { client: trx }
      const tenant = await Tenant.create(
        {
          name: 'Fotobox Ceria',
          slug: this.BOOTH_SLUG,
          locale: 'id',
          brandColor: '#be185d',
          isActive: true,
          messagingSettings: JSON.stringify({ visitorChannel: 'log' }),
          bookingSettings: JSON.stringify({
            sessionDurationMinutes: 15,
            arrivalToleranceMinutes: 15,
            slotMinutes: 15,
            blending: { mode: 'none', autoMinutesBefore: 15 },
          }),
        },
        client
      )
      const branch = await Branch.create(
        {
          tenantId: tenant.id,
          name: 'Mall Kota Kasablanka',
          slug: this.BOOTH_SLUG,
          timezone: 'Asia/Jakarta',
          address: 'Lantai 2, dekat eskalator',
        },
        client
      )
      const session = await Service.create(
        {
          tenantId: tenant.id,
          branchId: branch.id,
          code: 'F',
          name: 'Sesi foto 15 menit',
          nameEn: '15-minute photo session',
          nameMs: 'Sesi foto 15 minit',
          description: 'Cetak 2 lembar + file digital',
          position: 1,
          isActive: true,
          isBookable: true,
          durationMinutes: 15,
          price: 3_500_000,
        },
        client
      )
      for (const name of ['Booth 1', 'Booth 2', 'Booth 3']) {
        await this.#resource(
          trx,
          tenant.id,
          branch.id,
          {
            kind: 'booth',
            name,
            opensAt: '10:00',
            closesAt: '21:00',
            weekdays: [0, 1, 2, 3, 4, 5, 6],
          },
          [session.id]
        )
      }
      await User.createMany(
        this.BOOTH_STAFF.map((user) => ({
          ...user,
          tenantId: tenant.id,
          branchId: null,
          password: DEMO_PASSWORD,
          isActive: true,
        })),
        client
      )
      return { tenant, branch }
    })
  }

  static async #resource(
    trx: TransactionClientContract,
    tenantId: number,
    branchId: number,
    details: {
      kind: Resource['kind']
      name: string
      opensAt: string
      closesAt: string
      weekdays: number[]
    },
    serviceIds: number[]
  ) {
    const resource = await Resource.create(
      { tenantId, branchId, kind: details.kind, name: details.name, position: 1, isActive: true },
      { client: trx }
    )
    await ResourceSchedule.createMany(
      details.weekdays.map((weekday) => ({
        tenantId,
        resourceId: resource.id,
        weekday,
        opensAt: details.opensAt,
        closesAt: details.closesAt,
      })),
      { client: trx }
    )
    await trx.table('resource_services').multiInsert(
      serviceIds.map((serviceId) => ({
        tenant_id: tenantId,
        resource_id: resource.id,
        service_id: serviceId,
      }))
    )
    return resource
  }
}
