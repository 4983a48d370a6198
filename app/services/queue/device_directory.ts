import Device from '#models/device'

const TTL_MS = 30_000

/**
 * Resolves a device's secret token (TV displays poll every second) to the device, cached for
 * 30 s per server: a deleted device or a changed setting reaches other servers within that time
 * (at once on the server where the admin made the change).
 */
class DeviceDirectory {
  #cache = new Map<string, { device: Device | null; expiresAt: number }>()

  async resolve(token: string, kind: Device['kind'] = 'display'): Promise<Device | null> {
    const cached = this.#cache.get(token)
    if (cached && cached.expiresAt > Date.now())
      return cached.device?.kind === kind ? cached.device : null
    const device = await Device.query().where('token', token).first()
    if (this.#cache.size > 10_000) this.#cache.clear()
    this.#cache.set(token, { device, expiresAt: Date.now() + TTL_MS })
    return device?.kind === kind ? device : null
  }

  forget(token: string) {
    this.#cache.delete(token)
  }
}

const deviceDirectory = new DeviceDirectory()
export default deviceDirectory
