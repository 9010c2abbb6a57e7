import { spawn } from "node:child_process"
import { once } from "node:events"
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { call, createEvent, field, type Json, line, num, PASSWORD, type Reply, signUp, unique } from "./support/api.ts"
import { freshDatabase, openSql, type Sql } from "./support/db.ts"
import { decodeJwt, nowSeconds, signJwt } from "./support/jwt.ts"
import { BASE_ENV, CLI_MAIN, JWT_SECRET, loggedErrors, scratchDir, type Service, startService } from "./support/service.ts"

// The OWASP API Security Top 10 (2023) items that apply to this API, against the real service on
// PostgreSQL: API1 object-level authorization, API2 authentication (JWT attacks, enumeration,
// start-up refusal of weak secrets), API3 property-level authorization (no hashes, secrets or
// other people's data in replies; no mass assignment), API8 misconfiguration (security headers),
// and SQL metacharacters in every field. Resource limits (API4) are in limits.test.ts.

let db: Awaited<ReturnType<typeof freshDatabase>>
let sql: Sql
let service: Service
let alice: Awaited<ReturnType<typeof signUp>>
let bob: Awaited<ReturnType<typeof signUp>>

beforeAll(async () => {
  db = await freshDatabase(inject("ticketmaniaDatabaseUrl"))
  sql = openSql(db.url)
  service = await startService({ DATABASE_URL: db.url })
  alice = await signUp(service.base, "alice")
  bob = await signUp(service.base, "bob")
})

afterAll(async () => {
  await service.stop()
  await sql.close()
  await db.drop()
})

