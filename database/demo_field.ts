import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import Tenant from '#models/tenant'
import Branch from '#models/branch'
import User from '#models/user'
import Customer from '#models/customer'
import CustomerDirectory, { type CustomerInput } from '#services/field/customer_directory'
import JobService, { type JobInput } from '#services/field/job_service'
import AttendanceBook from '#services/field/attendance_book'
import { addDays } from '#services/field/job_state_machine'
import { DEMO_PASSWORD } from '#database/demo_data'
import clock from '#support/clock'
import Rating from '#models/rating'
import InvoiceService, { type InvoiceInput } from '#services/billing/invoice_service'
import RatingService from '#services/billing/rating_service'
import type { CustomerSource } from '#enums/field'

/** A demo customer and where it came from (CS typed it, it wrote DAFTAR#… on WhatsApp, a CSV). */
interface DemoCustomer extends CustomerInput {
  phone: string
  source: CustomerSource
}

/**
 * The field-service demo business (seed 003): "Sejuk AC Service" in Jakarta, whose CS agent
 * dispatches visits to three technicians. Its jobs are made through JobService, the way the
 * screens make them, so that each has a real history, real webhook calls and real messages
 * (to the server log), and the pool, the boards and the job pages show every state.
 */
export default class DemoField {
  static SLUG = 'sejuk-ac'

  /** Its accounts (password DEMO_PASSWORD); technicians hear of reopened places on their phones. */
  static STAFF = [
    { fullName: 'Hendra Gunawan', email: 'owner@sejuk.test', role: 'owner' as const, phone: null },
    {
      fullName: 'Rina Marlina',
      email: 'cs@sejuk.test',
      role: 'cs' as const,
      phone: '+6281311110001',
    },
    { fullName: 'Yoga Prasetyo', email: 'sales@sejuk.test', role: 'sales' as const, phone: null },
    {
      fullName: 'Andi Saputra',
      email: 'teknisi1@sejuk.test',
      role: 'technician' as const,
      phone: '+6281311110011',
    },
    {
      fullName: 'Bayu Nugroho',
      email: 'teknisi2@sejuk.test',
      role: 'technician' as const,
      phone: '+6281311110012',
    },
    {
      fullName: 'Joko Susilo',
      email: 'teknisi3@sejuk.test',
      role: 'technician' as const,
      phone: '+6281311110013',
    },
  ]

  static CUSTOMERS: DemoCustomer[] = [
    {
      name: 'Ibu Sri Wahyuni',
      phone: '+6281210010001',
      address: 'Jl. Kemang Raya No. 12, Bangka, Mampang Prapatan, Jakarta Selatan',
      notes: '3 unit AC split, lantai 2. Parkir di depan pagar hitam.',
      source: 'manual',
    },
    {
      name: 'Rudi Hartono',
      phone: '+6281210010002',
      address: 'Jl. Tebet Barat Dalam IV No. 8, Tebet, Jakarta Selatan',
      source: 'whatsapp',
    },
    {
      name: 'PT Maju Bersama Logistik',
      phone: '+6281110020003',
      address: 'Graha Mas Lt. 5, Jl. KH. Fachrudin No. 18, Tanah Abang, Jakarta Pusat',
      notes: 'Kontrak servis 3 bulanan, 10 unit. Lapor ke resepsionis, minta kartu akses.',
      source: 'manual',
    },
    {
      name: 'Dewi Anggraini',
      phone: '+6285710010004',
      address: 'Apartemen Kalibata City, Tower Jasmine Lt. 12 No. 5, Pancoran, Jakarta Selatan',
      source: 'whatsapp',
    },
    {
      name: 'Klinik Pratama Sehat Bersama',
      phone: '+6281910010005',
      address: 'Jl. Raya Pasar Minggu No. 45, Pasar Minggu, Jakarta Selatan',
      notes: 'Ruang praktik harus dingin sebelum jam 09.00.',
      source: 'import',
    },
    {
      name: 'Ahmad Fauzi',
      phone: '+6287810010006',
      address: 'Jl. Cempaka Putih Tengah XVII No. 3, Cempaka Putih, Jakarta Pusat',
      source: 'import',
    },
    {
      name: 'Yuliana Siregar',
      phone: '+6281310010007',
      address: 'Jl. Pluit Karang Indah Timur No. 21, Penjaringan, Jakarta Utara',
      source: 'whatsapp',
    },
    {
      name: 'Warung Makan Bu Tini',
      phone: '+6282110010008',
      address: 'Jl. Percetakan Negara No. 77, Johar Baru, Jakarta Pusat',
      source: 'manual',
    },
    {
      name: 'Hadi Kusuma',
      phone: '+6281510010009',
      address: 'Jl. Boulevard Raya Blok TB2 No. 9, Kelapa Gading, Jakarta Utara',
      source: 'import',
    },
    {
      name: 'Toko Elektronik Sinar Jaya',
      phone: '+6281810010010',
      address: 'Jl. Hayam Wuruk No. 120, Taman Sari, Jakarta Barat',
      notes: 'Ruko baru 3 lantai, pemilik Pak Liong.',
      source: 'manual',
    },
    {
      name: 'Putri Ramadhani',
      phone: '+6289610010011',
      address: 'Jl. Duren Sawit Raya No. 14, Duren Sawit, Jakarta Timur',
      source: 'whatsapp',
    },
    {
      name: 'Bambang Sutrisno',
      phone: '+6281210010012',
      address: 'Jl. Rawamangun Muka No. 30, Pulo Gadung, Jakarta Timur',
      notes: 'Sudah pindah ke Bandung.',
      source: 'import',
    },
  ]

