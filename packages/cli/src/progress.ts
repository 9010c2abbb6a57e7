import { Effect } from "effect"

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

/**
 * Shows a spinner with `label` on stderr while `effect` runs, when stderr is a terminal (never in
 * pipes or CI logs), and clears it afterwards. The elapsed seconds show that work goes on.
 */
export const progress = <A, E, R>(label: string, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
  if (process.stderr.isTTY !== true) return effect
  const started = Date.now()
  let frame = 0
  const draw = () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    process.stderr.write(`\r${FRAMES[frame++ % FRAMES.length] ?? ""} ${label}… ${seconds}s`)
  }
  return Effect.acquireUseRelease(
    Effect.sync(() => setInterval(draw, 100)),
    () => effect,
    (timer) => Effect.sync(() => {
      clearInterval(timer)
      process.stderr.write("\r\x1b[2K")
    })
  )
}