const expectInvalidToken = (reply: Reply, what: string) => {
  expect(reply.status, `${what}: ${reply.text}`).toBe(401)
  expect(reply.body).toEqual({ error: "the bearer token is malformed, invalid or expired", code: "invalid_token" })
  expect(reply.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"')
}

describe("API2: JWT attacks", () => {
  const attacks = (): ReadonlyArray<readonly [string, string]> => {
    const { header, claims } = decodeJwt(alice.token)
    const other = "another-secret-that-is-long-enough-for-hs256!!"
    const [h, p, s] = alice.token.split(".")
    const forgedClaims = Buffer.from(JSON.stringify({ ...claims, sub: String(bob.id), email: bob.email })).toString("base64url")
    return [
      ["alg none", signJwt({ alg: "none" }, claims, "")],
      ["alg None (case)", signJwt({ alg: "None" }, claims, "")],
      ["HS384 with the right secret", signJwt({ alg: "HS384" }, claims, JWT_SECRET)],
      ["HS512 with the right secret", signJwt({ alg: "HS512" }, claims, JWT_SECRET)],
      ["RS256 header over an HMAC signature (key confusion)", `${Buffer.from(JSON.stringify({ ...header, alg: "RS256" })).toString("base64url")}.${p}.${s}`],
      ["signed with another secret", signJwt({}, claims, other)],
      ["signed with an empty secret", signJwt({}, claims, "")],
      ["expired", signJwt({}, { ...claims, exp: nowSeconds() - 30 }, JWT_SECRET)],
      ["no exp", signJwt({}, { ...claims, exp: undefined }, JWT_SECRET)],
      ["not valid before a future nbf", signJwt({}, { ...claims, nbf: nowSeconds() + 3600 }, JWT_SECRET)],
      ["wrong issuer", signJwt({}, { ...claims, iss: "https://evil.example" }, JWT_SECRET)],
      ["no issuer", signJwt({}, { ...claims, iss: undefined }, JWT_SECRET)],
      ["wrong audience", signJwt({}, { ...claims, aud: "another-api" }, JWT_SECRET)],
      ["payload swapped to another user, signature kept", `${h}.${forgedClaims}.${s}`],
      ["embedded jwk of the attacker's key", signJwt({ jwk: { kty: "oct", k: Buffer.from(other).toString("base64url") } }, claims, other)],
      ["jku pointing at the attacker", signJwt({ jku: "http://127.0.0.1:1/keys.json" }, claims, other)],
      ["kid path traversal", signJwt({ kid: "../../../../dev/null" }, claims, "")],
      ["truncated signature", alice.token.slice(0, -4)],
      ["token with a trailing dot", `${alice.token}.`],
      ["two tokens", `${alice.token} ${alice.token}`]
    ]
  }

  it("refuses every forged, altered or expired token with 401 invalid_token, on public, optional and protected routes", async () => {
    for (const [name, token] of attacks()) {
      expectInvalidToken(await call(service.base, "/v1/events", { token }), `${name} on GET /v1/events`)
      expectInvalidToken(await call(service.base, "/v1/events", { token, json: { title: "x" } }), `${name} on POST /v1/events`)
      // Authentication is optional on purchases: a bad token must not quietly become a guest.
      expectInvalidToken(await call(service.base, "/v1/buy-ticket", { token, json: {} }), `${name} on POST /v1/buy-ticket`)
    }
  })

  it("refuses a correctly signed token whose user does not exist, or is someone else now (a restored or reset database)", async () => {
    const { claims } = decodeJwt(alice.token)
    const body = { title: "x", start_time: "2032-01-01T10:00:00Z", end_time: "2032-01-01T11:00:00Z", ticket_types: [{ name: "A", price: 1, currency: "NGN", total_qty: 1 }] }
    const ghost = signJwt({}, { ...claims, sub: "987654", email: "ghost@example.com", jti: unique("jti") }, JWT_SECRET)
    const impostor = signJwt({}, { ...claims, sub: String(bob.id), email: alice.email, jti: unique("jti") }, JWT_SECRET)
    for (const token of [ghost, impostor]) {
      expectInvalidToken(await call(service.base, "/v1/events", { token, json: body }), `create event: ${loggedErrors(service)}`)
      expectInvalidToken(await call(service.base, "/v1/buy-ticket", { token, json: {} }), "buy")
    }
  })

  it("answers an unknown email and a wrong password alike", async () => {
    const unknown = await call(service.base, "/v1/login", { json: { email: `${unique("nobody")}@example.com`, password: PASSWORD } })
    const wrong = await call(service.base, "/v1/login", { json: { email: alice.email, password: "not the password" } })
    expect([unknown.status, wrong.status]).toEqual([401, 401])
    expect(unknown.body).toEqual(wrong.body)
    expect(unknown.body).toEqual({ error: "invalid email or password", code: "invalid_credentials" })
  })

  it.each([
    ["a JWT_SECRET shorter than 32 bytes", { JWT_SECRET: "short-secret" }],
    ["no JWT_SECRET in production", { JWT_SECRET: "" }]
  ])("refuses to start with %s, naming the variable", async (_name, env) => {
    const scratch = await scratchDir()
    const child = spawn(process.execPath, [CLI_MAIN, "serve", "--port", "0", "--host", "127.0.0.1"], {
      cwd: scratch.dir,
      env: { ...process.env, ...BASE_ENV, DATABASE_URL: db.url, DATA_DIR: scratch.dir, ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()))
    // Bounded: a service that starts anyway is killed and fails the test.
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000)
    const [code] = (await once(child, "exit")) as [number | null]
    clearTimeout(timer)
    await scratch.remove()
    expect(code).not.toBe(0)
    expect(code).not.toBeNull()
    expect(output).toContain("JWT_SECRET")
  }, 40_000)
})

describe("API1: object-level authorization", () => {
  it("hides an organizer's draft from everyone else exactly like an id that does not exist", async () => {
    const title = unique("Draft")
    const draft = await createEvent(service.base, alice.token, [{ name: "Secret", total_qty: 10 }], { status: "draft", title })
    const missing = await call(service.base, "/v1/events/99999999")
    const asGuest = await call(service.base, `/v1/events/${draft.id}`)
    const asBob = await call(service.base, `/v1/events/${draft.id}`, { token: bob.token })
    const asAlice = await call(service.base, `/v1/events/${draft.id}`, { token: alice.token })
    expect([asGuest.status, asBob.status, asAlice.status]).toEqual([404, 404, 200])
    expect(field(asGuest.body, "code")).toBe(field(missing.body, "code"))
    expect(asBob.text).not.toContain("Secret")
    for (const token of [undefined, bob.token, alice.token]) {
      const listed = await call(service.base, `/v1/events?q=${encodeURIComponent(title)}`, token === undefined ? {} : { token })
      expect(field(listed.body, "metadata", "total"), "drafts are never listed").toBe(0)
    }
  })

  it("sells nothing from a draft, whoever asks", async () => {
    const draft = await createEvent(service.base, alice.token, [{ name: "Secret", total_qty: 10 }], { status: "draft" })
    const typeId = draft.ticketTypeIds[0] ?? 0
    for (const token of [undefined, bob.token, alice.token]) {
      const reply = await call(service.base, "/v1/buy-ticket", { json: { eventId: draft.id, ticketTypes: [line(typeId, 1)] }, ...(token === undefined ? {} : { token }) })
      expect(reply.status).toBe(409)
      expect(field(reply.body, "code")).toBe("not_on_sale")
    }
    const [row] = await sql.query<{ readonly sold_qty: number }>("SELECT sold_qty FROM ticket_types WHERE id = $1", [typeId])
    expect(row?.sold_qty).toBe(0)
  })

  it("offers no way to change or delete anyone's event: every write method is 405", async () => {
    const event = await createEvent(service.base, alice.token, [{ name: "GA", total_qty: 10 }])
    for (const method of ["PUT", "PATCH", "DELETE", "POST"]) {
      for (const token of [bob.token, alice.token]) {
        const reply = await call(service.base, `/v1/events/${event.id}`, { method, token, json: { title: "Hijacked", status: "cancelled" } })
        expect(reply.status, `${method}`).toBe(405)
        expect(reply.headers.get("allow")).toBe("GET, HEAD, OPTIONS")
      }
    }
    const [row] = await sql.query<{ readonly title: string; readonly status: string }>("SELECT title, status FROM events WHERE id = $1", [event.id])
    expect(row).toEqual({ title: "Flash Sale Night", status: "published" })
  })

  it("keeps idempotency keys per user: another user's key never replays someone else's receipt", async () => {
    const event = await createEvent(service.base, alice.token, [{ name: "GA", total_qty: 10 }])
    const body = { eventId: event.id, ticketTypes: [line(event.ticketTypeIds[0] ?? 0, 1, "shared@example.com")] }
    const key = unique("shared-key")
    const first = await call(service.base, "/v1/buy-ticket", { json: body, token: alice.token, headers: { "idempotency-key": key } })
    const replay = await call(service.base, "/v1/buy-ticket", { json: body, token: alice.token, headers: { "idempotency-key": key } })
    const other = await call(service.base, "/v1/buy-ticket", { json: body, token: bob.token, headers: { "idempotency-key": key } })
    expect([first.status, replay.status, other.status]).toEqual([201, 201, 201])
    expect(replay.headers.get("idempotent-replayed")).toBe("true")
    expect(num(replay, "order", "id")).toBe(num(first, "order", "id"))
    expect(other.headers.get("idempotent-replayed")).toBeNull()
    expect(num(other, "order", "id")).not.toBe(num(first, "order", "id"))
    expect(num(other, "order", "user_id")).toBe(bob.id)
    expect(other.text).not.toContain(String(field(first.body, "tickets", 0, "code")))
  })
})

/** Every key anywhere in a JSON value. */
const keysOf = (value: Json | undefined): Array<string> => {
  if (Array.isArray(value)) return (value as ReadonlyArray<Json>).flatMap(keysOf)
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)])
  return []
}

