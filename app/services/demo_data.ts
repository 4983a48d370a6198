import Tenant from '#models/tenant'
import Branch from '#models/branch'
import Service from '#models/service'
import Counter from '#models/counter'
import User from '#models/user'
import Device from '#models/device'
import db from '@adonisjs/lucid/services/db'

/** Demo accounts share this password; the README lists them. */
export const DEMO_PASSWORD = 'loket-demo'

/** The demo tenant a fresh clone starts with (`npm start`). */
export default class DemoData {
  static TENANT_SLUG = 'sehat-sentosa'

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
          { code: 'A', name: 'Poli Umum', nameEn: 'General practice', nameMs: 'Klinik am', description: 'Pemeriksaan dokter umum', position: 1, slaMinutes: 20 },
          { code: 'B', name: 'Poli Gigi', nameEn: 'Dental clinic', nameMs: 'Klinik gigi', description: 'Pemeriksaan dan perawatan gigi', position: 2, slaMinutes: 30 },
          { code: 'C', name: 'Farmasi', nameEn: 'Pharmacy', nameMs: 'Farmasi', description: 'Pengambilan obat', position: 3, slaMinutes: 10 },
        ].map((service) => ({ ...service, tenantId: tenant.id, branchId: branch.id, isActive: true })),
        client
      )
      const [loket1, loket2] = await Counter.createMany(
        [
          { name: 'Loket 1', position: 1 },
          { name: 'Loket 2', position: 2 },
        ].map((counter) => ({ ...counter, tenantId: tenant.id, branchId: branch.id, isActive: true })),
        client
      )
      await trx.table('counter_services').multiInsert([
        { tenant_id: tenant.id, counter_id: loket1.id, service_id: umum.id, rank: 1 },
        { tenant_id: tenant.id, counter_id: loket1.id, service_id: gigi.id, rank: 2 },
        { tenant_id: tenant.id, counter_id: loket2.id, service_id: farmasi.id, rank: 1 },
        { tenant_id: tenant.id, counter_id: loket2.id, service_id: umum.id, rank: 2 },
      ])
      await User.createMany(
        [
          { fullName: 'Dewi Lestari', email: 'owner@sehat.test', role: 'owner' as const },
          { fullName: 'Budi Santoso', email: 'operator1@sehat.test', role: 'operator' as const },
          { fullName: 'Siti Rahma', email: 'operator2@sehat.test', role: 'operator' as const },
          { fullName: 'Agus Wijaya', email: 'supervisor@sehat.test', role: 'supervisor' as const },
        ].map((user) => ({ ...user, tenantId: tenant.id, branchId: null, password: DEMO_PASSWORD, isActive: true })),
        client
      )
      await Device.createMany(
        [
          { tenantId: tenant.id, branchId: branch.id, kind: 'display', name: 'TV ruang tunggu', token: 'demo-tv' },
          { tenantId: tenant.id, branchId: branch.id, kind: 'kiosk', name: 'Kios pintu masuk', token: 'demo-kiosk', paperWidth: 80 },
        ],
        client
      )
      if (!(await User.query({ client: trx }).where('email', 'platform@loket.test').first())) {
        await User.create(
          {
            tenantId: null,
            branchId: null,
            fullName: 'Loket Platform',
            email: 'platform@loket.test',
            password: DEMO_PASSWORD,
            role: 'super_admin',
            isActive: true,
          },
          client
        )
      }
      return { tenant, branch }
    })
  }
}
