import { BaseSeeder } from '@adonisjs/lucid/seeders'
import Tenant from '#models/tenant'
import DemoData from '#database/demo_data'
import DemoField from '#database/demo_field'
import DemoInbox from '#database/demo_inbox'
import jobs from '#support/jobs'

/**
 * The demo tenants: "Klinik Sehat Sentosa" (branch `sehat-sentosa`: three services, two counters,
 * a dentist taking bookings, an owner, two operators, a TV display `demo-tv`, a kiosk `demo-kiosk`,
 * a platform admin), the photo booths "Fotobox Ceria" (branch `fotobox-ceria`) and the AC
 * service company "Sejuk AC Service" (branch `sejuk-ac`: CS, sales, three technicians, customers
 * and visit jobs in every state) and the support desk "NusaPOS" (agents answering franchise
 * merchants on WhatsApp: outlets, conversations in every state, canned replies). Runs once per tenant: it does nothing for a demo tenant that
 * exists, so a database seeded before a business joined the demo gets just that business.
 */
export default class extends BaseSeeder {
  async run() {
    const firstRun = !(await Tenant.findBy('slug', DemoData.TENANT_SLUG))
    if (firstRun) await DemoData.create()
    if (!(await Tenant.findBy('slug', DemoData.BOOTH_SLUG))) await DemoData.createBooths()
    if (!(await Tenant.findBy('slug', DemoField.SLUG))) {
      await DemoField.create()
      // Its jobs queued messages (to the server log): let them go out while the database is open.
      await jobs.idle()
    }
    if (!(await Tenant.findBy('slug', DemoInbox.SLUG))) {
      await DemoInbox.create()
      await jobs.idle()
    }
    if (firstRun) await reportDemoCreated()
  }
}

/**
 * Tells `npm start` (bin/start.js runs this seeder with an IPC channel) that this run made the demo,
 * so that the server's start banner lists the demo's links and accounts. Elsewhere it does nothing.
 */
function reportDemoCreated() {
  const send = process.send?.bind(process)
  if (!send) return
  return new Promise<void>((resolve) =>
    send({ loket: 'demo-created' }, undefined, undefined, () => resolve())
  )
}