describe("API3: no hashes, secrets or other people's data in replies", () => {
  it("register and login show the user, never the password or its hash", async () => {
    const email = `${unique("carol")}@example.com`
    const registered = await call(service.base, "/v1/register", { json: { name: "Carol", email, password: PASSWORD } })
    const login = await call(service.base, "/v1/login", { json: { email, password: PASSWORD } })
    expect(Object.keys(field(registered.body, "user") as object).sort()).toEqual(["created_at", "email", "id", "name"])
    expect(Object.keys(field(login.body, "user") as object).sort()).toEqual(["created_at", "email", "id", "name"])
    const [stored] = await sql.query<{ readonly password_hash: string }>("SELECT password_hash FROM users WHERE email = $1", [email])
    for (const reply of [registered, login]) {
      expect(reply.text).not.toContain(PASSWORD)
      expect(reply.text).not.toContain(stored?.password_hash ?? "no hash stored")
      expect(reply.text).not.toMatch(/\$2[aby]\$/)
      expect(keysOf(reply.body).filter((k) => /password|hash|secret/i.test(k))).toEqual([])
    }
    expect(stored?.password_hash).toMatch(/^\$2[aby]\$04\$/)
  })

  it("shows nobody the organizer's email, nor buyers' emails and phones, in events and listings", async () => {
    const event = await createEvent(service.base, alice.token, [{ name: "GA", total_qty: 10 }], { title: unique("Private") })
    const typeId = event.ticketTypeIds[0] ?? 0
    const bought = await call(service.base, "/v1/buy-ticket", {
      token: bob.token,
      json: { eventId: event.id, ticketTypes: [{ ...line(typeId, 2, "bob.private@example.com"), buyerPhone: "+2348099990000" }] }
    })
    expect(bought.status).toBe(201)
    const guest = await call(service.base, "/v1/buy-ticket", { json: { eventId: event.id, ticketTypes: [line(typeId, 1, "dave@example.com")] } })
    const views = [
      await call(service.base, `/v1/events/${event.id}`),
      await call(service.base, `/v1/events/${event.id}`, { token: bob.token }),
      await call(service.base, "/v1/events?limit=100"),
      guest
    ]
    for (const view of views) {
      expect(view.text).not.toContain(alice.email)
      expect(view.text).not.toContain("bob.private@example.com")
      expect(view.text).not.toContain("2348099990000")
    }
    expect(keysOf(guest.body).filter((k) => /hash|secret|password/i.test(k))).toEqual([])
  })

  it("never puts SQL, stack traces or internals in an error reply", async () => {
    const replies = [
      await call(service.base, "/v1/buy-ticket", { json: { eventId: 2 ** 53, ticketTypes: [line(2 ** 53, 1)] } }),
      await call(service.base, "/v1/events?sort=title;DROP TABLE events"),
      await call(service.base, "/v1/events/1%27%20OR%201=1"),
      await call(service.base, "/v1/login", { body: "{\"email\":", headers: { "content-type": "application/json" } })
    ]
    for (const reply of replies) {
      expect(reply.status).toBeLessThan(500)
      expect(reply.text).not.toMatch(/SELECT|INSERT|UPDATE |pg_|postgres|node_modules|\bat .*\.ts|Error:/i)
    }
  })

  it("sends defensive headers and no server fingerprint (API8)", async () => {
    const reply = await call(service.base, "/v1/events")
    expect(reply.headers.get("x-content-type-options")).toBe("nosniff")
    expect(reply.headers.get("cache-control")).toBe("no-store")
    expect(reply.headers.get("x-powered-by")).toBeNull()
    expect(reply.headers.get("server")).toBeNull()
  })
})

