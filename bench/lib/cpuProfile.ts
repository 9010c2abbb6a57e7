// Summarises a V8 CPU profile (`node --cpu-prof`) of the service: where its CPU went, by function
// (self time) and by area (a package, the project's own packages, Node internals, GC).
import { readdir, readFile } from "node:fs/promises"
import { join } from "node:path"

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
}

interface Profile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

export interface CpuShare {
  readonly name: string
  readonly share: number
}

export interface CpuSummary {
  readonly file: string
  readonly functions: ReadonlyArray<CpuShare>
  readonly areas: ReadonlyArray<CpuShare>
}

const areaOf = (url: string, functionName: string): string => {
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)"
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)
  if (pkg !== null) return pkg[1] ?? url
  const own = /\/packages\/([^/]+)\//.exec(url)
  if (own !== null) return `@ticketmania/${own[1]}`
  if (url.startsWith("node:")) return "node internals"
  return url
}

const top = (totals: Map<string, number>, all: number, n: number): ReadonlyArray<CpuShare> =>
  [...totals].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, t]) => ({ name, share: t / all }))

/** Summarises the newest profile in `dir`, leaving out idle time. */
export const summariseCpuProfile = async (dir: string): Promise<CpuSummary | undefined> => {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".cpuprofile")).sort()
  const file = files.at(-1)
  if (file === undefined) return undefined
  const profile = JSON.parse(await readFile(join(dir, file), "utf8")) as Profile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const functions = new Map<string, number>()
  const areas = new Map<string, number>()
  let busy = 0
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)
    const delta = profile.timeDeltas[i] ?? 0
    if (node === undefined || node.callFrame.functionName === "(idle)") return
    const { functionName, url, lineNumber } = node.callFrame
    const where = url === "" ? "" : ` ${url.replace(/^.*\/(node_modules|packages)\//, "$1/")}:${lineNumber + 1}`
    const name = `${functionName || "(anonymous)"}${where}`
    functions.set(name, (functions.get(name) ?? 0) + delta)
    const area = areaOf(url, functionName)
    areas.set(area, (areas.get(area) ?? 0) + delta)
    busy += delta
  })
  return { file: join(dir, file), functions: top(functions, busy, 20), areas: top(areas, busy, 12) }
}
