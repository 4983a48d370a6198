import { test } from '@japa/runner'
import { readFile, readdir } from 'node:fs/promises'
import { relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import app from '@adonisjs/core/services/app'
import { sourceFiles } from '#tests/helpers/source'

/** Where each `#alias/` import points (package.json "imports"). */
const ALIASES: Record<string, string> = {
  '#controllers/': 'app/controllers/',
  '#exceptions/': 'app/exceptions/',
  '#models/': 'app/models/',
  '#enums/': 'app/enums/',
  '#services/': 'app/services/',
  '#http/': 'app/http/',
  '#support/': 'app/support/',
  '#middleware/': 'app/middleware/',
  '#validators/': 'app/validators/',
  '#policies/': 'app/policies/',
  '#abilities/': 'app/abilities/',
  '#jobs/': 'app/jobs/',
  '#channels/': 'app/channels/',
}

/** Each file of app/ with the files of app/ it imports at run time (type-only imports are erased). */
async function importGraph() {
  const graph = new Map<string, string[]>()
  for (const file of await sourceFiles(app.makePath('app'))) {
    const source = await readFile(file, 'utf8')
    const targets: string[] = []
    for (const [, specifier] of source.matchAll(
      /^\s*import (?!type )(?:[^'"]*from )?'(#[^']+)'/gm
    )) {
      const alias = Object.keys(ALIASES).find((prefix) => specifier.startsWith(prefix))
      if (alias) targets.push(`${ALIASES[alias]}${specifier.slice(alias.length)}.ts`)
    }
    graph.set(relative(app.makePath(), file), targets)
  }
  return graph
}

test.group('Architecture', () => {
  test('every model with a tenant_id column is composed with TenantOwned (forTenant, findForTenantOrFail)', async ({
    assert,
  }) => {
    const unscoped: string[] = []
    let scoped = 0
    for (const file of await readdir(app.makePath('app/models'))) {
      if (!file.endsWith('.ts') || file === 'columns.ts') continue
      const { default: model } = await import(pathToFileURL(app.makePath('app/models', file)).href)
      if (!model?.$columnsDefinitions) continue
      model.boot()
      if (!model.$columnsDefinitions.has('tenantId')) continue
      if (
        model.tenantOwned === true &&
        typeof model.forTenant === 'function' &&
        typeof model.findForTenantOrFail === 'function'
      )
        scoped++
      else unscoped.push(file)
    }
    assert.deepEqual(unscoped, [])
    assert.isAbove(scoped, 20)
  })

  test('models sit at the bottom: nothing in app/models imports a service', async ({ assert }) => {
    const offenders: string[] = []
    for (const file of await sourceFiles(app.makePath('app/models'))) {
      if (/from '#services\//.test(await readFile(file, 'utf8')))
        offenders.push(relative(app.makePath(), file))
    }
    assert.deepEqual(offenders, [])
  })

  test('no import cycle in app/', async ({ assert }) => {
    const graph = await importGraph()
    const cycles: string[][] = []
    const state = new Map<string, 'visiting' | 'done'>()
    const path: string[] = []
    const visit = (file: string) => {
      state.set(file, 'visiting')
      path.push(file)
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'visiting') cycles.push([...path.slice(path.indexOf(next)), next])
        else if (!state.has(next) && graph.has(next)) visit(next)
      }
      path.pop()
      state.set(file, 'done')
    }
    for (const file of graph.keys()) if (!state.has(file)) visit(file)
    assert.deepEqual(
      cycles.map((cycle) => cycle.join(' -> ')),
      []
    )
  })
})