describe("API3: mass assignment", () => {
  it("create-event ignores ids, organizer, counts and timestamps sent by the client", async () => {
    const reply = await call(service.base, "/v1/events", {
      token: bob.token,
      json: {
        id: 1, organizer_id: alice.id, organizerId: alice.id, created_at: "2000-01-01T00:00:00Z", updated_at: "2000-01-01T00:00:00Z", version: 99,
        title: "Mine", start_time: "2032-03-01T18:00:00Z", end_time: "2032-03-01T20:00:00Z",
        ticket_types: [{ id: 1, event_id: 1, name: "GA", price: 100, currency: "NGN", total_qty: 10, sold_qty: 10, available_qty: 0 }]
      }
    })
    expect(reply.status).toBe(201)
    const id = num(reply, "event", "id")
    expect(num(reply, "event", "organizer_id")).toBe(bob.id)
    expect(field(reply.body, "event", "created_at")).not.toBe("2000-01-01T00:00:00Z")
    expect(field(reply.body, "event", "ticket_types", 0)).toMatchObject({ sold_qty: 0, available_qty: 10, event_id: id })
    const [row] = await sql.query<{ readonly organizer_id: number; readonly version: number; readonly sold_qty: number }>(
      "SELECT e.organizer_id::int AS organizer_id, e.version, tt.sold_qty FROM events e JOIN ticket_types tt ON tt.event_id = e.id WHERE e.id = $1",
      [id]
    )
    expect(row).toEqual({ organizer_id: bob.id, version: 1, sold_qty: 0 })
  })

  it("refuses a status other than draft or published (no cancelling through create)", async () => {
    const reply = await call(service.base, "/v1/events", { token: bob.token, json: { title: "x", status: "cancelled", start_time: "2032-03-01T18:00:00Z", end_time: "2032-03-01T20:00:00Z", ticket_types: [{ name: "GA", price: 1, currency: "NGN", total_qty: 1 }] } })
    expect(reply.status).toBe(422)
    expect(field(reply.body, "error", "status")).toBe("must be published or draft")
  })

  it("a purchase ignores the buyer id, prices, totals, codes and statuses sent by the client", async () => {
    const event = await createEvent(service.base, alice.token, [{ name: "GA", price: 7_500, total_qty: 10 }])
    const typeId = event.ticketTypeIds[0] ?? 0
    const reply = await call(service.base, "/v1/buy-ticket", {
      token: bob.token,
      json: {
        eventId: event.id, userId: alice.id, user_id: alice.id, total_amount: 1, currency: "USD", status: "used",
        ticketTypes: [{ ...line(typeId, 2, "bob@example.com"), price: 1, code: "AAAAAAAA", status: "used", userId: alice.id }]
      }
    })
    expect(reply.status).toBe(201)
    expect(field(reply.body, "order")).toMatchObject({ user_id: bob.id, total_amount: 15_000, currency: "NGN" })
    const tickets = field(reply.body, "tickets") as ReadonlyArray<Json>
    expect(tickets.map((t) => [field(t, "status"), field(t, "user_id"), field(t, "price")])).toEqual([["sold", bob.id, 7_500], ["sold", bob.id, 7_500]])
    expect(tickets.map((t) => field(t, "code"))).not.toContain("AAAAAAAA")
    const rows = await sql.query<{ readonly user_id: number; readonly status: string; readonly price: number }>(
      "SELECT user_id::int AS user_id, status, price::int AS price FROM tickets WHERE order_id = $1", [num(reply, "order", "id")]
    )
    expect(rows).toEqual([{ user_id: bob.id, status: "sold", price: 7_500 }, { user_id: bob.id, status: "sold", price: 7_500 }])
  })

  it("register ignores ids, roles and hashes sent by the client", async () => {
    const email = `${unique("eve")}@example.com`
    const reply = await call(service.base, "/v1/register", {
      json: { id: 1, name: "Eve", email, password: PASSWORD, role: "admin", is_admin: true, password_hash: "$2b$04$abcdefghijklmnopqrstuu", created_at: "2000-01-01T00:00:00Z" }
    })
    expect(reply.status).toBe(201)
    expect(num(reply, "user", "id")).not.toBe(1)
    const login = await call(service.base, "/v1/login", { json: { email, password: PASSWORD } })
    expect(login.status).toBe(200)
  })
})

