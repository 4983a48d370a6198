import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import { sourceFiles } from '#tests/helpers/source'
import i18nManager from '@adonisjs/i18n/services/main'
import AuditWording, {
  AUDIT_SUBJECTS,
  GENERIC_VERBS,
  SPECIFIC_ACTIONS,
  TICKET_ACTIONS,
} from '#services/platform/audit_wording'

const LOCALES = ['id', 'en', 'ms']

/**
 * Every audit action the code can record, read from the source: dotted `action: '...'` strings,
 * `action: \`outbox.${...}\`` templates, dotted literals handed to a helper (`'webhook_delivery.dropped'`),
 * the `{ action: '...' }` options of Configuration with the subject of their call, and each
 * configuration subject with the generic created/updated/deleted.
 */
async function recordedActions() {
  const actions = new Set<string>(TICKET_ACTIONS)
  const subjects = new Set<string>()
  const prefixes = new Set<string>([...AUDIT_SUBJECTS, 'queue', 'outbox', 'booking'])
  for (const file of await sourceFiles(app.makePath('app'))) {
    if (file.endsWith('audit_wording.ts') || file.endsWith('openapi.ts')) continue
    const source = await readFile(file, 'utf8')
    if (!/auditTrail|configuration\.|Configuration/.test(source)) continue

    for (const match of source.matchAll(/(?:scopeOf\(ctx, |subject: )'([a-z_]+)'/g))
      subjects.add(match[1])
    for (const match of source.matchAll(/'([a-z_]+)\.([a-z_]+)'/g))
      if (prefixes.has(match[1])) actions.add(`${match[1]}.${match[2]}`)
    for (const match of source.matchAll(/action: `([a-z_]+)\.\$\{([^`]*)\}`/g))
      // The outcomes of the template's choice (`x ? 'retried' : 'dropped'`), not what it tests.
      for (const word of match[2].matchAll(/[?:]\s*'([a-z_]+)'/g))
        actions.add(`${match[1]}.${word[1]}`)
    // `{ action: 'logo_updated' }`, `{ action: x ? 'deactivated' : 'activated' }`: the verb of
    // the subject named last before it (the scope of the same Configuration call).
    for (const match of source.matchAll(/action: ([^\n]*?'[a-z_]+'[^\n]*)/g)) {
      const words = [...match[1].matchAll(/'([a-z_.]+)'/g)].map((word) => word[1])
      if (words.some((word) => word.includes('.'))) continue
      const before = source.slice(0, match.index)
      const scopes = [...before.matchAll(/(?:scopeOf\(ctx, |subject: )'([a-z_]+)'/g)]
      const subject = scopes.at(-1)?.[1]
      if (!subject) continue
      for (const word of words) actions.add(`${subject}.${word}`)
    }
  }
  for (const subject of subjects)
    for (const verb of GENERIC_VERBS) actions.add(`${subject}.${verb}`)
  return { actions, subjects }
}

/** Whether `action` has a sentence in `locale`'s own file (no falling back to Indonesian). */
function hasSentence(messages: Record<string, string>, action: string) {
  if (messages[`audit.actions.${action}`]) return true
  const [subject, verb] = action.split('.')
  return (
    (GENERIC_VERBS as readonly string[]).includes(verb) &&
    Boolean(messages[`audit.subjects.${subject}`]) &&
    Boolean(messages[`audit.generic.${verb}`])
  )
}

test.group('Audit wording', (group) => {
  group.setup(() => i18nManager.loadTranslations())

  test('every action the code records has a sentence in Indonesian, English and Malay', async ({
    assert,
  }) => {
    const { actions, subjects } = await recordedActions()
    // The scan itself must see the code: these are recorded in three different ways.
    for (const known of [
      'ticket.called',
      'service.created',
      'tenant.logo_updated',
      'outbox.dropped',
    ])
      assert.include([...actions], known)
    for (const action of SPECIFIC_ACTIONS) assert.include([...actions], action)
    assert.includeMembers([...AUDIT_SUBJECTS], [...subjects])

    for (const locale of LOCALES) {
      const messages = i18nManager.getTranslationsFor(locale)
      const missing = [...actions].filter((action) => !hasSentence(messages, action))
      assert.deepEqual(missing, [], `audit sentences missing in ${locale}`)
    }
    assert.isFalse(hasSentence(i18nManager.getTranslationsFor('en'), 'service.frobbed'))
  })

  test('words a ticket call and a configuration change as sentences', ({ assert }) => {
    const names = new Map([['service', new Map([['7', 'Umum']])]])
    const id = new AuditWording(i18nManager.locale('id'), names)
    const call = id.describe({
      kind: 'ticket',
      type: 'called',
      userName: 'Budi',
      number: 'A012',
      counterName: 'Loket 1',
      fromStatus: 'waiting',
      toStatus: 'called',
      note: null,
      data: null,
    })
    assert.equal(call.sentence, 'Budi memanggil A012 ke Loket 1')
    assert.deepEqual(call.details, ['Menunggu → Dipanggil'])

    const change = {
      kind: 'config' as const,
      action: 'service.updated',
      userName: 'Sari',
      subjectType: 'service',
      subjectId: '7',
      changes: { name: ['Umum', 'Poli Umum'], durationMinutes: [15, 20], isActive: [true, false] },
    }
    const updated = id.describe(change)
    assert.equal(updated.sentence, 'Sari mengubah layanan Umum: nama, durasi, aktif')
    assert.deepEqual(updated.details, [
      'nama: Umum → Poli Umum',
      'durasi: 15 → 20',
      'aktif: Ya → Tidak',
    ])

    const en = new AuditWording(i18nManager.locale('en'), names).describe(change)
    assert.equal(en.sentence, 'Sari changed service Umum: name, duration, active')
    const ms = new AuditWording(i18nManager.locale('ms'), names).describe(change)
    assert.equal(ms.sentence, 'Sari mengubah perkhidmatan Umum: nama, tempoh, aktif')
  })
})
