import { afterAll, describe, expect, it } from "vitest"
import { freshEmail, read } from "./support/client.ts"
import { inProcessApp } from "./support/inProcess.ts"

describe("POST /v1/register", () => {
  const { send, dispose } = inProcessApp()
  afterAll(() => dispose())

  it("creates a user: 201 with the user and no password or hash", async () => {
    const email = freshEmail()
    const res = await read(send("/v1/register", { method: "POST", json: { name: " Ada ", email: email.toUpperCase(), password: "securepassword123" } }))
    expect(res.status).toBe(201)
    expect(Object.keys(res.body.user ?? {}).sort()).toEqual(["created_at", "email", "id", "name"])
    expect(res.body.user).toMatchObject({ name: "Ada", email })
    expect(JSON.stringify(res.body)).not.toMatch(/securepassword|hash/i)
  })

  it("refuses an email taken in any case with 409 email_taken", async () => {
    const email = freshEmail()
    await send("/v1/register", { method: "POST", json: { name: "A", email, password: "securepassword123" } })
    const res = await read(send("/v1/register", { method: "POST", json: { name: "B", email: email.toUpperCase(), password: "securepassword123" } }))
    expect(res.status).toBe(409)
    expect(res.body).toEqual({ error: "a user with this email address already exists", code: "email_taken" })
  })

  it("lists every invalid field at once with 422", async () => {
    const res = await read(send("/v1/register", { method: "POST", json: { name: "", email: "nope", password: "short" } }))
    expect(res.status).toBe(422)
    expect(res.body).toEqual({
      error: { name: "must not be empty", email: "must be a valid email address", password: "must be at least 8 bytes" },
      code: "validation_failed"
    })
  })

  it("reports missing fields as required", async () => {
    const res = await read(send("/v1/register", { method: "POST", json: {} }))
    expect(res.status).toBe(422)
    expect(res.body.error).toEqual({ name: "is required", email: "is required", password: "is required" })
  })
})

describe("POST /v1/login", () => {
  const { send, dispose } = inProcessApp()
  afterAll(() => dispose())

  it("returns a bearer token, its expiry and the user", async () => {
    const email = freshEmail()
    await send("/v1/register", { method: "POST", json: { name: "Ada", email, password: "securepassword123" } })
    const res = await read(send("/v1/login", { method: "POST", json: { email: email.toUpperCase(), password: "securepassword123" } }))
    expect(res.status).toBe(200)
    expect(res.body.token_type).toBe("Bearer")
    expect(String(res.body.token).split(".")).toHaveLength(3)
    const expires = Date.parse(String(res.body.expires_at)) - Date.now()
    expect(expires).toBeGreaterThan(23 * 3600_000)
    expect(expires).toBeLessThanOrEqual(24 * 3600_000)
    expect(res.body.user).toMatchObject({ email, name: "Ada" })
  })

  it("answers an unknown email and a wrong password alike: 401 invalid_credentials", async () => {
    const email = freshEmail()
    await send("/v1/register", { method: "POST", json: { name: "Ada", email, password: "securepassword123" } })
    const wrong = await read(send("/v1/login", { method: "POST", json: { email, password: "wrong password!" } }))
    const unknown = await read(send("/v1/login", { method: "POST", json: { email: freshEmail(), password: "securepassword123" } }))
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401)
      expect(res.body).toEqual({ error: "invalid email or password", code: "invalid_credentials" })
      expect(res.headers.get("www-authenticate")).toBeNull()
    }
  })

  it("gives 422 (not 500) for a malformed login body", async () => {
    const res = await read(send("/v1/login", { method: "POST", json: { email: "not-an-email" } }))
    expect(res.status).toBe(422)
    expect(res.body.error).toEqual({ email: "must be a valid email address", password: "is required" })
  })
})
