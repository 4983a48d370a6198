/**
 * Where Loket keeps a person's data (a customer, a visitor, a WhatsApp contact, a lead), how one
 * person's rows are found, and what erasing them writes instead. Staff and the business's own
 * records are not personal data here: they are listed in NOT_PERSONAL with the reason, and
 * tests/integration/personal_data_coverage.spec.ts fails when a column whose name looks personal
 * (phone, name, email, address, comment, body, note, recipient, caption, ip) is in neither list.
 *
 * Erasing keeps every row (counts, durations, scores and money stay for the reports): only the
 * columns below change, to the value of their rule.
 */

/** What an erased column becomes. */
export type Rule =
  /** A name: "Dihapus" (a null stays null). */
  | 'name'
  /** Free text: "[dihapus]" (a null stays null). */
  | 'text'
  /** JSON: `{}` (a null stays null). */
  | 'json'
  /** Null. */
  | 'null'
  /** A stored file's key: the file is deleted from the drive once the erasure commits; the key becomes null. */
  | 'media'
  /** A required, unique value (a phone that identifies the row): `dihapus:<row id>`. */
  | 'placeholder'

export const ERASED_NAME = 'Dihapus'
export const ERASED_TEXT = '[dihapus]'
export const ERASED_JSON = '{}'
export const PLACEHOLDER_PREFIX = 'dihapus:'

/** How rows of a table are found for one person. */
export type Finder =
  /** The column holds the person's phone number (E.164). */
  | { phone: string }
  /** The column holds the person's email address (compared in lower case). */
  | { email: string }
  /**
   * Rows whose `column` holds the id of a row of `parent` found before (the map is in order:
   * parents first). `type` limits it to rows whose `typeColumn` names that kind (ratings and
   * audit entries point at their subject by type and id).
   */
  | { parent: string; column: string; type?: { column: string; value: string } }

/** The kinds of data the retention settings age out, each with its own number of days. */
export const RETENTION_KINDS = [
  'tickets',
  'bookings',
  'conversations',
  'notifications',
  'ratings',
  'leads',
] as const
export type RetentionKind = (typeof RETENTION_KINDS)[number]

export interface PersonalTable {
  table: string
  /** The primary key. */
  key: string
  find: Finder[]
  /** The personal columns and their rule. */
  columns: Record<string, Rule>
  /** Columns shown beside the personal ones in an export (what the row is, when). */
  context: string[]
  /** The table has `anonymized_at` (0022): set when its row is erased or aged out. */
  marker?: boolean
  /** Aged out under this retention kind: as the kind's root when `retention` is set, else with its parent. */
  kind?: RetentionKind
  /** For a root of a retention kind: the moment a row's age is counted from. */
  retention?: { column: string }
  /** The table belongs to a module that may be absent from a database (it is skipped then). */
  optional?: boolean
}

const subject = (parent: string, value: string, column = 'subject_id') => ({
  parent,
  column,
  type: { column: 'subject_type', value },
})

