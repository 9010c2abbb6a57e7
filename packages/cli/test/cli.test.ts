import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { mkdtemp, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { freshDatabase, runCli } from "./support.ts"

let db: Awaited<ReturnType<typeof freshDatabase>>
const cli = (args: ReadonlyArray<string>, input = "") => runCli(args, db.env, input)
const json = async (args: ReadonlyArray<string>, input = "") => {
  const result = await cli(["--json", ...args], input)
  expect(result.stderr, result.stderr).toBe("")
  expect(result.code).toBe(0)
  return JSON.parse(result.stdout) as Record<string, unknown>
}

beforeAll(async () => {
  db = await freshDatabase(inject("ticketmaniaDatabaseUrl"))
})
afterAll(async () => {
  await db.drop()
})

const event = {
  title: "Rooftop Jazz",
  location: "Berlin",
  start_time: "2036-06-15T19:00:00Z",
  end_time: "2036-06-15T23:00:00Z",
  ticket_types: [{ name: "Standing", price: 1500, currency: "EUR", total_qty: 50 }]
}

describe("ticketmania migrate", { timeout: 120_000 }, () => {
  it("lists every migration as pending on an empty database, applies them once, then reports none", async () => {
    const before = await json(["migrate", "status"])
    expect(before.applied).toEqual([])
    expect((before.pending as Array<unknown>).length).toBeGreaterThanOrEqual(5)
    const up = await json(["migrate", "up"])
    expect((up.applied as Array<{ name: string }>).map((m) => m.name)).toContain("create_users")
    expect(await json(["migrate", "up"])).toEqual({ applied: [] })
    const after = await json(["migrate", "status"])
    expect(after.pending).toEqual([])
    const text = await cli(["migrate", "status"])
    expect(text.stdout).toMatch(/create_users\s+applied/)
  })
})

describe("ticketmania users create", { timeout: 120_000 }, () => {
  it("creates a user with the password from stdin, printing the API's user shape", async () => {
    const out = await json(["users", "create", "--name", "Ada Organizer", "--email", "Ada@Example.com", "--password-stdin"], "securepassword123\n")
    expect(out.user).toMatchObject({ name: "Ada Organizer", email: "ada@example.com" })
    expect(JSON.stringify(out)).not.toContain("securepassword123")
  })

  it("refuses an email already registered, with one line and exit 1", async () => {
    const result = await cli(["users", "create", "--name", "Again", "--email", "ada@example.com", "--password-stdin"], "securepassword123\n")
    expect(result.code).toBe(1)
    expect(result.stdout).toBe("")
    expect(result.stderr.trim().split("\n")).toEqual(["error: a user with this email address already exists"])
  })

  it("names every invalid field at once", async () => {
    const result = await cli(["users", "create", "--name", " ", "--email", "nope", "--password-stdin"], "short\n")
    expect(result.code).toBe(1)
    expect(result.stderr).toContain("name must not be empty")
    expect(result.stderr).toContain("email must be a valid email address")
    expect(result.stderr).toContain("password must be at least 8 bytes")
  })

  it("takes no password from argv, and none from a non-terminal without --password-stdin", async () => {
    const argv = await cli(["users", "create", "--name", "X", "--email", "x@example.com", "--password", "securepassword123"])
    expect(argv.code).toBe(2)
    const noStdin = await cli(["users", "create", "--name", "X", "--email", "x@example.com"])
    expect(noStdin.code).toBe(1)
    expect(noStdin.stderr).toContain("--password-stdin")
  })
})

describe("ticketmania events and sales", { timeout: 120_000 }, () => {
  it("creates an event from flags and from a JSON file, shows and lists them", async () => {
    const fromFlags = await json([
      "events", "create", "--organizer", "ada@example.com", "--title", "Tech Conference", "--start", "2036-06-15T09:00:00Z",
      "--end", "2036-06-15T18:00:00Z", "--ticket-type", "VIP:50000:NGN:100", "--ticket-type", "Regular:25000:NGN:500"
    ])
    const created = fromFlags.event as { id: number; ticket_types: Array<{ name: string; available_qty: number }> }
    expect(created.ticket_types.map((t) => [t.name, t.available_qty])).toEqual([["VIP", 100], ["Regular", 500]])
    const dir = await mkdtemp(join(tmpdir(), "ticketmania-cli-"))
    const file = join(dir, "event.json")
    await writeFile(file, JSON.stringify(event))
    const fromFile = await json(["events", "create", "--organizer", "ada@example.com", "--file", file])
    expect(fromFile.event).toMatchObject({ title: "Rooftop Jazz", status: "published", location: "Berlin" })
    const shown = await json(["events", "show", String(created.id)])
    expect(shown.event).toMatchObject({ id: created.id, title: "Tech Conference" })
    const listed = await json(["events", "list", "--q", "jazz"])
    expect((listed.events as Array<{ title: string }>).map((e) => e.title)).toEqual(["Rooftop Jazz"])
    expect(listed.metadata).toEqual({ current_page: 1, per_page: 20, total_pages: 1, total: 1 })
    const table = await cli(["events", "list"])
    expect(table.stdout).toMatch(/Tech Conference\s+2036-06-15T09:00:00Z/)
  })

  it("reports every problem of an event at once, the organizer included", async () => {
    const result = await cli([
      "events", "create", "--organizer", "ghost@example.com", "--title", "", "--start", "soon", "--end", "2036-06-15T18:00:00Z",
      "--ticket-type", "VIP:-1:NGN:0"
    ])
    expect(result.code).toBe(1)
    for (const field of ["organizer", "title", "start_time", "ticket_types[0].price", "ticket_types[0].total_qty"]) {
      expect(result.stderr).toContain(field)
    }
    expect(result.stderr.trim().split("\n")).toHaveLength(1)
  })

  it("fails with one line for unknown or malformed ids, never a stack trace", async () => {
    const unknown = await cli(["events", "show", "999999"])
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, "error: event 999999 was not found"])
    const malformed = await cli(["sales", "report", "abc"])
    expect([malformed.code, malformed.stderr.trim()]).toEqual([1, "error: invalid input: id must be a positive integer"])
    expect(unknown.stderr + malformed.stderr).not.toMatch(/\bat .+\.ts:\d+/)
  })

  it("exits 2 on usage errors", async () => {
    expect((await cli(["events", "bogus"])).code).toBe(2)
    expect((await cli(["events", "show"])).code).toBe(2)
    expect((await cli(["--help"])).code).toBe(0)
  })
})
