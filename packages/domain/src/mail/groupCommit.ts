import { Deferred, Effect, Exit } from "effect"

/** A group commit: hand in items, and get each one's outcome once the write that took it is done. */
export interface GroupCommit<A, B> {
  /** Hands `item` in and waits for its outcome. */
  readonly commit: (item: A) => Effect.Effect<B>
  /**
   * Hands `item` in and answers at once, without waiting, the effect that waits for its outcome:
   * the caller can go on (send the next message) while its item is written with others.
   */
  readonly submit: (item: A) => Effect.Effect<Effect.Effect<B>>
}

/**
 * Group commit: callers hand in one item each; one write is in flight at a time, and every item
 * that arrived meanwhile goes into the next write, together. A lone item is written at once; many
 * concurrent ones cost a handful of writes instead of one each. `write` answers, for the items it
 * was given, each one's outcome. A write that fails or dies fails every item of its group alike.
 * The writes run in a fiber of their own, not interrupted with any caller: an item handed in is
 * written, and an outcome once recorded reaches whoever waits for it.
 */
export const makeGroupCommit = <A, B>(write: (items: ReadonlyArray<A>) => Effect.Effect<(item: A) => B>): GroupCommit<A, B> => {
  let pending: Array<{ readonly item: A; readonly done: Deferred.Deferred<B> }> = []
  let writing = false

  // Writes what is pending, group after group, until nothing is.
  const drain: Effect.Effect<void> = Effect.suspend(() => {
    const group = pending
    pending = []
    if (group.length === 0) {
      writing = false
      return Effect.void
    }
    const settle = (exit: Exit.Exit<(item: A) => B>) =>
      Effect.sync(() => {
        for (const g of group) Deferred.doneUnsafe(g.done, Exit.map(exit, (outcome) => outcome(g.item)))
      })
    return Effect.andThen(Effect.exit(Effect.onExit(write(group.map((g) => g.item)), settle)), drain)
  })

  const submit = (item: A): Effect.Effect<Effect.Effect<B>> =>
    Effect.suspend(() => {
      const done = Deferred.makeUnsafe<B>()
      pending.push({ item, done })
      const outcome = Deferred.await(done)
      if (writing) return Effect.succeed(outcome)
      writing = true
      return Effect.as(Effect.forkDetach(drain, { startImmediately: true, uninterruptible: true }), outcome)
    })

  return {
    submit,
    commit: (item) => Effect.uninterruptible(Effect.flatten(submit(item)))
  }
}
