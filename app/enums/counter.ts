/** Where the person at a counter is: ready for the next visitor, serving one, on a break, or gone. */
export const PRESENCES = ['available', 'busy', 'break', 'offline'] as const
export type Presence = (typeof PRESENCES)[number]
