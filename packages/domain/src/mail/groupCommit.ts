import { Deferred, Effect, Exit, Semaphore } from "effect"

/**
 * Group commit: callers hand in one item each and wait for its outcome; one write is in flight at
 * a time, and every item that arrived meanwhile goes into the next write, together. A lone caller
 * is written at once; many concurrent callers cost a handful of writes instead of one each.
 * `write` answers, for the items it was given, each one's outcome. A write that fails or dies
 * fails every caller of its group alike. A caller is not interrupted while it waits: its item may
 * already be part of a write in flight, and an outcome once recorded must reach its caller.
 */
export const makeGroupCommit = <A, B>(write: (items: ReadonlyArray<A>) => Effect.Effect<(item: A) => B>) => {
  let pending: Array<{ readonly item: A; readonly done: Deferred.Deferred<B> }> = []
  const turn = Semaphore.makeUnsafe(1)

  // Whoever gets the turn writes everything pending, its own item included unless an earlier
  // write already took it.
  const flush = Effect.suspend(() => {
    const group = pending
    pending = []
    if (group.length === 0) return Effect.void
    return Effect.onExit(write(group.map((g) => g.item)), (exit) =>
      Effect.sync(() => {
        for (const g of group) Deferred.doneUnsafe(g.done, Exit.map(exit, (outcome) => outcome(g.item)))
      }))
  })

  return (item: A): Effect.Effect<B> =>
    Effect.uninterruptible(Effect.suspend(() => {
      const done = Deferred.makeUnsafe<B>()
      pending.push({ item, done })
      return Effect.andThen(Effect.exit(Semaphore.withPermit(turn, flush)), Deferred.await(done))
    }))
}
