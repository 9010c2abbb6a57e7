// What the database's sessions are doing during a load: pg_stat_activity sampled every 100 ms.
// For a hot row the interesting states are waiting for the row lock (Lock:transactionid/tuple),
// for the WAL flush of a commit (IO:WALSync, LWLock:WALWrite), and "idle in transaction" waiting
// for the client (Client:ClientRead) — a lock held while the application thinks.
import type { Cluster } from "./cluster.ts"

/** Share of sampled sessions in each state, most frequent first. */
export type WaitProfile = ReadonlyArray<{ readonly state: string; readonly share: number }>

/** Starts sampling the sessions of `application`; `stop()` returns the profile. */
export const sampleWaits = (cluster: Cluster, application: string) => {
  const counts = new Map<string, number>()
  let samples = 0
  let running = true
  const loop = (async () => {
    // Bounded like every loop here: at most 10 minutes of samples.
    for (let i = 0; running && i < 6_000; i++) {
      const rows = await cluster.query<{ state: string; n: number }>(
        `SELECT CASE WHEN wait_event IS NOT NULL THEN wait_event_type || ':' || wait_event
                     WHEN state = 'active' THEN 'running (CPU)' ELSE coalesce(state, '?') END AS state,
                count(*)::int AS n
         FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()
           AND state IS DISTINCT FROM 'idle'
         GROUP BY 1`,
        [application]
      )
      for (const { state, n } of rows) {
        counts.set(state, (counts.get(state) ?? 0) + n)
        samples += n
      }
      await new Promise((r) => setTimeout(r, 100))
    }
  })()
  return {
    stop: async (): Promise<WaitProfile> => {
      running = false
      await loop
      return [...counts]
        .map(([state, n]) => ({ state, share: samples === 0 ? 0 : n / samples }))
        .sort((a, b) => b.share - a.share)
        .slice(0, 6)
    }
  }
}
