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
  },
}