  /**
   * The business, its branch, staff and customers (one transaction), then its jobs and today's
   * attendance through the services. Bambang Sutrisno is inactive: he moved away.
   */
  static async create() {
    const { tenant, branch, staff } = await db.transaction(async (trx) => {
      const client = { client: trx }
      const created = await Tenant.create(
        {
          name: 'Sejuk AC Service',
          slug: this.SLUG,
          locale: 'id',
          brandColor: '#0369a1',
          isActive: true,
          // Like the other demo businesses: customers' and technicians' messages go to the server log.
          messagingSettings: JSON.stringify({ visitorChannel: 'log' }),
          billingSettings: JSON.stringify({
            legalName: 'PT Sejuk Abadi Teknik',
            address: 'Jl. Warung Buncit Raya No. 88, Pancoran, Jakarta Selatan 12760',
            taxId: '01.234.567.8-012.000',
            paymentInstructions:
              'Transfer ke BCA 123-456-7890 a.n. PT Sejuk Abadi Teknik.\nSertakan nomor invoice pada berita transfer.',
          }),
        },
        client
      )
      const office = await Branch.create(
        {
          tenantId: created.id,
          name: 'Kantor Pusat Jakarta',
          slug: this.SLUG,
          timezone: 'Asia/Jakarta',
          address: 'Jl. Warung Buncit Raya No. 88, Pancoran, Jakarta Selatan',
        },
        client
      )
      const users = await User.createMany(
        this.STAFF.map((user) => ({
          ...user,
          tenantId: created.id,
          branchId: null,
          password: DEMO_PASSWORD,
          isActive: true,
        })),
        client
      )
      return { tenant: created, branch: office, staff: users }
    })
    const [owner, cs, sales, andi, bayu, joko] = staff

    // Customers arrive the ways the directory knows: typed by CS (audited as CS's change), or
    // registered by their own WhatsApp message or a CSV row (nobody on the staff did it).
    const directory = await app.container.make(CustomerDirectory)
    const customers = new Map<string, number>()
    for (const { source, ...input } of this.CUSTOMERS) {
      const customer =
        source === 'manual'
          ? await directory.add(tenant.id, input, source, { user: cs })
          : await db.transaction(
              async (trx) =>
                (await directory.upsertByPhone(trx, tenant.id, input.phone, input, source)).customer
            )
      customers.set(input.name, customer.id)
    }
    const moved = await Customer.findOrFail(customers.get('Bambang Sutrisno'))
    await directory.setActive(moved, false, { user: cs })

    // Today's attendance: Andi on time, Bayu late; Joko has not come (he is ill, see below), so the
    // board shows him absent once the start time and its grace have passed.
    const attendance = new AttendanceBook()
    const at = (time: string) =>
      DateTime.fromISO(`${branch.today()}T${time}`, { zone: branch.timezone })
    try {
      clock.travelTo(at('07:48'))
      await attendance.checkIn(tenant, branch, andi, { latitude: -6.2607, longitude: 106.8137 })
      clock.travelTo(at('08:37'))
      await attendance.checkIn(tenant, branch, bayu, null)
    } finally {
      clock.reset()
    }

    const jobs = await app.container.make(JobService)
    const today = branch.today()
    const day = (offset: number) => addDays(today, offset)
    const byCs = { by: cs }
    const job = (customer: string, input: Omit<JobInput, 'customerId'>) =>
      jobs.create(branch, { customerId: customers.get(customer)!, ...input }, byCs)

    // Open: a two-technician service in two days, and an urgent one for today, both in the pool.
    await job('PT Maju Bersama Logistik', {
      title: 'Servis rutin 10 unit AC kantor',
      description: 'Cuci indoor dan outdoor, cek tekanan freon, laporan per unit.',
      plannedStart: day(2),
      plannedEnd: day(2),
      quota: 2,
    })
    await job('Klinik Pratama Sehat Bersama', {
      title: 'AC ruang praktik mati total',
      description: 'Unit 2 PK tidak menyala sejak pagi, MCB tidak turun.',
      plannedStart: today,
      plannedEnd: today,
      quota: 1,
      priority: 'urgent',
    })
    await job('Putri Ramadhani', {
      title: 'Cuci AC 2 unit',
      plannedStart: day(3),
      plannedEnd: day(3),
      quota: 1,
      priority: 'low',
    })

    // Assigned: Joko took tomorrow's installation before he fell ill.
    const installation = await job('Dewi Anggraini', {
      title: 'Pasang AC baru 1 PK',
      description: 'Unit sudah di lokasi. Pipa 5 meter, bracket outdoor di balkon.',
      plannedStart: day(1),
      plannedEnd: day(1),
      quota: 1,
    })
    await jobs.claim(installation.id, tenant.id, joko)

    // In progress, with a note: Andi and Bayu on a leaking unit.
    const leak = await job('Ibu Sri Wahyuni', {
      title: 'Perbaikan AC bocor air',
      description: 'Air menetes dari unit indoor kamar depan.',
      plannedStart: today,
      plannedEnd: today,
      quota: 2,
      priority: 'high',
    })
    for (const technician of [andi, bayu]) await jobs.claim(leak.id, tenant.id, technician)
    for (const technician of [andi, bayu])
      await jobs.start(leak.id, tenant.id, technician, { by: technician })
    await jobs.note(
      leak.id,
      tenant.id,
      'Saluran pembuangan tersumbat lumpur, sudah disedot. Unit kamar tengah perlu tambah freon.',
      { by: andi }
    )

    // In progress, with a pending extension: the shop's outdoor units have not arrived yet.
    const shop = await job('Toko Elektronik Sinar Jaya', {
      title: 'Instalasi 6 unit AC ruko baru',
      description: 'Lantai 1-3, jalur pipa lewat shaft belakang.',
      plannedStart: today,
      plannedEnd: day(1),
      quota: 1,
    })
    await jobs.claim(shop.id, tenant.id, bayu)
    await jobs.start(shop.id, tenant.id, bayu, { by: bayu })
    await jobs.requestExtension(
      shop.id,
      tenant.id,
      bayu,
      { days: 2, reason: 'Unit outdoor baru dikirim distributor lusa' },
      { by: bayu }
    )

    // Done this morning.
    const washed = await job('Rudi Hartono', {
      title: 'Cuci AC 3 unit dan cek freon',
      plannedStart: today,
      plannedEnd: today,
      quota: 1,
    })
    await jobs.claim(washed.id, tenant.id, andi)
    await jobs.start(washed.id, tenant.id, andi, { by: andi })
    await jobs.note(washed.id, tenant.id, 'Tiga unit bersih, freon normal.', { by: andi })
    await jobs.finish(washed.id, tenant.id, andi, { by: andi })

    // Cancelled by CS before anyone claimed it.
    const moving = await job('Ahmad Fauzi', {
      title: 'Bongkar pasang AC pindahan rumah',
      plannedStart: day(4),
      plannedEnd: day(4),
      quota: 2,
    })
    await jobs.cancel(moving.id, tenant.id, 'Pelanggan menunda pindahan ke bulan depan', byCs)

    // Emergency: Joko is ill, so CS returns his place on today's job to the pool; one place is open again.
    const house = await job('Yuliana Siregar', {
      title: 'Servis AC 4 unit rumah',
      plannedStart: today,
      plannedEnd: today,
      quota: 2,
    })
    for (const technician of [andi, joko]) await jobs.claim(house.id, tenant.id, technician)
    await jobs.returnToPool(
      house.id,
      tenant.id,
      joko.id,
      'Joko sakit hari ini, cari pengganti',
      byCs
    )

    await this.#billing(tenant, branch, { cs, sales, owner }, washed.id, customers)
    return { tenant, branch }
  }

