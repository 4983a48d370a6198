import { BaseSeeder } from '@adonisjs/lucid/seeders'
import Tenant from '#models/tenant'
import DemoData from '#services/demo_data'

/**
 * The demo tenant "Klinik Sehat Sentosa" (branch `sehat-sentosa`): three services, two counters,
 * an owner, two operators, a TV display with token `demo-tv`, and a platform admin.
 * Runs once: it does nothing when the demo tenant exists.
 */
export default class extends BaseSeeder {
  async run() {
    if (await Tenant.findBy('slug', DemoData.TENANT_SLUG)) return
    await DemoData.create()
  }
}
