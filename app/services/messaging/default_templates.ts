import type { MessageEvent } from '#enums/messaging'

/**
 * The messages Loket ships for every event in every language. A tenant may reword any of them
 * (message_templates); variables are written `{{name}}` (app/services/message_templates.ts).
 * Every message to a visitor ends with the opt-out link.
 */
export interface TemplateText {
  subject: string
  body: string
}

export const DEFAULT_TEMPLATES: Record<string, Record<MessageEvent, TemplateText>> = {
  id: {
    ticket_created: {
      subject: 'Nomor antrean {{ticket_number}} di {{branch_name}}',
      body: 'Nomor antrean Anda {{ticket_number}} ({{service_name}}) di {{branch_name}}. Ada {{ahead}} antrean sebelum Anda. Pantau giliran Anda: {{link}}\nBerhenti menerima pesan: {{optout_link}}',
    },
    ticket_near: {
      subject: 'Giliran Anda hampir tiba: {{ticket_number}}',
      body: 'Nomor {{ticket_number}}: tinggal {{ahead}} antrean lagi sebelum giliran Anda di {{branch_name}}. Mohon bersiap di dekat loket. {{link}}\nBerhenti menerima pesan: {{optout_link}}',
    },
    ticket_called: {
      subject: 'Nomor {{ticket_number}} dipanggil',
      body: 'Nomor {{ticket_number}} dipanggil. Silakan menuju {{counter}}, {{branch_name}}.\nBerhenti menerima pesan: {{optout_link}}',
    },
    ticket_no_show: {
      subject: 'Nomor {{ticket_number}} dilewati',
      body: 'Nomor {{ticket_number}} dilewati karena Anda tidak hadir saat dipanggil. Silakan ambil nomor baru di {{branch_name}}.\nBerhenti menerima pesan: {{optout_link}}',
    },
    ticket_cancelled: {
      subject: 'Nomor {{ticket_number}} dibatalkan',
      body: 'Nomor antrean {{ticket_number}} di {{branch_name}} telah dibatalkan.\nBerhenti menerima pesan: {{optout_link}}',
    },
    test_message: {
      subject: 'Pesan uji dari {{tenant_name}}',
      body: 'Pesan uji dari {{tenant_name}} lewat Loket. Jika pesan ini sampai, saluran siap dipakai.',
    },
    opt_out_confirmed: {
      subject: 'Anda berhenti berlangganan pesan {{tenant_name}}',
      body: 'Anda tidak akan menerima pesan lagi dari {{tenant_name}} di nomor ini. Balas MULAI kapan saja untuk menerimanya kembali.',
    },
    opt_in_confirmed: {
      subject: 'Anda berlangganan lagi pesan {{tenant_name}}',
      body: 'Anda akan menerima pesan dari {{tenant_name}} lagi di nomor ini. Balas BERHENTI kapan saja untuk berhenti.',
    },
    booking_confirmed: {
      subject: 'Booking {{booking_code}} terkonfirmasi',
      body: 'Booking Anda {{booking_code}} terkonfirmasi: {{service_name}}, {{booking_date}} pukul {{booking_time}} di {{branch_name}} ({{resource_name}}). Tunjukkan kode QR di {{link}} saat tiba.\nBerhenti menerima pesan: {{optout_link}}',
    },
    booking_payment_due: {
      subject: 'Selesaikan pembayaran booking {{booking_code}}',
      body: 'Booking {{booking_code}} ({{service_name}}, {{booking_date}} pukul {{booking_time}}) menunggu pembayaran. Bayar di {{pay_link}} sebelum batas waktu, atau tempat Anda dilepas.\nBerhenti menerima pesan: {{optout_link}}',
    },
    booking_reminder_day: {
      subject: 'Besok: {{service_name}} pukul {{booking_time}}',
      body: 'Pengingat: besok {{booking_date}} pukul {{booking_time}} Anda punya jadwal {{service_name}} di {{branch_name}}. Detail dan kode QR: {{link}}\nBerhenti menerima pesan: {{optout_link}}',
    },
    booking_reminder_hour: {
      subject: 'Satu jam lagi: {{service_name}}',
      body: 'Satu jam lagi, pukul {{booking_time}}: {{service_name}} di {{branch_name}}. Mohon datang tepat waktu. {{link}}\nBerhenti menerima pesan: {{optout_link}}',
    },
    booking_cancelled: {
      subject: 'Booking {{booking_code}} dibatalkan',
      body: 'Booking {{booking_code}} ({{service_name}}, {{booking_date}} pukul {{booking_time}}) telah dibatalkan.\nBerhenti menerima pesan: {{optout_link}}',
    },
    booking_expired: {
      subject: 'Booking {{booking_code}} hangus',
      body: 'Booking {{booking_code}} ({{service_name}}, {{booking_date}} pukul {{booking_time}}) hangus: belum dibayar tepat waktu atau kedatangan melewati batas toleransi.\nBerhenti menerima pesan: {{optout_link}}',
    },
    customer_registered: {
      subject: 'Terima kasih, {{customer_name}}, Anda terdaftar',
      body: 'Halo {{customer_name}}, data Anda sudah tercatat di {{tenant_name}}.\nAlamat: {{customer_address}}\nKirim ulang pesan dengan format yang sama untuk mengubah data.',
    },
    customer_registration_help: {
      subject: 'Format pendaftaran belum tepat',
      body: 'Maaf, pesan pendaftaran belum bisa kami baca. Kirim dengan format:\n{{format}}\nContoh: {{example}}',
    },
    job_scheduled: {
      subject: 'Teknisi {{tenant_name}} akan datang {{visit_date}}',
      body: 'Halo {{customer_name}}, teknisi kami {{technicians}} akan datang pada {{visit_date}} untuk {{job_title}} (kode {{job_code}}).\nBerhenti menerima pesan: {{optout_link}}',
    },
    job_done: {
      subject: 'Kunjungan {{job_code}} selesai',
      body: 'Halo {{customer_name}}, kunjungan {{job_title}} (kode {{job_code}}) sudah selesai. Terima kasih telah memakai layanan {{tenant_name}}.\nBerhenti menerima pesan: {{optout_link}}',
    },
    job_place_reopened: {
      subject: 'Dicari pengganti: {{job_title}}',
      body: 'Halo {{staff_name}}, satu tempat di pekerjaan {{job_code}} ({{job_title}}, {{job_address}}, {{visit_date}}) dibuka lagi: {{reason}}. Ambil di pool: {{link}}',
    },
    job_extension_requested: {
      subject: 'Permintaan tambah hari: {{job_code}}',
      body: 'Halo {{staff_name}}, {{technician}} meminta tambah {{days}} hari untuk {{job_code}} ({{job_title}}): {{reason}}. Putuskan di {{link}}',
    },
    job_extension_approved: {
      subject: 'Tambah hari disetujui: {{job_code}}',
      body: 'Halo {{staff_name}}, tambahan {{days}} hari untuk {{job_code}} ({{job_title}}) disetujui. Rencana selesai sekarang {{planned_end}}. {{note}} {{link}}',
    },
    job_extension_rejected: {
      subject: 'Tambah hari ditolak: {{job_code}}',
      body: 'Halo {{staff_name}}, permintaan tambah {{days}} hari untuk {{job_code}} ({{job_title}}) ditolak. {{note}} {{link}}',
    },
    lead_prompt: {
      subject: '{{tenant_name}}',
      body: '{{question}}',
    },
    inbox_reply: {
      subject: '{{tenant_name}}',
      body: '{{text}}',
    },
    inbox_sla_breached: {
      subject: 'SLA terlewat: {{subject}}',
      body: 'Halo {{staff_name}}, batas {{clock}} untuk {{subject}} terlewat ({{due}}). Buka percakapan: {{link}}',
    },
    renewal_reminder: {
      subject: 'Perpanjang langganan {{outlet_name}}',
      body: 'Halo {{outlet_name}} ({{fid}}/{{oid}}), langganan {{tenant_name}} Anda berakhir pada {{expires_on}} ({{when}}). Balas pesan ini untuk memperpanjang atau bertanya.\nBerhenti menerima pesan: {{optout_link}}',
    },
    inbox_weekly_summary: {
      subject: 'Ringkasan inbox {{week}}: {{tenant_name}}',
      body: 'Halo {{staff_name}}, ringkasan inbox WhatsApp {{from}} s.d. {{to}}: {{opened}} tiket dibuka, {{resolved}} diselesaikan, median respons pertama {{frt_median}} menit, median penyelesaian {{art_median}} menit, {{breached}} melewati SLA, rata-rata CSAT {{csat_average}}. Lihat dasbor: {{link}}',
    },
    queue_weekly_summary: {
      subject: 'Ringkasan antrean {{week}}: {{tenant_name}}',
      body: 'Halo {{staff_name}}, antrean {{from}} s.d. {{to}}: {{taken}} nomor diambil ({{taken_change}} dari minggu sebelumnya), {{served}} dilayani, median tunggu {{median_wait}} menit (90% dalam {{p90_wait}} menit), {{sla}} dilayani dalam target, {{no_show_rate}} tidak hadir, jam tersibuk {{busiest_hour}}. Lihat analitik: {{link}}',
    },
    invoice_sent: {
      subject: 'Invoice {{invoice_number}} dari {{tenant_name}}',
      body: 'Halo {{customer_name}}, invoice {{invoice_number}} sebesar {{total}} jatuh tempo {{due_date}}. Lihat dan unduh PDF: {{link}}\nBerhenti menerima pesan: {{optout_link}}',
    },
    rating_request: {
      subject: 'Bagaimana layanan {{tenant_name}}?',
      body: 'Terima kasih telah berkunjung ke {{tenant_name}} ({{subject}}). Beri nilai layanan kami, cukup satu sentuhan: {{link}}\nBerhenti menerima pesan: {{optout_link}}',
    },
    rating_low: {
      subject: 'Nilai rendah: {{score}} bintang untuk {{subject}}',
      body: 'Halo {{staff_name}}, pelanggan memberi {{score}} bintang untuk {{subject}}: "{{comment}}". Tindak lanjuti: {{link}}',
    },
    queue_menu: {
      subject: 'Pilih layanan di {{branch_name}}',
      body: 'Ambil nomor antrean di {{branch_name}}. Balas dengan angka layanan yang Anda pilih:\n{{menu}}',
    },
    queue_unavailable: {
      subject: 'Antrean {{branch_name}}',
      body: '{{branch_name}}: {{reason}}',
    },
    queue_which_branch: {
      subject: 'Di cabang mana?',
      body: 'Di cabang mana Anda ingin mengambil nomor antrean? Kirim salah satu pesan ini:\n{{branches}}',
    },
    queue_ticket_held: {
      subject: 'Nomor antrean Anda {{ticket_number}}',
      body: 'Anda sudah memegang nomor {{ticket_number}} ({{service_name}}) di {{branch_name}}. Ada {{ahead}} antrean sebelum Anda. Pantau giliran Anda: {{link}}\nBalas BATAL untuk membatalkannya.',
    },
    queue_nothing_to_cancel: {
      subject: 'Tidak ada nomor untuk dibatalkan',
      body: 'Anda tidak memegang nomor antrean di {{tenant_name}} yang bisa dibatalkan. Kirim ANTRI untuk mengambil nomor.',
    },
  },
  en: {
    ticket_created: {
      subject: 'Queue number {{ticket_number}} at {{branch_name}}',
      body: 'Your queue number is {{ticket_number}} ({{service_name}}) at {{branch_name}}. {{ahead}} ahead of you. Follow your turn: {{link}}\nStop these messages: {{optout_link}}',
    },
    ticket_near: {
      subject: 'Almost your turn: {{ticket_number}}',
      body: 'Number {{ticket_number}}: {{ahead}} to go before your turn at {{branch_name}}. Please be ready near the counters. {{link}}\nStop these messages: {{optout_link}}',
    },
    ticket_called: {
      subject: 'Number {{ticket_number}} is called',
      body: 'Number {{ticket_number}} is called. Please go to {{counter}}, {{branch_name}}.\nStop these messages: {{optout_link}}',
    },
    ticket_no_show: {
      subject: 'Number {{ticket_number}} was skipped',
      body: 'Number {{ticket_number}} was skipped because you were not there when it was called. Please take a new number at {{branch_name}}.\nStop these messages: {{optout_link}}',
    },
    ticket_cancelled: {
      subject: 'Number {{ticket_number}} was cancelled',
      body: 'Queue number {{ticket_number}} at {{branch_name}} has been cancelled.\nStop these messages: {{optout_link}}',
    },
    test_message: {
      subject: 'Test message from {{tenant_name}}',
      body: 'A test message from {{tenant_name}} through Loket. If it reached you, the channel is ready.',
    },
    opt_out_confirmed: {
      subject: 'You unsubscribed from {{tenant_name}}',
      body: 'You will get no more messages from {{tenant_name}} on this number. Reply START at any time to get them again.',
    },
    opt_in_confirmed: {
      subject: 'You subscribed again to {{tenant_name}}',
      body: 'You will get messages from {{tenant_name}} on this number again. Reply STOP at any time to stop them.',
    },
    booking_confirmed: {
      subject: 'Booking {{booking_code}} confirmed',
      body: 'Your booking {{booking_code}} is confirmed: {{service_name}}, {{booking_date}} at {{booking_time}} at {{branch_name}} ({{resource_name}}). Show the QR code at {{link}} when you arrive.\nStop these messages: {{optout_link}}',
    },
    booking_payment_due: {
      subject: 'Complete the payment for booking {{booking_code}}',
      body: 'Booking {{booking_code}} ({{service_name}}, {{booking_date}} at {{booking_time}}) is waiting for payment. Pay at {{pay_link}} before the deadline, or your place is released.\nStop these messages: {{optout_link}}',
    },
    booking_reminder_day: {
      subject: 'Tomorrow: {{service_name}} at {{booking_time}}',
      body: 'Reminder: tomorrow, {{booking_date}} at {{booking_time}}, you have {{service_name}} at {{branch_name}}. Details and QR code: {{link}}\nStop these messages: {{optout_link}}',
    },
    booking_reminder_hour: {
      subject: 'In an hour: {{service_name}}',
      body: 'In an hour, at {{booking_time}}: {{service_name}} at {{branch_name}}. Please be on time. {{link}}\nStop these messages: {{optout_link}}',
    },
    booking_cancelled: {
      subject: 'Booking {{booking_code}} cancelled',
      body: 'Booking {{booking_code}} ({{service_name}}, {{booking_date}} at {{booking_time}}) has been cancelled.\nStop these messages: {{optout_link}}',
    },
    booking_expired: {
      subject: 'Booking {{booking_code}} expired',
      body: 'Booking {{booking_code}} ({{service_name}}, {{booking_date}} at {{booking_time}}) has expired: it was not paid in time or the arrival was past the tolerance.\nStop these messages: {{optout_link}}',
    },
    customer_registered: {
      subject: 'Thank you, {{customer_name}}, you are registered',
      body: 'Hello {{customer_name}}, {{tenant_name}} has your details.\nAddress: {{customer_address}}\nSend the same format again to change them.',
    },
    customer_registration_help: {
      subject: 'The registration format is not quite right',
      body: 'Sorry, we could not read your registration. Please send it as:\n{{format}}\nFor example: {{example}}',
    },
    job_scheduled: {
      subject: '{{tenant_name}} technicians are coming on {{visit_date}}',
      body: 'Hello {{customer_name}}, our technician(s) {{technicians}} are coming on {{visit_date}} for {{job_title}} (code {{job_code}}).\nStop these messages: {{optout_link}}',
    },
    job_done: {
      subject: 'Visit {{job_code}} is done',
      body: 'Hello {{customer_name}}, the visit for {{job_title}} (code {{job_code}}) is done. Thank you for choosing {{tenant_name}}.\nStop these messages: {{optout_link}}',
    },
    job_place_reopened: {
      subject: 'Replacement needed: {{job_title}}',
      body: 'Hello {{staff_name}}, a place on job {{job_code}} ({{job_title}}, {{job_address}}, {{visit_date}}) is open again: {{reason}}. Claim it in the pool: {{link}}',
    },
    job_extension_requested: {
      subject: 'Extension requested: {{job_code}}',
      body: 'Hello {{staff_name}}, {{technician}} asks for {{days}} more day(s) on {{job_code}} ({{job_title}}): {{reason}}. Decide at {{link}}',
    },
    job_extension_approved: {
      subject: 'Extension approved: {{job_code}}',
      body: 'Hello {{staff_name}}, {{days}} more day(s) on {{job_code}} ({{job_title}}) approved. The planned end is now {{planned_end}}. {{note}} {{link}}',
    },
    job_extension_rejected: {
      subject: 'Extension rejected: {{job_code}}',
      body: 'Hello {{staff_name}}, the request for {{days}} more day(s) on {{job_code}} ({{job_title}}) was rejected. {{note}} {{link}}',
    },
    lead_prompt: {
      subject: '{{tenant_name}}',
      body: '{{question}}',
    },
    inbox_reply: {
      subject: '{{tenant_name}}',
      body: '{{text}}',
    },
    inbox_sla_breached: {
      subject: 'SLA breached: {{subject}}',
      body: 'Hello {{staff_name}}, the {{clock}} target for {{subject}} was missed ({{due}}). Open the conversation: {{link}}',
    },
    renewal_reminder: {
      subject: 'Renew the subscription of {{outlet_name}}',
      body: 'Hello {{outlet_name}} ({{fid}}/{{oid}}), your {{tenant_name}} subscription ends on {{expires_on}} ({{when}}). Reply to this message to renew or to ask us anything.\nStop these messages: {{optout_link}}',
    },
    inbox_weekly_summary: {
      subject: 'Inbox summary {{week}}: {{tenant_name}}',
      body: 'Hello {{staff_name}}, your WhatsApp inbox from {{from}} to {{to}}: {{opened}} tickets opened, {{resolved}} resolved, median first response {{frt_median}} min, median resolution {{art_median}} min, {{breached}} breached an SLA, CSAT average {{csat_average}}. See the dashboard: {{link}}',
    },
    queue_weekly_summary: {
      subject: 'Queue summary {{week}}: {{tenant_name}}',
      body: 'Hello {{staff_name}}, your queue from {{from}} to {{to}}: {{taken}} numbers taken ({{taken_change}} on the week before), {{served}} served, median wait {{median_wait}} min (90% within {{p90_wait}} min), {{sla}} served within target, {{no_show_rate}} no-shows, busiest hour {{busiest_hour}}. See the analytics: {{link}}',
    },
    invoice_sent: {
      subject: 'Invoice {{invoice_number}} from {{tenant_name}}',
      body: 'Hello {{customer_name}}, invoice {{invoice_number}} for {{total}} is due on {{due_date}}. View it and download the PDF: {{link}}\nStop these messages: {{optout_link}}',
    },
    rating_request: {
      subject: 'How was {{tenant_name}}?',
      body: 'Thank you for visiting {{tenant_name}} ({{subject}}). Rate our service with one tap: {{link}}\nStop these messages: {{optout_link}}',
    },
    rating_low: {
      subject: 'Low rating: {{score}} stars for {{subject}}',
      body: 'Hello {{staff_name}}, a customer gave {{score}} stars for {{subject}}: "{{comment}}". Follow up: {{link}}',
    },
    queue_menu: {
      subject: 'Choose a service at {{branch_name}}',
      body: 'Take a queue number at {{branch_name}}. Reply with the number of the service you want:\n{{menu}}',
    },
    queue_unavailable: {
      subject: 'Queue at {{branch_name}}',
      body: '{{branch_name}}: {{reason}}',
    },
    queue_which_branch: {
      subject: 'Which branch?',
      body: 'Which branch would you like a queue number at? Send one of these messages:\n{{branches}}',
    },
    queue_ticket_held: {
      subject: 'Your queue number {{ticket_number}}',
      body: 'You already hold number {{ticket_number}} ({{service_name}}) at {{branch_name}}. {{ahead}} ahead of you. Follow your turn: {{link}}\nReply CANCEL to cancel it.',
    },
    queue_nothing_to_cancel: {
      subject: 'No number to cancel',
      body: 'You hold no queue number at {{tenant_name}} that can be cancelled. Send QUEUE to take one.',
    },
  },
  ms: {
    ticket_created: {
      subject: 'Nombor giliran {{ticket_number}} di {{branch_name}}',
      body: 'Nombor giliran anda {{ticket_number}} ({{service_name}}) di {{branch_name}}. {{ahead}} giliran sebelum anda. Ikuti giliran anda: {{link}}\nHenti terima mesej: {{optout_link}}',
    },
    ticket_near: {
      subject: 'Giliran anda hampir tiba: {{ticket_number}}',
      body: 'Nombor {{ticket_number}}: tinggal {{ahead}} giliran lagi sebelum giliran anda di {{branch_name}}. Sila bersedia berhampiran kaunter. {{link}}\nHenti terima mesej: {{optout_link}}',
    },
    ticket_called: {
      subject: 'Nombor {{ticket_number}} dipanggil',
      body: 'Nombor {{ticket_number}} dipanggil. Sila ke {{counter}}, {{branch_name}}.\nHenti terima mesej: {{optout_link}}',
    },
    ticket_no_show: {
      subject: 'Nombor {{ticket_number}} dilangkau',
      body: 'Nombor {{ticket_number}} dilangkau kerana anda tiada semasa dipanggil. Sila ambil nombor baharu di {{branch_name}}.\nHenti terima mesej: {{optout_link}}',
    },
    ticket_cancelled: {
      subject: 'Nombor {{ticket_number}} dibatalkan',
      body: 'Nombor giliran {{ticket_number}} di {{branch_name}} telah dibatalkan.\nHenti terima mesej: {{optout_link}}',
    },
    test_message: {
      subject: 'Mesej ujian daripada {{tenant_name}}',
      body: 'Mesej ujian daripada {{tenant_name}} melalui Loket. Jika mesej ini sampai, saluran sedia digunakan.',
    },
    opt_out_confirmed: {
      subject: 'Anda berhenti melanggan mesej {{tenant_name}}',
      body: 'Anda tidak akan menerima mesej lagi daripada {{tenant_name}} di nombor ini. Balas START atau MULAI pada bila-bila masa untuk menerimanya semula.',
    },
    opt_in_confirmed: {
      subject: 'Anda melanggan semula mesej {{tenant_name}}',
      body: 'Anda akan menerima mesej daripada {{tenant_name}} semula di nombor ini. Balas STOP atau BERHENTI pada bila-bila masa untuk berhenti.',
    },
    booking_confirmed: {
      subject: 'Tempahan {{booking_code}} disahkan',
      body: 'Tempahan anda {{booking_code}} disahkan: {{service_name}}, {{booking_date}} pukul {{booking_time}} di {{branch_name}} ({{resource_name}}). Tunjukkan kod QR di {{link}} semasa tiba.\nHenti terima mesej: {{optout_link}}',
    },
    booking_payment_due: {
      subject: 'Lengkapkan bayaran tempahan {{booking_code}}',
      body: 'Tempahan {{booking_code}} ({{service_name}}, {{booking_date}} pukul {{booking_time}}) menunggu bayaran. Bayar di {{pay_link}} sebelum tarikh akhir, atau tempat anda dilepaskan.\nHenti terima mesej: {{optout_link}}',
    },
    booking_reminder_day: {
      subject: 'Esok: {{service_name}} pukul {{booking_time}}',
      body: 'Peringatan: esok {{booking_date}} pukul {{booking_time}} anda ada {{service_name}} di {{branch_name}}. Butiran dan kod QR: {{link}}\nHenti terima mesej: {{optout_link}}',
    },
    booking_reminder_hour: {
      subject: 'Sejam lagi: {{service_name}}',
      body: 'Sejam lagi, pukul {{booking_time}}: {{service_name}} di {{branch_name}}. Sila datang tepat pada masanya. {{link}}\nHenti terima mesej: {{optout_link}}',
    },
    booking_cancelled: {
      subject: 'Tempahan {{booking_code}} dibatalkan',
      body: 'Tempahan {{booking_code}} ({{service_name}}, {{booking_date}} pukul {{booking_time}}) telah dibatalkan.\nHenti terima mesej: {{optout_link}}',
    },
    booking_expired: {
      subject: 'Tempahan {{booking_code}} luput',
      body: 'Tempahan {{booking_code}} ({{service_name}}, {{booking_date}} pukul {{booking_time}}) telah luput: tidak dibayar tepat pada masanya atau ketibaan melepasi had toleransi.\nHenti terima mesej: {{optout_link}}',
    },
    customer_registered: {
      subject: 'Terima kasih, {{customer_name}}, anda telah berdaftar',
      body: 'Helo {{customer_name}}, butiran anda telah direkodkan oleh {{tenant_name}}.\nAlamat: {{customer_address}}\nHantar format yang sama sekali lagi untuk mengubahnya.',
    },
    customer_registration_help: {
      subject: 'Format pendaftaran belum tepat',
      body: 'Maaf, kami tidak dapat membaca pendaftaran anda. Sila hantar dengan format:\n{{format}}\nContoh: {{example}}',
    },
    job_scheduled: {
      subject: 'Juruteknik {{tenant_name}} akan datang pada {{visit_date}}',
      body: 'Helo {{customer_name}}, juruteknik kami {{technicians}} akan datang pada {{visit_date}} untuk {{job_title}} (kod {{job_code}}).\nBerhenti menerima mesej: {{optout_link}}',
    },
    job_done: {
      subject: 'Lawatan {{job_code}} selesai',
      body: 'Helo {{customer_name}}, lawatan {{job_title}} (kod {{job_code}}) telah selesai. Terima kasih kerana memilih {{tenant_name}}.\nBerhenti menerima mesej: {{optout_link}}',
    },
    job_place_reopened: {
      subject: 'Pengganti diperlukan: {{job_title}}',
      body: 'Helo {{staff_name}}, satu tempat dalam kerja {{job_code}} ({{job_title}}, {{job_address}}, {{visit_date}}) dibuka semula: {{reason}}. Ambil di pool: {{link}}',
    },
    job_extension_requested: {
      subject: 'Permohonan tambah hari: {{job_code}}',
      body: 'Helo {{staff_name}}, {{technician}} memohon tambah {{days}} hari untuk {{job_code}} ({{job_title}}): {{reason}}. Putuskan di {{link}}',
    },
    job_extension_approved: {
      subject: 'Tambah hari diluluskan: {{job_code}}',
      body: 'Helo {{staff_name}}, tambahan {{days}} hari untuk {{job_code}} ({{job_title}}) diluluskan. Tarikh tamat kini {{planned_end}}. {{note}} {{link}}',
    },
    job_extension_rejected: {
      subject: 'Tambah hari ditolak: {{job_code}}',
      body: 'Helo {{staff_name}}, permohonan tambah {{days}} hari untuk {{job_code}} ({{job_title}}) ditolak. {{note}} {{link}}',
    },
    lead_prompt: {
      subject: '{{tenant_name}}',
      body: '{{question}}',
    },
    inbox_reply: {
      subject: '{{tenant_name}}',
      body: '{{text}}',
    },
    inbox_sla_breached: {
      subject: 'SLA terlepas: {{subject}}',
      body: 'Hai {{staff_name}}, sasaran {{clock}} untuk {{subject}} terlepas ({{due}}). Buka perbualan: {{link}}',
    },
    renewal_reminder: {
      subject: 'Perbaharui langganan {{outlet_name}}',
      body: 'Helo {{outlet_name}} ({{fid}}/{{oid}}), langganan {{tenant_name}} anda tamat pada {{expires_on}} ({{when}}). Balas mesej ini untuk memperbaharui atau bertanya.\nBerhenti menerima mesej: {{optout_link}}',
    },
    inbox_weekly_summary: {
      subject: 'Ringkasan peti masuk {{week}}: {{tenant_name}}',
      body: 'Hai {{staff_name}}, peti masuk WhatsApp anda dari {{from}} hingga {{to}}: {{opened}} tiket dibuka, {{resolved}} diselesaikan, median respons pertama {{frt_median}} minit, median penyelesaian {{art_median}} minit, {{breached}} terlepas SLA, purata CSAT {{csat_average}}. Lihat papan pemuka: {{link}}',
    },
    queue_weekly_summary: {
      subject: 'Ringkasan giliran {{week}}: {{tenant_name}}',
      body: 'Hai {{staff_name}}, giliran anda dari {{from}} hingga {{to}}: {{taken}} nombor diambil ({{taken_change}} berbanding minggu sebelumnya), {{served}} dilayan, median menunggu {{median_wait}} minit (90% dalam {{p90_wait}} minit), {{sla}} dilayan dalam sasaran, {{no_show_rate}} tidak hadir, jam paling sibuk {{busiest_hour}}. Lihat analitik: {{link}}',
    },
    invoice_sent: {
      subject: 'Invois {{invoice_number}} daripada {{tenant_name}}',
      body: 'Helo {{customer_name}}, invois {{invoice_number}} berjumlah {{total}} perlu dibayar sebelum {{due_date}}. Lihat dan muat turun PDF: {{link}}\nBerhenti menerima mesej: {{optout_link}}',
    },
    rating_request: {
      subject: 'Bagaimana perkhidmatan {{tenant_name}}?',
      body: 'Terima kasih kerana berkunjung ke {{tenant_name}} ({{subject}}). Nilaikan perkhidmatan kami dengan satu sentuhan: {{link}}\nBerhenti menerima mesej: {{optout_link}}',
    },
    rating_low: {
      subject: 'Penilaian rendah: {{score}} bintang untuk {{subject}}',
      body: 'Helo {{staff_name}}, pelanggan memberi {{score}} bintang untuk {{subject}}: "{{comment}}". Susuli: {{link}}',
    },
    queue_menu: {
      subject: 'Pilih perkhidmatan di {{branch_name}}',
      body: 'Ambil nombor giliran di {{branch_name}}. Balas dengan nombor perkhidmatan yang anda pilih:\n{{menu}}',
    },
    queue_unavailable: {
      subject: 'Giliran di {{branch_name}}',
      body: '{{branch_name}}: {{reason}}',
    },
    queue_which_branch: {
      subject: 'Cawangan yang mana?',
      body: 'Di cawangan mana anda mahu mengambil nombor giliran? Hantar salah satu mesej ini:\n{{branches}}',
    },
    queue_ticket_held: {
      subject: 'Nombor giliran anda {{ticket_number}}',
      body: 'Anda sudah memegang nombor {{ticket_number}} ({{service_name}}) di {{branch_name}}. {{ahead}} giliran sebelum anda. Ikuti giliran anda: {{link}}\nBalas BATAL untuk membatalkannya.',
    },
    queue_nothing_to_cancel: {
      subject: 'Tiada nombor untuk dibatalkan',
      body: 'Anda tidak memegang nombor giliran di {{tenant_name}} yang boleh dibatalkan. Hantar GILIRAN untuk mengambil nombor.',
    },
  },
}
