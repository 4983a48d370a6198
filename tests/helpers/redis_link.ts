import net from 'node:net'
import redis from '@adonisjs/redis/services/main'
import { redisConnection } from '#config/redis'

/** A TCP hop to Redis that a test can cut and restore, to play "Redis is down". */
export class RedisLink {
  #server: net.Server | null = null
  #sockets = new Set<net.Socket>()
  port = 0

  async up() {
    this.#server = net.createServer((client) => {
      const upstream = net.connect(redisConnection.port, redisConnection.host)
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket)
        socket.on('close', () => this.#sockets.delete(socket))
        socket.on('error', () => socket.destroy())
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve) => this.#server!.listen(this.port, '127.0.0.1', resolve))
    this.port = (this.#server!.address() as net.AddressInfo).port
  }

  async down() {
    for (const socket of this.#sockets) socket.destroy()
    await new Promise<void>((resolve) => this.#server!.close(() => resolve()))
    this.#server = null
  }
}

/**
 * Sends the app's own Redis connection (`main`: rate limits, live-screen versions) through `link`
 * until the returned function puts it back: cutting the link is then a real outage for the app.
 * The connection is not closed (the Redis manager would forget it and open a new one): its socket
 * is dropped and ioredis reconnects by itself, to the port it is told.
 */
export async function routeMainRedisThrough(link: RedisLink) {
  const connection = redis.connection('main').ioConnection
  const reconnectTo = async (port: number) => {
    connection.options.port = port
    connection.stream?.destroy()
    const started = Date.now()
    while (!(connection.status === 'ready' && connection.stream?.remotePort === port)) {
      if (Date.now() - started > 10_000) throw new Error(`Redis did not reconnect to port ${port}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  await reconnectTo(link.port)
  return () => reconnectTo(redisConnection.port)
}
