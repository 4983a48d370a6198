import type DomainError from '#exceptions/domain_error'

/** What `promise` rejected with (the services throw DomainErrors), or null when it fulfilled. */
export async function rejection(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    return error as DomainError
  }
  return null
}

/** What `promise` rejected with; throws (failing the test) when it fulfilled. */
export async function expectedRejection(promise: Promise<unknown>) {
  const error = await rejection(promise)
  if (error === null) throw new Error('expected a rejection')
  return error
}
