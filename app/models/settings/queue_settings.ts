import type { Priority } from '#enums/ticket'
import { BoundedMap } from '#support/bounded_map'

/**
 * How a tenant's queues are ordered and shown. Stored as JSON on the tenant; every field has a
 * default, so a tenant that never opened the settings behaves like a plain first-come queue.
 */
export interface QueueSettings {
  /** Higher goes first (after emergencies and starving tickets). */
  priorityWeights: Record<Priority, number>
  /** "2 regular : 1 priority": after `regular` regular calls, the next is a priority one. Null = weights decide. */
  ratio: { regular: number; priority: number } | null
  /** Anti-starvation: a ticket waiting longer than this (minutes) goes before newer higher-priority ones. */
  maxWaitMinutes: number
  /** A transferred ticket keeps its place (its original queue time) in the new queue. */
  transferKeepsPlace: boolean
  /** Show an estimated wait in minutes next to "N ahead" (never a promise). */
  showWaitEstimate: boolean
}

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  priorityWeights: { regular: 0, appointment: 10, priority: 20, vip: 30, emergency: 1000 },
  ratio: null,
  maxWaitMinutes: 45,
  transferKeepsPlace: true,
  showWaitEstimate: false,
}

/** Settings already read, by their stored JSON (a tenant's queue is read several times a request). */
const parsed = new BoundedMap<string, QueueSettings>(1_000)

/**
 * The settings stored on a tenant, completed with defaults; unknown or broken JSON reads as
 * defaults. The same stored JSON gives the same frozen object: reading it costs a map lookup
 * instead of a parse (or a clone of the defaults) on every take.
 */
export function parseQueueSettings(raw: string | null | undefined): QueueSettings {
  const key = raw ?? ''
  let settings = parsed.get(key)
  if (!settings) {
    const stored = storedSettings(raw)
    settings = frozen({
      ...DEFAULT_QUEUE_SETTINGS,
      ...stored,
      priorityWeights: { ...DEFAULT_QUEUE_SETTINGS.priorityWeights, ...stored.priorityWeights },
    })
    parsed.set(key, settings)
  }
  return settings
}

/** The fields a tenant stored, or none for missing or broken JSON. */
function storedSettings(raw: string | null | undefined): Partial<QueueSettings> {
  try {
    const stored: unknown = raw ? JSON.parse(raw) : null
    return stored && typeof stored === 'object' ? stored : {}
  } catch {
    return {}
  }
}

function frozen<Value>(value: Value): Value {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) frozen(inner)
    Object.freeze(value)
  }
  return value
}
