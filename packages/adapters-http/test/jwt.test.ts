import { Redacted } from "effect"
import { SignJWT, UnsecuredJWT } from "jose"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { HttpConfig, JWT_AUDIENCE, JWT_ISSUER } from "../src/index.ts"
import { eventBody, read, signUp } from "./support/client.ts"
import { transports, useApp } from "./support/transports.ts"

// Every way a bearer token can be wrong gets 401 invalid_token with the RFC 6750 challenge, on
// public and protected routes alike.

const secret = Redacted.value(HttpConfig.testValues().jwtSecret)
const otherSecret = new TextEncoder().encode("another-secret-that-is-long-enough-for-hs256")
const now = () => Math.floor(Date.now() / 1000)

const sign = (options: {
  readonly alg?: string
  readonly key?: Uint8Array
  readonly claims?: Record<string, unknown>
  readonly header?: Record<string, unknown>
  readonly omit?: ReadonlyArray<"exp" | "iss" | "aud">
} = {}) => {
  const claims: Record<string, unknown> = {
    sub: "1",
    email: "x@example.com",
    iss: JWT_ISSUER,
    aud: JWT_AUDIENCE,
    iat: now(),
    nbf: now(),
    exp: now() + 3600,
    jti: "jti-1",
    ...options.claims
  }
  for (const claim of options.omit ?? []) delete claims[claim]
  return new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? "HS256", typ: "JWT", ...options.header }).sign(options.key ?? secret)
}

const tamper = (token: string) => {
  const [header, payload, signature] = token.split(".")
  const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as Record<string, unknown>
  const forged = Buffer.from(JSON.stringify({ ...claims, sub: "2" })).toString("base64url")
  return `${header}.${forged}.${signature}`
}

describe.each(transports)("bearer token attacks (%s)", (_transport, start) => {
  const send = useApp(start, undefined, { beforeAll, afterAll })

  const attacks: ReadonlyArray<readonly [string, () => Promise<string>]> = [
    ["alg none", async () => `Bearer ${new UnsecuredJWT({ sub: "1", iss: JWT_ISSUER, aud: JWT_AUDIENCE, exp: now() + 3600 }).encode()}`],
    ["HS384 with the same secret", async () => `Bearer ${await sign({ alg: "HS384" })}`],
    ["HS512 with the same secret", async () => `Bearer ${await sign({ alg: "HS512" })}`],
    ["another secret", async () => `Bearer ${await sign({ key: otherSecret })}`],
    ["expired", async () => `Bearer ${await sign({ claims: { exp: now() - 60 } })}`],
    ["no exp", async () => `Bearer ${await sign({ omit: ["exp"] })}`],
    ["not valid yet (nbf)", async () => `Bearer ${await sign({ claims: { nbf: now() + 600 } })}`],
    ["wrong issuer", async () => `Bearer ${await sign({ claims: { iss: "evil" } })}`],
    ["no issuer", async () => `Bearer ${await sign({ omit: ["iss"] })}`],
    ["wrong audience", async () => `Bearer ${await sign({ claims: { aud: "other-api" } })}`],
    ["tampered payload", async () => `Bearer ${tamper(await sign())}`],
    ["embedded jwk of the attacker's key", async () => `Bearer ${await sign({ key: otherSecret, header: { jwk: { kty: "oct", k: Buffer.from(otherSecret).toString("base64url") } } })}`],
    ["non-numeric subject", async () => `Bearer ${await sign({ claims: { sub: "admin" } })}`],
    ["garbage", async () => "Bearer not.a.jwt"],
    ["scheme only", async () => "Bearer"],
    ["Basic credentials", async () => "Basic dXNlcjpwYXNzd29yZA=="],
    ["two tokens", async () => `Bearer ${await sign()} ${await sign()}`]
  ]

  it.each(attacks)("%s: 401 invalid_token on public and protected routes", async (_name, makeHeader) => {
    const authorization = await makeHeader()
    for (const [path, init] of [["/v1/events", {}], ["/v1/healthcheck", {}], ["/v1/events", { method: "POST", json: eventBody() }]] as const) {
      const res = await read(send(path, { ...init, headers: { authorization } }))
      expect(res.status, `${path}`).toBe(401)
      expect(res.body).toEqual({ error: "the bearer token is malformed, invalid or expired", code: "invalid_token" })
      expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"')
    }
  })

  it("accepts the tokens it issues, with the scheme in any case", async () => {
    const { token } = await signUp(send)
    for (const scheme of ["Bearer", "bearer", "BEARER"]) {
      const res = await read(send("/v1/events", { method: "POST", json: eventBody(), headers: { authorization: `${scheme} ${token}` } }))
      expect(res.status).toBe(201)
    }
  })

  // Found by the system tests: a token signed before the database was reset named a user that no
  // longer existed, and creating an event with it failed on the foreign key (500).
  it("refuses a well-signed token whose user does not exist, or that names another user's email", async () => {
    const { userId } = await signUp(send)
    for (const claims of [{ sub: "987654" }, { sub: String(userId), email: "someone-else@example.com" }]) {
      const authorization = `Bearer ${await sign({ claims })}`
      for (const [path, init] of [["/v1/events", {}], ["/v1/events", { method: "POST", json: eventBody() }]] as const) {
        const res = await read(send(path, { ...init, headers: { authorization } }))
        expect(res.status, `${path} ${JSON.stringify(claims)}`).toBe(401)
        expect(res.body).toEqual({ error: "the bearer token is malformed, invalid or expired", code: "invalid_token" })
      }
    }
  })

  it("never echoes the token back", async () => {
    const token = await sign({ key: otherSecret })
    const res = await send("/v1/events", { headers: { authorization: `Bearer ${token}` } })
    expect(await res.text()).not.toContain(token)
  })
})
