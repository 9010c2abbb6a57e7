import { Clock, Duration, Effect, Layer } from "effect"

/**
 * A real, ticking clock that reads `at` when created: lets the README's 2026-06-15 event be in
 * the future whatever today's date is. Sleeps take real time.
 */
export const shiftedClock = (at: string): Layer.Layer<never> => {
  const offset = Date.parse(at) - Date.now()
  const millis = () => Date.now() + offset
  const clock: Clock.Clock = {
    currentTimeMillisUnsafe: millis,
    currentTimeMillis: Effect.sync(millis),
    currentTimeNanosUnsafe: () => BigInt(millis()) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(millis()) * 1_000_000n),
    monotonicTimeNanosUnsafe: () => process.hrtime.bigint(),
    monotonicTimeNanos: Effect.sync(() => process.hrtime.bigint()),
    sleep: (duration) =>
      Effect.callback<void>((resume) => {
        const timer = setTimeout(() => resume(Effect.void), Duration.toMillis(duration))
        return Effect.sync(() => clearTimeout(timer))
      })
  }
  return Layer.succeed(Clock.Clock, clock)
}
