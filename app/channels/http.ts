import { DeliveryError } from '#services/messaging/outbox'

/** How long a provider may take to answer one request before the attempt counts as failed (and is retried). */
export const PROVIDER_TIMEOUT_MS = 10_000

export interface ProviderResponse {
  status: number
  /** The answer parsed as JSON, or null when it was not JSON. */
  json: any
  text: string
}

/**
 * One HTTP request to a message provider with Node's fetch and a timeout. A request that never
 * got an answer (connection refused, DNS, TLS, timeout) is a retryable DeliveryError; any HTTP
 * answer, error statuses included, is returned for the driver to read.
 */
export async function providerRequest(
  provider: string,
  url: string,
  init: RequestInit
): Promise<ProviderResponse> {
  let response: Response
  let text: string
  try {
    response = await fetch(url, {
      ...init,
      redirect: 'error',
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    })
    text = await response.text()
  } catch (error) {
    const timedOut =
      (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError'
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    const detail = timedOut
      ? `no answer within ${PROVIDER_TIMEOUT_MS / 1000} s`
      : (cause?.code ?? cause?.message ?? (error as Error).message)
    throw new DeliveryError(`${provider}: ${detail}`, true, timedOut ? 'timeout' : 'network')
  }
  let json: any = null
  try {
    json = text ? JSON.parse(text) : null
  } catch {
    json = null
  }
  return { status: response.status, json, text }
}
