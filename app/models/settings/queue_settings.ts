import type { Priority } from '#enums/ticket'

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

/** The settings stored on a tenant, completed with defaults; unknown or broken JSON reads as defaults. */
export function parseQueueSettings(raw: string | null | undefined): QueueSettings {
  if (!raw) return structuredClone(DEFAULT_QUEUE_SETTINGS)
  try {
    const stored = JSON.parse(raw) as Partial<QueueSettings>
    return {
      ...DEFAULT_QUEUE_SETTINGS,
      ...stored,
      priorityWeights: {
        ...DEFAULT_QUEUE_SETTINGS.priorityWeights,
        ...(stored.priorityWeights ?? {}),
      },
    }
  } catch {
    return structuredClone(DEFAULT_QUEUE_SETTINGS)
  }
}