/** In order: a table's parents come before it. */
export const PERSONAL_DATA: PersonalTable[] = [
  {
    table: 'contacts',
    key: 'id',
    find: [{ phone: 'phone' }],
    columns: { phone: 'placeholder', display_name: 'name' },
    context: ['last_inbound_at', 'created_at'],
    marker: true,
    kind: 'conversations',
    // A contact's row changes with each of their messages: aged from their last.
    retention: { column: 'updated_at' },
  },
  {
    table: 'conversations',
    key: 'id',
    find: [{ parent: 'contacts', column: 'contact_id' }],
    // Holds no personal column itself: it leads to the messages, ratings and notes of the person.
    columns: {},
    context: ['kind', 'status', 'category', 'created_at', 'last_message_at'],
    marker: true,
    kind: 'conversations',
    retention: { column: 'last_message_at' },
  },
  {
    table: 'conversation_messages',
    key: 'id',
    find: [{ parent: 'conversations', column: 'conversation_id' }],
    columns: { body: 'text', media_path: 'media', media_name: 'null', media_id: 'null' },
    context: ['conversation_id', 'direction', 'kind', 'media_type', 'created_at'],
    kind: 'conversations',
  },
  {
    table: 'tickets',
    key: 'id',
    find: [{ phone: 'customer_phone' }],
    // api_fingerprint: a hash over the API request that took it, phone and name included.
    columns: {
      customer_name: 'name',
      customer_phone: 'null',
      note: 'null',
      api_fingerprint: 'null',
    },
    context: ['number', 'status', 'service_date', 'created_at'],
    marker: true,
    kind: 'tickets',
    retention: { column: 'created_at' },
  },
  {
    table: 'ticket_events',
    key: 'id',
    find: [{ parent: 'tickets', column: 'ticket_id' }],
    columns: { note: 'null' },
    context: ['ticket_id', 'type', 'created_at'],
    kind: 'tickets',
  },
  {
    table: 'bookings',
    key: 'id',
    find: [{ phone: 'customer_phone' }, { email: 'customer_email' }],
    columns: {
      customer_name: 'name',
      customer_phone: 'null',
      customer_email: 'null',
      note: 'null',
    },
    context: ['code', 'status', 'starts_at', 'created_at'],
    marker: true,
    kind: 'bookings',
    retention: { column: 'created_at' },
  },
  {
    table: 'customers',
    key: 'id',
    find: [{ phone: 'phone' }],
    columns: { name: 'name', phone: 'null', address: 'null', notes: 'null' },
    context: ['status', 'source', 'created_at'],
  },
  {
    table: 'jobs',
    key: 'id',
    find: [{ parent: 'customers', column: 'customer_id' }],
    columns: { address: 'text', description: 'null' },
    context: ['code', 'title', 'status', 'created_at'],
  },
  {
    table: 'job_photos',
    key: 'id',
    find: [{ parent: 'jobs', column: 'job_id' }],
    // The pictures show the work done (kept as the business's proof of it); the caption may name people.
    columns: { caption: 'null' },
    context: ['job_id', 'created_at'],
  },
  {
    table: 'invoices',
    key: 'id',
    find: [
      { phone: 'bill_to_phone' },
      { email: 'bill_to_email' },
      { parent: 'customers', column: 'customer_id' },
    ],
    columns: {
      bill_to_name: 'name',
      bill_to_phone: 'null',
      bill_to_email: 'null',
      bill_to_address: 'null',
      notes: 'null',
    },
    context: ['number', 'status', 'total', 'currency', 'issued_on', 'created_at'],
  },
  {
    table: 'payments',
    key: 'id',
    find: [
      { parent: 'bookings', column: 'booking_id' },
      { parent: 'invoices', column: 'invoice_id' },
    ],
    // No personal column: it leads to what the gateway sent about the payer.
    columns: {},
    context: ['provider', 'status', 'amount', 'currency', 'created_at'],
  },
  {
    table: 'payment_notifications',
    key: 'id',
    find: [{ parent: 'payments', column: 'payment_id' }],
    // The gateway's raw notification may carry the payer's name, email and phone.
    columns: { raw: 'json' },
    context: ['payment_id', 'status', 'outcome', 'created_at'],
  },
  {
    table: 'ratings',
    key: 'id',
    find: [
      { phone: 'recipient' },
      { email: 'recipient' },
      subject('tickets', 'ticket'),
      subject('bookings', 'booking'),
      subject('conversations', 'conversation'),
      subject('jobs', 'job'),
    ],
    columns: { recipient: 'null', comment: 'text' },
    context: ['subject_type', 'label', 'score', 'answered_at', 'created_at'],
    marker: true,
    kind: 'ratings',
    retention: { column: 'created_at' },
  },
  {
    table: 'notifications',
    key: 'id',
    find: [{ phone: 'recipient' }, { email: 'recipient' }],
    columns: { recipient: 'text', subject: 'null', body: 'text', variables: 'json' },
    context: ['event', 'channel', 'status', 'created_at'],
    marker: true,
    kind: 'notifications',
    retention: { column: 'created_at' },
  },
  {
    table: 'opt_outs',
    key: 'id',
    find: [{ phone: 'recipient' }, { email: 'recipient' }],
    columns: { recipient: 'placeholder' },
    context: ['channel', 'source', 'created_at'],
  },
  {
    table: 'whatsapp_queue_menus',
    key: 'id',
    find: [{ phone: 'phone' }],
    columns: { phone: 'placeholder' },
    context: ['locale', 'created_at'],
  },
  {
    table: 'consents',
    key: 'id',
    find: [{ phone: 'phone' }, { email: 'email' }],
    columns: { phone: 'null', email: 'null' },
    context: ['channel', 'status', 'source', 'at'],
  },
  {
    table: 'leads',
    key: 'id',
    find: [
      { phone: 'phone' },
      { email: 'email' },
      { parent: 'contacts', column: 'contact_id' },
      { parent: 'conversations', column: 'conversation_id' },
    ],
    columns: {
      name: 'name',
      business: 'null',
      phone: 'placeholder',
      email: 'null',
      interest: 'text',
      notes: 'null',
      next_step: 'null',
      lost_reason: 'null',
    },
    context: ['source', 'status', 'created_at'],
    kind: 'leads',
    retention: { column: 'created_at' },
    optional: true,
  },
  {
    table: 'lead_events',
    key: 'id',
    find: [{ parent: 'leads', column: 'lead_id' }],
    columns: { note: 'null' },
    context: ['lead_id', 'to_status', 'created_at'],
    kind: 'leads',
    optional: true,
  },
  {
    table: 'renewal_attempts',
    key: 'id',
    find: [{ parent: 'conversations', column: 'conversation_id' }],
    // A call or note the renewal team logged on the person's conversation.
    columns: { note: 'null' },
    context: ['step', 'result', 'created_at'],
    optional: true,
  },
  {
    table: 'audit_logs',
    key: 'id',
    find: [
      subject('customers', 'customer'),
      subject('conversations', 'conversation'),
      subject('invoices', 'invoice'),
      subject('ratings', 'rating'),
      subject('leads', 'lead'),
    ],
    // What a change to the person's record wrote (a customer's name and phone when created).
    columns: { changes: 'null' },
    context: ['action', 'subject_type', 'created_at'],
  },
]

