import jobs, { type JobFilter } from '#support/jobs'

/** Polls `check` until it holds (true) or `timeoutMs` passes (false): for what happens on another task or process. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const started = Date.now()
  while (Date.now() - started < timeoutMs) {
    if (await check()) return true
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return false
}

/**
 * Waits until no job (of those `matching`) is waiting, running or due for a retry, on either job
 * driver: what a test asserts after this will not be changed by a late attempt. Replaces "sleep a
 * while and hope nothing else happens".
 */
export async function jobsSettled(matching?: JobFilter, timeoutMs = 20_000) {
  const settled = await eventually(async () => {
    await jobs.idle()
    return (await jobs.pending(matching)) === 0
  }, timeoutMs)
  if (!settled) throw new Error(`jobs still pending after ${timeoutMs} ms`)
}
