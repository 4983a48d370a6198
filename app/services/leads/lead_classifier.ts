/**
 * Lead or support (seed 004, Sales Lead Flow): the first message of a number the business does
 * not know reads as a prospect when it holds more of the tenant's lead keywords than of its
 * support keywords. Keywords match as whole words (or phrases), whatever the case; on a tie the
 * keyword written first decides, and a message with none is support (the default team). The
 * reason names the deciding keyword so the agent sees it on the thread. Pure: no database, no
 * learning; keywords change only when a manager edits them.
 */
import { normalizeKeyword } from '#models/settings/lead_settings'

export type LeadClass = 'lead' | 'support'

export interface Classification {
  kind: LeadClass
  /** `lead_keyword:<word>`, `support_keyword:<word>` or `no_keyword`, as stored on the conversation. */
  reason: string
  keyword: string | null
}

export interface Keywords {
  lead: readonly string[]
  support: readonly string[]
}

export {
  DEFAULT_LEAD_KEYWORDS,
  DEFAULT_SUPPORT_KEYWORDS,
  normalizeKeyword,
} from '#models/settings/lead_settings'

/** Keywords typed one per line or comma separated, normalized, without blanks or repeats. */
export function parseKeywords(text: string) {
  const words = text
    .split(/[\n,]/)
    .map(normalizeKeyword)
    .filter((word) => word.length > 0)
  return [...new Set(words)].slice(0, 100)
}

const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Where `keyword` first stands in `text` as a whole word or phrase (any case), or -1. */
export function findKeyword(text: string, keyword: string) {
  const word = normalizeKeyword(keyword)
  if (!word) return -1
  const pattern = word.split(' ').map(escape).join('\\s+')
  const match = new RegExp(`(?<![\\p{L}\\p{N}])${pattern}(?![\\p{L}\\p{N}])`, 'iu').exec(text)
  return match ? match.index : -1
}

/** The keywords of `list` found in `text`, first written first. */
function found(text: string, list: readonly string[]) {
  return list
    .map((keyword) => ({ keyword: normalizeKeyword(keyword), at: findKeyword(text, keyword) }))
    .filter((hit) => hit.at >= 0)
    .sort((a, b) => a.at - b.at)
}

/** Lead or support for the first message `text` of an unknown number. */
export function classifyFirstMessage(text: string | null, keywords: Keywords): Classification {
  const body = text ?? ''
  const lead = found(body, keywords.lead)
  const support = found(body, keywords.support)
  if (lead.length === 0 && support.length === 0)
    return { kind: 'support', reason: 'no_keyword', keyword: null }
  const leadWins =
    lead.length > support.length || (lead.length === support.length && lead[0].at < support[0].at)
  const [first] = leadWins ? lead : support
  return {
    kind: leadWins ? 'lead' : 'support',
    reason: `${leadWins ? 'lead' : 'support'}_keyword:${first.keyword}`,
    keyword: first.keyword,
  }
}

/** A stored reason as its parts, for the thread's wording (`leads.reasons.<code>` with `word`). */
export function readReason(reason: string | null | undefined) {
  if (!reason) return null
  const [code, ...rest] = reason.split(':')
  return { code, word: rest.join(':') || null }
}
