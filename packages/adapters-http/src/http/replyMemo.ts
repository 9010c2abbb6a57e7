import { Context } from "effect"

// The hot reads, an event and a page of the listing, are mostly the same bytes again: what changes
// them is a sale or an edit, and a caching repository hands out the same immutable objects until
// then. The memo remembers, per request URL, the 200 body of an anonymous GET and the object it was
// derived from, with a way to ask for the object a read would get now (`EventSnapshots`). While
// the answer is the same object, the remembered body is still the right answer, and the server
// can write it without running the API stack (see `server/fastReads.ts`). Anything else (another
// object, nothing cached, a different URL) is left to the full stack, which remembers anew.

interface Remembered {
  readonly source: object
  readonly current: () => object | undefined
  readonly body: Uint8Array
}

export interface ReplyMemoShape {
  /**
   * An anonymous `GET url` was answered 200 with `body`, derived from `source`; the answer stands
   * while `current()` returns `source` itself.
   */
  readonly remember: (url: string, source: object, current: () => object | undefined, body: Uint8Array) => void
  /** The body an anonymous `GET url` would be answered with now, if known without running anything. */
  readonly recall: (url: string) => Uint8Array | undefined
}

/** URLs remembered at most; the oldest remembered go first. A client inventing query strings cannot grow it further. */
export const REPLY_MEMO_MAX = 10_000

/** A memo; `max` bounds the URLs it holds. */
export const makeReplyMemo = (max = REPLY_MEMO_MAX): ReplyMemoShape => {
  const entries = new Map<string, Remembered>()
  return {
    remember: (url, source, current, body) => {
      // Only an answer that stands right now: without a cache `current()` knows nothing.
      if (current() !== source) return
      entries.delete(url)
      entries.set(url, { source, current, body })
      if (entries.size > max) {
        const oldest = entries.keys().next()
        if (oldest.done !== true) entries.delete(oldest.value)
      }
    },
    recall: (url) => {
      const entry = entries.get(url)
      if (entry === undefined) return undefined
      if (entry.current() === entry.source) return entry.body
      entries.delete(url)
      return undefined
    }
  }
}

/** The server's memo; none (the default) when the app runs without the Node server in front. */
export const ReplyMemo = Context.Reference<ReplyMemoShape | undefined>("@ticketmania/adapters-http/ReplyMemo", {
  defaultValue: () => undefined
})
