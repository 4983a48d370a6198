import Customer from '#models/customer'
import User from '#models/user'
import JobService, { type JobInput } from '#services/field/job_service'
import app from '@adonisjs/core/services/app'
import { createWorld, PASSWORD, type WorldOptions } from '#tests/helpers/world'

/**
 * A field-service business of its own for one test: the world's tenant and branch, a CS agent, a
 * sales agent, `technicians` technicians (three by default) and a customer with a phone and an
 * address.
 */
export async function createFieldWorld(options: WorldOptions & { technicians?: number } = {}) {
  const world = await createWorld({ services: 0, counters: 0, ...options })
  const staff = (role: User['role'], name: string) =>
    User.create({
      tenantId: world.tenant.id,
      branchId: null,
      fullName: `${name} ${world.key}`,
      email: `${name.toLowerCase().replace(/\s+/g, '-')}-${world.key}@test.loket`,
      password: PASSWORD,
      role,
      isActive: true,
    })
  const cs = await staff('cs', 'CS')
  const sales = await staff('sales', 'Sales')
  const technicians: User[] = []
  for (let index = 0; index < (options.technicians ?? 3); index++)
    technicians.push(await staff('technician', `Tech ${index + 1}`))
  const customer = await Customer.create({
    tenantId: world.tenant.id,
    name: `Pak Budi ${world.key}`,
    phone: `+62812${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
    address: 'Jl. Melati 5, Bandung',
    status: 'active',
    source: 'manual',
  })
  return { ...world, cs, sales, technicians, customer }
}

export type FieldWorld = Awaited<ReturnType<typeof createFieldWorld>>

/** A job of the world's customer for `quota` technicians, planned for the next days, created by CS. */
export async function createJob(world: FieldWorld, input: Partial<JobInput> = {}) {
  const jobs = await app.container.make(JobService)
  const start = world.branch.today()
  return jobs.create(
    world.branch,
    {
      customerId: world.customer.id,
      title: 'Servis AC 2 unit',
      plannedStart: start,
      plannedEnd: start,
      quota: 2,
      ...input,
    },
    { by: world.cs }
  )
}
