import { test } from '@japa/runner'
import { createWorld } from '#tests/helpers/world'

test.group('Metrics', () => {
  test('/metrics counts and times requests per route pattern and shows the process, the database pool and the outbox', async ({
    client,
    assert,
  }) => {
    const world = await createWorld()
    ;(await client.get('/livez')).assertStatus(200)
    ;(await client.get(`/b/${world.branch.slug}`)).assertStatus(200)
    ;(await client.get('/no-such-page-here')).assertStatus(404)

    const text = (await client.get('/metrics')).text()
    assert.match(
      text,
      /^loket_http_requests_total\{method="GET",route="\/livez",status="200"\} \d+$/m
    )
    // The pattern, never the slug: one series per route however many branches there are.
    assert.match(
      text,
      /^loket_http_requests_total\{method="GET",route="\/b\/:slug",status="200"\} \d+$/m
    )
    assert.notInclude(text, world.branch.slug)
    assert.match(
      text,
      /^loket_http_requests_total\{method="GET",route="unmatched",status="404"\} \d+$/m
    )
    assert.match(
      text,
      /^loket_http_request_duration_seconds_bucket\{le="0.5",method="GET",route="\/livez"\} \d+$/m
    )
    assert.match(text, /^loket_nodejs_eventloop_lag_seconds [\d.e-]+$/m)
    assert.match(text, /^loket_process_resident_memory_bytes \d+$/m)
    assert.match(text, /^loket_db_pool_connections\{state="used"\} \d+$/m)
    assert.match(text, /^loket_outbox_rows\{kind="notification",status="queued"\} \d+$/m)
    assert.match(text, /^loket_outbox_oldest_pending_seconds\{kind="webhook"\} \d+$/m)
  })
})
