import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import Branch from '#models/branch'
import BranchHour from '#models/branch_hour'
import CannedReply from '#models/canned_reply'
import Conversation from '#models/conversation'
import ConversationMessage from '#models/conversation_message'
import MessagingChannel from '#models/messaging_channel'
import Outlet from '#models/outlet'
import Tenant from '#models/tenant'
import User from '#models/user'
import UserScope from '#models/user_scope'
import WhatsappInbound from '#services/messaging/whatsapp_inbound'
import ConversationService from '#services/inbox/conversation_service'
import { DEMO_PASSWORD } from '#database/demo_data'
import clock from '#support/clock'

/**
 * The support-desk demo business (seed 004): "NusaPOS", whose team answers its franchise
 * merchants on WhatsApp. Customers' messages come in through the same code as Meta's webhook
 * (WhatsappInbound), so conversations, outlets, SLA clocks and round-robin are real. Its WhatsApp
 * number is not connected to Meta: agents' replies wait in the outbox and show as not delivered.
 */
export default class DemoInbox {
  static SLUG = 'nusapos'

  static STAFF = [
    { fullName: 'Dewi Lestari', email: 'owner@nusapos.test', role: 'owner' as const },
    { fullName: 'Sari Wulandari', email: 'supervisor@nusapos.test', role: 'supervisor' as const },
    { fullName: 'Rina Kartika', email: 'rina@nusapos.test', role: 'agent' as const },
    { fullName: 'Budi Santoso', email: 'budi@nusapos.test', role: 'agent' as const },
    { fullName: 'Fajar Hidayat', email: 'renewal@nusapos.test', role: 'renewal' as const },
    { fullName: 'Eko Prasetyo', email: 'sales@nusapos.test', role: 'sales' as const },
  ]

  static OUTLETS = [
    ['KOPI01', 'JKT-001', 'Kopi Senja Kemang', '+6281377770001', 45],
    ['KOPI01', 'JKT-002', 'Kopi Senja Tebet', '+6281377770002', 12],
    ['KOPI01', 'BDG-001', 'Kopi Senja Dago', '+6281377770003', -3],
    ['BAKSO9', 'SBY-001', 'Bakso Pak Kumis Darmo', '+6281377770004', 200],
    ['BAKSO9', 'SBY-002', 'Bakso Pak Kumis Rungkut', '+6281377770004', 90],
  ] as const