  /**
   * Invoices in every state and ratings: the morning's washed units billed, approved, sent and
   * paid; the office contract waiting for sales; a draft; the washed job's customer rated it.
   */
  static async #billing(
    tenant: Tenant,
    branch: Branch,
    people: { cs: User; sales: User; owner: User },
    washedJobId: number,
    customers: Map<string, number>
  ) {
    const invoices = await app.container.make(InvoiceService)
    const byCs = { by: people.cs }
    const write = (customer: string, lines: InvoiceInput['lines'], extra = {}) =>
      invoices.create(
        tenant,
        branch.id,
        { customerId: customers.get(customer)!, lines, discount: 0, ...extra },
        byCs
      )
    const washed = await write(
      'Rudi Hartono',
      [
        { description: 'Cuci AC split 1 PK', quantity: 3, unitPrice: 8_500_000 },
        { description: 'Isi freon R32 (per unit)', quantity: 1, unitPrice: 25_000_000 },
      ],
      { source: { type: 'job', id: String(washedJobId) }, discount: 500_000 }
    )
    await invoices.submit(washed.id, tenant.id, byCs)
    await invoices.approve(washed.id, tenant.id, { by: people.sales })
    await invoices.send(washed.id, tenant.id, byCs)
    await invoices.markPaid(
      washed.id,
      tenant.id,
      { paidOn: branch.today(), method: 'transfer', reference: 'BCA 0412' },
      byCs
    )

    const contract = await write('PT Maju Bersama Logistik', [
      { description: 'Servis rutin AC kantor (per unit)', quantity: 10, unitPrice: 9_500_000 },
      { description: 'Laporan kondisi unit', quantity: 1, unitPrice: 0 },
    ])
    await invoices.submit(contract.id, tenant.id, byCs)
    const clinic = await write('Klinik Pratama Sehat Bersama', [
      { description: 'Perbaikan AC ruang praktik 2 PK', quantity: 1, unitPrice: 45_000_000 },
    ])
    await invoices.submit(clinic.id, tenant.id, byCs)
    await invoices.approve(clinic.id, tenant.id, { by: people.owner })
    await invoices.send(clinic.id, tenant.id, byCs)
    await write('Putri Ramadhani', [
      { description: 'Cuci AC 2 unit', quantity: 2, unitPrice: 8_500_000 },
    ])

    const rating = await Rating.query()
      .where('tenant_id', tenant.id)
      .where('subject_type', 'job')
      .where('subject_id', String(washedJobId))
      .first()
    const ratings = await app.container.make(RatingService)
    if (!rating) return
    // The link went out half an hour after the visit, and Rudi answered it.
    try {
      clock.travelTo(rating.sendAfter!)
      await ratings.sendDue()
      clock.travelTo(rating.sendAfter!.plus({ minutes: 12 }))
      await ratings.answer(rating.token, 5, 'Teknisinya ramah dan rapi, AC dingin lagi.')
    } finally {
      clock.reset()
    }
  }
}