/**
 * Columns that look personal by their name but hold staff's or the business's own data, or no
 * person's at all: `table.column` and why.
 */
export const NOT_PERSONAL: Record<string, string> = {
  'adonis_schema.name': 'migration file names',
  'scheduled_runs.name': 'scheduler job names',
  'analytics_cursors.name': 'names of the analytics rollups',
  'tenants.name': "the business's name",
  'branches.name': "the business's branch",
  'branches.address': "the branch's address (a place of business)",
  'services.name': 'a service the business offers',
  'services.name_en': 'a service the business offers',
  'services.name_ms': 'a service the business offers',
  'counters.name': 'a counter',
  'areas.name': 'an area of a branch',
  'devices.name': 'a TV, kiosk or booth device',
  'holidays.name': "the branch's holiday",
  'resources.name': 'a bookable resource (booth, room, chair, doctor: staff)',
  'api_keys.name': 'a label staff gave an API key',
  'api_idempotency.body':
    'the replay of a REST answer, per API key, for the client that asked it: not a person’s record (see README limits)',
  'message_templates.body': "the business's own wording of a message",
  'canned_replies.body': "staff's canned replies",
  'users.full_name': 'staff',
  'users.email': 'staff',
  'users.phone': 'staff',
  'user_sessions.ip': "staff's sessions",
  'audit_logs.ip': 'the address of the staff member who acted',
  'job_extensions.decision_note': "a manager's note on a technician's request",
  'outlets.name': "a merchant's outlet (a business, synced from its POS)",
  'outlets.address': "a merchant's outlet (a place of business)",
  'outlets.phone': "a merchant's outlet's business number",
  'sqlite_sequence.name': "SQLite's own bookkeeping",
}

/** Column names that look like they hold a person's data. */
export const PERSONAL_LOOKING =
  /(^|_)(phone|phones|name|names|email|emails|address|comment|comments|body|note|notes|recipient|recipients|caption|ip)(_|$)/

/** `table.column` of every column the map covers. */
export function coveredColumns(map: PersonalTable[] = PERSONAL_DATA) {
  const covered = new Set<string>()
  for (const entry of map) {
    for (const column of Object.keys(entry.columns)) covered.add(`${entry.table}.${column}`)
    for (const finder of entry.find) {
      if ('phone' in finder) covered.add(`${entry.table}.${finder.phone}`)
      if ('email' in finder) covered.add(`${entry.table}.${finder.email}`)
    }
  }
  return covered
}

/**
 * The columns of `schema` (table -> column names) that look personal and are neither covered by
 * the map nor listed as not personal.
 */
export function uncoveredColumns(
  schema: Record<string, string[]>,
  map: PersonalTable[] = PERSONAL_DATA,
  notPersonal: Record<string, string> = NOT_PERSONAL
) {
  const covered = coveredColumns(map)
  const missing: string[] = []
  for (const [table, columns] of Object.entries(schema)) {
    for (const column of columns) {
      const name = `${table}.${column}`
      if (!PERSONAL_LOOKING.test(column.toLowerCase())) continue
      if (!covered.has(name) && !(name in notPersonal)) missing.push(name)
    }
  }
  return missing.sort()
}

/** The entries of one retention kind, its roots (with `retention`) first in map order. */
export function entriesOf(kind: RetentionKind, map: PersonalTable[] = PERSONAL_DATA) {
  return map.filter((entry) => entry.kind === kind)
}