describe("SQL metacharacters in every field", () => {
  const NASTY = "O'Brien\"; DROP TABLE events; -- 100% _x_ \\ $$ ;"

  it("stores and returns them verbatim, finds them literally, and the tables survive", async () => {
    const email = `o'brien+${unique("sql")}@example.com`
    const registered = await call(service.base, "/v1/register", { json: { name: NASTY, email, password: `${NASTY}pw` } })
    expect(registered.status).toBe(201)
    expect(field(registered.body, "user", "name")).toBe(NASTY.trim())
    const login = await call(service.base, "/v1/login", { json: { email, password: `${NASTY}pw` } })
    expect(login.status).toBe(200)
    const token = String(field(login.body, "token"))

    const marker = unique("m")
    const created = await call(service.base, "/v1/events", {
      token,
      json: {
        title: `${NASTY} ${marker}`, description: NASTY, location: `${NASTY} Lagos`,
        start_time: "2032-03-01T18:00:00Z", end_time: "2032-03-01T20:00:00Z",
        ticket_types: [{ name: NASTY, price: 100, currency: "NGN", total_qty: 10 }, { name: `${NASTY} 2`, price: 100, currency: "NGN", total_qty: 10 }]
      }
    })
    expect(created.status).toBe(201)
    const id = num(created, "event", "id")
    const read = await call(service.base, `/v1/events/${id}`)
    expect(field(read.body, "event", "title")).toBe(`${NASTY} ${marker}`.trim())
    expect(field(read.body, "event", "description")).toBe(NASTY)
    expect(field(read.body, "event", "ticket_types", 0, "name")).toBe(NASTY.trim())

    const search = async (q: string) => field((await call(service.base, `/v1/events?limit=100&q=${encodeURIComponent(q)}`)).body, "metadata", "total")
    expect(await search(`Brien"; DROP TABLE events; -- 100% _x_ \\ $$ ; ${marker}`)).toBe(1)
    expect(await search(`Brien"; DROP`)).toBeGreaterThanOrEqual(1)
    // LIKE wildcards are literal: as wildcards, "100% <marker>" and "_x_" would also match this one.
    await createEvent(service.base, alice.token, [{ name: "GA", total_qty: 1 }], { title: `1000 axb ${marker}` })
    expect(await search(`axb ${marker}`)).toBe(1)
    expect(await search(`100% ${marker}`)).toBe(0)
    expect(await search("_x_")).toBe(1)

    const bought = await call(service.base, "/v1/buy-ticket", {
      headers: { "idempotency-key": "'; DROP TABLE idempotency_keys; --" },
      json: { eventId: id, ticketTypes: [line(num(created, "event", "ticket_types", 0, "id"), 1, `x'or'1'='1@example.com`)] }
    })
    expect(bought.status).toBe(201)
    expect(field(bought.body, "order", "buyer_email")).toBe(`x'or'1'='1@example.com`)
    const replayed = await call(service.base, "/v1/buy-ticket", {
      headers: { "idempotency-key": "'; DROP TABLE idempotency_keys; --" },
      json: { eventId: id, ticketTypes: [line(num(created, "event", "ticket_types", 0, "id"), 1, `x'or'1'='1@example.com`)] }
    })
    expect(replayed.headers.get("idempotent-replayed")).toBe("true")

    for (const [path, status] of [
      ["/v1/events?sort=title%3B%20DROP%20TABLE%20events", 422],
      ["/v1/events?page=1%3B%20DROP%20TABLE%20events", 422],
      ["/v1/events?from=2032-01-01%27%20OR%20%271%27%3D%271", 422],
      ["/v1/events/1%20OR%201%3D1", 404]
    ] as const) {
      expect((await call(service.base, path)).status, path).toBe(status)
    }
    const tables = await sql.query<{ readonly name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('users', 'events', 'ticket_types', 'orders', 'tickets', 'idempotency_keys') ORDER BY 1"
    )
    expect(tables.map((t) => t.name)).toEqual(["events", "idempotency_keys", "orders", "ticket_types", "tickets", "users"])
  })
})
