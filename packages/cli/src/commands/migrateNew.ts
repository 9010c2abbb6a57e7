import { readdir, readFile, writeFile } from "node:fs/promises"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import type { Output } from "../output.ts"
import { print } from "../output.ts"

// The migrations live with the PostgreSQL adapter, which loads them from a record in index.ts.
const migrationsDir = () => join(dirname(fileURLToPath(import.meta.resolve("@ticketmania/adapters-pg"))), "migrations")

const template = (name: string) => `import { Effect } from "effect"
import { SqlClient } from "effect/sql"

// ${name.replace(/_/g, " ")}: say what changes and why. Forward-only: once released, never edit
// this file; add another migration instead.
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql\`SELECT 1\`
})
`

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())

const lastIndex = (lines: ReadonlyArray<string>, pattern: RegExp): number =>
  lines.reduce((found, line, i) => (pattern.test(line) ? i : found), -1)

/** Adds `import binding from "./key.ts"` and `"key": binding` to the migrations index source. */
export const registerMigration = (source: string, key: string, binding: string): string => {
  const lines = source.split("\n")
  const lastImport = lastIndex(lines, /^import \w+ from "\.\/\d{4}_/)
  lines.splice(lastImport + 1, 0, `import ${binding} from "./${key}.ts"`)
  const lastEntry = lastIndex(lines, /^\s*"\d{4}_[^"]+": \w+,?$/)
  const entry = lines[lastEntry] ?? ""
  const indent = /^\s*/.exec(entry)?.[0] ?? "  "
  lines[lastEntry] = entry.endsWith(",") ? entry : `${entry},`
  lines.splice(lastEntry + 1, 0, `${indent}"${key}": ${binding}`)
  return lines.join("\n")
}

/**
 * `migrate new <name>`: writes the next numbered migration file and registers it in the loader's
 * record, so it runs on the next `migrate up` or `serve`.
 */
export const migrateNew = async (name: string, output: Output): Promise<void> => {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) {
    process.stderr.write("error: invalid input: name must be lower-case letters, digits and underscores, starting with a letter\n")
    process.exitCode = 1
    return
  }
  const dir = migrationsDir()
  const ids = (await readdir(dir)).flatMap((f) => /^(\d{4})_.*\.ts$/.exec(f)?.slice(1, 2) ?? []).map(Number)
  const id = String(Math.max(0, ...ids) + 1).padStart(4, "0")
  const key = `${id}_${name}`
  const file = join(dir, `${key}.ts`)
  await writeFile(file, template(name), { flag: "wx" })
  const indexFile = join(dir, "index.ts")
  await writeFile(indexFile, registerMigration(await readFile(indexFile, "utf8"), key, camel(name)))
  print(output, { json: { id: Number(id), name, file }, text: () => `created ${file}` })
}
