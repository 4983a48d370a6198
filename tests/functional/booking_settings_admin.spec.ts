import { test } from '@japa/runner'
import Tenant from '#models/tenant'
import AuditLog from '#models/audit_log'
import { createWorld } from '#tests/helpers/world'
import { createBookingWorld, tomorrow } from '#tests/helpers/bookings'
import BookingService from '#services/bookings/booking_service'
import app from '@adonisjs/core/services/app'

/** Every field of the form, as an owner would submit it. */
const FORM = {
  session_duration_minutes: '20',
  arrival_tolerance_minutes: '10',
  early_checkin_minutes: '45',
  slot_minutes: '15',
  quota_per_slot: '2',
  payment_minutes: '25',
  cancellation_cutoff_minutes: '180',
  reminder_hour_before: '1',
  no_show_grace_minutes: '20',
  blending_mode: 'auto',
  blending_auto_minutes: '12',
}

test.group('Admin: booking settings', () => {
  test('the owner sees every setting with its current value', async ({ client }) => {
    const { owner } = await createWorld()
    const page = await client.get('/admin/bookings/settings').loginAs(owner)
    page.assertStatus(200)
    for (const text of [
      'Durasi sesi (menit)',
      'Toleransi keterlambatan (menit)',
      'Kuota per slot',
      'Saat pelanggan check-in',
      'name="session_duration_minutes"',
      'value="15"',
    ]) {
      page.assertTextIncludes(text)
    }
    page.assertTextIncludes('/admin/bookings/settings')
  })

  test('the owner saves every field; the payment gateway stays as it was; the change is audited', async ({
    client,
    assert,
  }) => {
    const { owner, tenant } = await createWorld()
    tenant.bookingSettings = JSON.stringify({
      paymentProvider: 'xendit',
      sessionDurationMinutes: 15,
    })
    await tenant.save()

    const response = await client
      .put('/admin/bookings/settings')
      .form(FORM)
      .withCsrfToken()
      .loginAs(owner)
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/admin/bookings/settings')

    const saved = (await Tenant.findOrFail(tenant.id)).booking
    assert.deepEqual(saved, {
      sessionDurationMinutes: 20,
      arrivalToleranceMinutes: 10,
      earlyCheckinMinutes: 45,
      slotMinutes: 15,
      quotaPerSlot: 2,
      paymentMinutes: 25,
      cancellationCutoffMinutes: 180,
      reminders: { dayBefore: false, hourBefore: true },
      noShowGraceMinutes: 20,
      blending: { mode: 'auto', autoMinutesBefore: 12 },
      paymentProvider: 'xendit',
    })
    const audit = await AuditLog.query()
      .where('tenant_id', tenant.id)
      .where('action', 'tenant.booking_settings_updated')
      .firstOrFail()
    assert.equal(audit.userId, owner.id)
    const [before, after] = (audit.changes as any).bookingSettings
    assert.include(before, '"sessionDurationMinutes":15')
    assert.include(after, '"sessionDurationMinutes":20')
  })

  test('out-of-range numbers and a no-show before the tolerance are refused with clear messages', async ({
    client,
    assert,
  }) => {
    const { owner, tenant } = await createWorld()
    const range = await client
      .put('/admin/bookings/settings')
      .form({ ...FORM, session_duration_minutes: '0', slot_minutes: '2' })
      .withCsrfToken()
      .loginAs(owner)
      .header('referer', '/admin/bookings/settings')
      .redirects(0)
    range.assertFlashMessage('inputErrorsBag', {
      session_duration_minutes: ['Durasi sesi harus antara 1 dan 480'],
      slot_minutes: ['Panjang slot harus antara 5 dan 240'],
    })

    const grace = await client
      .put('/admin/bookings/settings')
      .form({ ...FORM, arrival_tolerance_minutes: '30', no_show_grace_minutes: '10' })
      .withCsrfToken()
      .loginAs(owner)
      .header('referer', '/admin/bookings/settings')
      .redirects(0)
    grace.assertFlashMessage(
      'error',
      'Batas "tidak datang" harus minimal sama dengan toleransi keterlambatan (30 menit): selama itu pelanggan masih boleh check-in.'
    )
    assert.isNull((await Tenant.findOrFail(tenant.id)).bookingSettings)
  })

  test('the slot length stays while bookings are to come (their places sit on it); once none are, it changes', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld({ settings: { slotMinutes: 30 } })
    const booking = await (
      await app.container.make(BookingService)
    ).book(world.entry, world.service, {
      date: tomorrow(),
      time: '09:00',
      name: 'Sari',
      phone: '+6281234567890',
      channel: 'web',
    })
    const save = () =>
      client
        .put('/admin/bookings/settings')
        .form(FORM)
        .withCsrfToken()
        .loginAs(world.owner)
        .header('referer', '/admin/bookings/settings')
        .redirects(0)

    const refused = await save()
    refused.assertFlashMessage(
      'error',
      'Panjang slot tetap 30 menit selama masih ada 1 booking yang akan datang: tempat mereka tercatat pada slot itu. Ubah setelah booking tersebut selesai, dibatalkan atau dipindah.'
    )
    assert.equal((await Tenant.findOrFail(world.tenant.id)).booking.slotMinutes, 30)

    await (
      await app.container.make(BookingService)
    ).cancel(booking.id, world.tenant.id, { by: world.owner, reason: 'test' })
    ;(await save()).assertFlashMessage('success', 'Tersimpan.')
    assert.equal((await Tenant.findOrFail(world.tenant.id)).booking.slotMinutes, 15)
  })

  test('an admin, a branch-limited owner and an operator get 403; the menu shows the page to the owner only', async ({
    client,
    assert,
  }) => {
    const { owner, admin, operator, tenant, branch } = await createWorld()
    ;(await client.get('/admin/bookings/settings').loginAs(admin)).assertStatus(403)
    ;(
      await client.put('/admin/bookings/settings').form(FORM).withCsrfToken().loginAs(admin)
    ).assertStatus(403)
    ;(await client.get('/admin/bookings/settings').loginAs(operator)).assertStatus(403)

    const adminMenu = await client.get('/admin/resources').loginAs(admin)
    assert.notInclude(adminMenu.text(), 'href="/admin/bookings/settings"')
    const ownerMenu = await client.get('/admin/resources').loginAs(owner)
    assert.include(ownerMenu.text(), 'href="/admin/bookings/settings"')

    owner.branchId = branch.id
    await owner.save()
    ;(
      await client.put('/admin/bookings/settings').form(FORM).withCsrfToken().loginAs(owner)
    ).assertStatus(403)
    assert.isNull((await Tenant.findOrFail(tenant.id)).bookingSettings)
  })
})