  static async create() {
    const tenant = await Tenant.create({
      name: 'NusaPOS',
      slug: this.SLUG,
      locale: 'id',
      brandColor: '#7c3aed',
      isActive: true,
      messagingSettings: JSON.stringify({ visitorChannel: 'whatsapp' }),
    })
    // New numbers asking a price become leads for sales (the keywords are the defaults).
    await db
      .from('tenants')
      .where('id', tenant.id)
      .update({ lead_settings: JSON.stringify({ whatsappLeads: true }) })
    const branch = await Branch.create({
      tenantId: tenant.id,
      name: 'Tim Dukungan',
      slug: this.SLUG,
      timezone: 'Asia/Jakarta',
      address: 'Jl. Gatot Subroto Kav. 12, Jakarta Selatan',
    })
    // Support works Monday to Saturday, 08:00-20:00: the SLA clocks count those hours only.
    await BranchHour.createMany(
      [1, 2, 3, 4, 5, 6].map((weekday) => ({
        tenantId: tenant.id,
        branchId: branch.id,
        weekday,
        opensAt: '08:00',
        closesAt: '20:00',
      }))
    )
    const staff = await User.createMany(
      this.STAFF.map((user) => ({
        ...user,
        tenantId: tenant.id,
        branchId: null,
        password: DEMO_PASSWORD,
        isActive: true,
      }))
    )
    const [, supervisor, rina, budi] = staff
    await UserScope.create({ tenantId: tenant.id, userId: budi.id, fid: 'BAKSO9', oid: null })
    const channel = await MessagingChannel.create({
      tenantId: tenant.id,
      kind: 'whatsapp',
      isActive: true,
      settings: {
        phone_number_id: 'demo-not-connected',
        access_token: 'demo-not-connected',
        app_secret: 'demo-not-connected',
        verify_token: 'demo-not-connected',
      },
    })
    const today = clock.now().setZone(branch.timezone)
    await Outlet.createMany(
      this.OUTLETS.map(([fid, oid, name, phone, days]) => ({
        tenantId: tenant.id,
        fid,
        oid,
        name,
        phone,
        expiresOn: today.plus({ days }).toISODate()!,
        status: 'active' as const,
      }))
    )
    await CannedReply.createMany([
      {
        tenantId: tenant.id,
        shortcut: 'salam',
        title: 'Salam pembuka',
        body: 'Halo {{name}}, terima kasih sudah menghubungi NusaPOS. Ada yang bisa kami bantu untuk {{outlet}}?',
      },
      {
        tenantId: tenant.id,
        shortcut: 'restart',
        title: 'Mulai ulang kasir',
        body: 'Halo {{name}}, coba matikan mesin kasir 30 detik lalu nyalakan lagi. Kabari kami hasilnya ya.',
      },
      {
        tenantId: tenant.id,
        shortcut: 'selesai',
        title: 'Penutup',
        body: 'Terima kasih {{name}}. Jika ada kendala lagi, balas pesan ini kapan saja.',
      },
    ])

    // Merchants write in, as Meta would deliver it.
    const inbound = await app.container.make(WhatsappInbound)
    const write = async (phone: string, name: string, text: string, minutesAgo: number) => {
      const from = phone.replace('+', '')
      await inbound.receive(
        { tenant, settings: channel.settings as any },
        {
          object: 'whatsapp_business_account',
          entry: [
            {
              changes: [
                {
                  field: 'messages',
                  value: {
                    contacts: [{ wa_id: from, profile: { name } }],
                    messages: [
                      {
                        from,
                        id: `wamid.demo.${from}.${minutesAgo}`,
                        timestamp: String(
                          Math.floor(clock.now().minus({ minutes: minutesAgo }).toSeconds())
                        ),
                        type: 'text',
                        text: { body: text },
                      },
                    ],
                  },
                },
              ],
            },
          ],
        }
      )
      return Conversation.query()
        .where('tenant_id', tenant.id)
        .whereHas('contact', (contact) => contact.where('phone', phone))
        .orderBy('id', 'desc')
        .firstOrFail()
    }
    const conversations = await app.container.make(ConversationService)
    const act = (by: User) => ({ by, ip: null })
    const lastIn = async (conversation: Conversation) =>
      (await ConversationMessage.query()
        .where('conversation_id', conversation.id)
        .orderBy('id', 'desc')
        .firstOrFail())!.id

    await write(
      '+6281377770001',
      'Andi (Kopi Senja Kemang)',
      'Struk tidak keluar dari printer sejak pagi',
      95
    )
    const tebet = await write(
      '+6281377770002',
      'Maya',
      'Halo, laporan penjualan kemarin kosong',
      40
    )
    await conversations.assign(tebet.id, tenant.id, rina.id, act(supervisor))
    await conversations.categorize(tebet.id, tenant.id, 'technical', act(rina))
    await conversations.reply(
      tebet.id,
      tenant.id,
      { text: 'Halo Maya, kami cek datanya sekarang ya.', seenMessageId: await lastIn(tebet) },
      act(rina)
    )
    await write('+6281377770002', 'Maya', 'Baik, ditunggu', 35)
    const bakso = await write(
      '+6281377770004',
      'Pak Kumis',
      'Mau perpanjang langganan untuk dua cabang',
      25
    )
    // Pak Kumis's number is on both his shops: the agent picks the one he writes about.
    const darmo = await Outlet.query()
      .where('tenant_id', tenant.id)
      .where('oid', 'SBY-001')
      .firstOrFail()
    await conversations.linkOutlet(bakso.id, tenant.id, darmo.id, act(budi))
    await conversations.categorize(bakso.id, tenant.id, 'renewal', act(budi))
    await conversations.reply(
      bakso.id,
      tenant.id,
      {
        text: 'Siap Pak, tagihan perpanjangan kami kirim hari ini.',
        seenMessageId: await lastIn(bakso),
      },
      act(budi)
    )
    await conversations.move(bakso.id, tenant.id, 'pending', {}, act(budi))
    const dago = await write('+6281377770003', 'Rudi', 'Langganan kami habis, kasir terkunci', 300)
    await conversations.reply(
      dago.id,
      tenant.id,
      { text: 'Sudah kami buka kembali, Pak Rudi.', seenMessageId: await lastIn(dago) },
      act(rina)
    )
    await conversations.move(dago.id, tenant.id, 'resolved', { outcome: 'fixed' }, act(rina))
    await write('+6281299990123', 'Nomor baru', 'Halo, saya mau tanya harga aplikasi kasir', 10)
    return { tenant, branch }
  }
}
