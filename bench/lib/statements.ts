// pg_stat_statements (loaded with --profile): which statements the database spent its time on.
import type { Cluster } from "./cluster.ts"

/** A statement's share of the database's execution time. */
export interface StatementStats {
  readonly query: string
  readonly calls: number
  readonly meanMs: number
  readonly totalMs: number
}

export const resetStatements = (cluster: Cluster) => cluster.query("SELECT pg_stat_statements_reset()")

/** The statements with the most total execution time since the last reset. */
export const topStatements = async (cluster: Cluster, limit = 8): Promise<ReadonlyArray<StatementStats>> => {
  const rows = await cluster.query<{ query: string; calls: string; mean: number; total: number }>(
    `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls, mean_exec_time AS mean, total_exec_time AS total
     FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
     ORDER BY total_exec_time DESC LIMIT $1`,
    [limit]
  )
  return rows.map((r) => ({ query: r.query.slice(0, 160), calls: Number(r.calls), meanMs: r.mean, totalMs: r.total }))
}
