import { Effect } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { setPriority } from "node:os"

// bcrypt runs on libuv's thread pool, beside the event loop and the database on the same cores.
// Capping hashes at cores − 1 still lets a login storm take a whole core from ticket sales on a
// 2-core machine. On Linux each thread has its own nice value: raising it for the pool's threads
// ("libuv-worker") makes hashing take the CPU that sales leave idle first. A hash then takes
// longer when the machine is saturated, which admission (a few hashes at a time, the rest 503)
// already allows for. Elsewhere, or when /proc cannot be read, nothing changes.

const readOr = <A>(read: () => A, fallback: A) => Effect.try(read).pipe(Effect.orElseSucceed(() => fallback))

/** Sets the nice value of libuv's thread-pool threads to `nice` (1–19); answers how many changed. */
export const lowerThreadPoolPriority = (nice: number): Effect.Effect<number> =>
  Effect.gen(function*() {
    if (process.platform !== "linux" || nice <= 0) return 0
    let changed = 0
    for (const tid of yield* readOr(() => readdirSync("/proc/self/task"), [])) {
      const name = yield* readOr(() => readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim(), "")
      if (name !== "libuv-worker") continue
      if (yield* readOr(() => (setPriority(Number(tid), nice), true), false)) changed++
    }
    return changed
  })
