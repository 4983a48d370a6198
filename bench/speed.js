/*
| npm run bench:speed — issue 17's table in one run: builds Loket once, then runs bench:tickets,
| bench:api, bench:call-display, bench:outbox and bench:memory one after another (each with its own
| database and Redis prefix), reads their result files and prints every figure next to its goal,
| with the machine's load average and CPU steal during each bench. About 15 minutes on 2 cores.
*/
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { RUN_ID, prepareBuild, root, saveResult } from './common.js'

const BENCHES = ['tickets', 'api', 'call-display', 'outbox', 'memory']

/** Runs `bench/<name>.js` on the build made above; returns its result file's contents. */
function run(name) {
  const runId = `${RUN_ID}${name.replace('-', '').slice(0, 4)}`
  console.log(`\n=== bench:${name} (${new Date().toISOString()})`)
  const result = spawnSync(process.execPath, [join('bench', `${name.replace('-', '_')}.js`)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, BENCH_SKIP_BUILD: '1', BENCH_RUN_ID: runId },
  })
  if (result.status !== 0) throw new Error(`bench:${name} failed (exit ${result.status})`)
  return JSON.parse(readFileSync(join(root, 'bench', 'results', `${name}-${runId}.json`), 'utf8'))
}

const ms = (value) => `${value.toFixed(1)} ms`
const perSecond = (value) => `${Math.round(value)} /s`
const percent = (value) => `${Math.round(value * 100)}%`
const verdict = (met) => (met ? 'met' : 'NOT met')
const machineOf = (result) =>
  `load ${result.machine.loadAverage.join(' / ')}, steal ${result.machine.cpuStealPercent ?? '?'}%`

async function main() {
  console.log('building Loket…')
  prepareBuild()
  const results = Object.fromEntries(BENCHES.map((name) => [name, run(name)]))
  const { tickets, api, outbox, memory } = results
  const fifty = tickets.results['50 services']
  const overload = tickets.results.overload
  const apiFifty = api.results['50 services']
  const tv = results['call-display'].results
  const enqueue = outbox.results.enqueue[outbox.results.rates[0]]

  const rows = [
    {
      figure: 'take a number, max, 50 services, 1 process',
      loket: perSecond(fifty.loket1.rps),
      reference: `baseline ${perSecond(fifty.baseline.rps)}`,
      now: percent(fifty.loket1Ratio),
      goal: `>= 60%: ${verdict(fifty.loket1Ratio >= 0.6)}`,
      machine: machineOf(tickets),
    },
    ...(fifty.loket2
      ? [
          {
            figure: 'take a number, max, 50 services, 2 processes',
            loket: perSecond(fifty.loket2.rps),
            reference: 'the same baseline',
            now: percent(fifty.loket2Ratio),
            goal: `>= 75%: ${verdict(fifty.loket2Ratio >= 0.75)}`,
            machine: machineOf(tickets),
          },
        ]
      : []),
    {
      figure: 'take a number at 300 /s offered, 50 services',
      loket: `p95 ${ms(fifty.steady300.p95)}`,
      reference: '',
      now: '',
      goal: `p95 <= 10 ms: ${verdict(fifty.steady300.p95 <= 10)}`,
      machine: machineOf(tickets),
    },
    {
      figure: 'take a number at 600 /s offered, 50 services',
      loket: `p95 ${ms(fifty.steady600.p95)}`,
      reference: '',
      now: '',
      goal: `p95 <= 10 ms: ${verdict(fifty.steady600.p95 <= 10)}`,
      machine: machineOf(tickets),
    },
    {
      figure: 'REST POST /api/v1/tickets, 50 services',
      loket: perSecond(apiFifty.api.rps),
      reference: `the form ${perSecond(apiFifty.form.rps)} in the same run`,
      now:
        `${percent(apiFifty.ratio)} (CPU a request ${percent(apiFifty.cpuRatio)} of the form's` +
        (apiFifty.databaseCpuRatio ? `, MariaDB's ${percent(apiFifty.databaseCpuRatio)})` : ')'),
      goal: `>= 90%: ${verdict(apiFifty.ratio >= 0.9)}`,
      machine: machineOf(api),
    },
    ...Object.entries(api.results)
      .filter(([, result]) => result.heldQueue)
      .map(([label, held]) => ({
        figure: `REST POST /api/v1/tickets, ${label}`,
        loket: perSecond(held.api.rps),
        reference: `the form ${perSecond(held.form.rps)}, queues held the same`,
        now:
          `${percent(held.ratio)} (CPU a request ${percent(held.cpuRatio)} of the form's` +
          (held.databaseCpuRatio ? `, MariaDB's ${percent(held.databaseCpuRatio)})` : ')'),
        goal: `>= 90%: ${verdict(held.ratio >= 0.9)}`,
        machine: machineOf(api),
      })),
    {
      figure: "operator's call -> number on the TV, headless Chromium",
      loket: `p50 ${ms(tv.p50)}, p95 ${ms(tv.p95)}`,
      reference: '',
      now: '',
      goal: `p95 <= 300 ms: ${verdict(tv.p95 <= 300)}`,
      machine: machineOf(results['call-display']),
    },
    {
      figure: `outbox rows enqueued inside the take's transaction, ${outbox.results.rates[0]} /s`,
      loket: `p50 ${ms(enqueue['0.5'])}, p95 ${ms(enqueue['0.95'])}`,
      reference: '',
      now: '',
      goal: `p95 <= 2 ms: ${verdict(enqueue['0.95'] <= 2)}`,
      machine: machineOf(outbox),
    },
    {
      figure: `server RSS, ${overload.offeredPerSecond} /s offered on 1 service`,
      loket: `${Math.round(overload.rssBeforeMb)} -> peak ${Math.round(overload.peakRssMb)} -> ${Math.round(overload.rssAfterIdleMb)} MB after 20 s`,
      reference: `${perSecond(overload.takenPerSecond)} taken`,
      now: '',
      goal: `<= 250 MB: ${verdict(overload.peakRssMb <= 250)}`,
      machine: machineOf(tickets),
    },
    {
      figure: `server RSS, ${memory.results.rate} /s offered on 1 service to a fresh process`,
      loket: `${Math.round(memory.results.idle.rssMb)} -> peak ${memory.results.peakRssMb} -> ${Math.round(memory.results.rested.rssMb)} MB after 30 s`,
      reference: `p95 ${ms(memory.results.overloaded.p95)}`,
      now: '',
      goal: `<= 250 MB: ${verdict(memory.results.peakRssMb <= 250)}; back down: ${verdict(memory.results.rested.rssMb <= memory.results.idle.rssMb * 1.2)}`,
      machine: machineOf(memory),
    },
  ]
  console.log(`\n=== issue 17's table, one run (${RUN_ID})`)
  console.table(rows)
  saveResult('speed', {
    rows,
    runs: Object.fromEntries(BENCHES.map((name) => [name, results[name].run])),
  })
  process.exit(0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
