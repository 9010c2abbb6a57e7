import { Effect } from "effect"
import { makeInMemoryPasswordHasher } from "@ticketmania/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { freshEmail } from "./support/client.ts"
import { transports, useApp } from "./support/transports.ts"

// With a hasher that costs time like bcrypt does, an unknown email must take as long as a wrong
// password: both do one comparison. A relative check (means within 2×), not absolute timings.

const COST = Effect.sleep("15 millis")
const SAMPLES = 25

describe.each(transports)("login timing (%s)", (_transport, start) => {
  const send = useApp(start, { hasher: makeInMemoryPasswordHasher(COST) }, { beforeAll, afterAll })

  it("does not tell an unknown email from a wrong password", async () => {
    const email = freshEmail()
    await send("/v1/register", { method: "POST", json: { name: "Ada", email, password: "securepassword123" } })
    const time = async (body: unknown) => {
      const started = performance.now()
      const res = await send("/v1/login", { method: "POST", json: body })
      expect(res.status).toBe(401)
      return performance.now() - started
    }
    const unknown: Array<number> = []
    const wrong: Array<number> = []
    for (let i = 0; i < SAMPLES; i++) {
      unknown.push(await time({ email: freshEmail("ghost"), password: "securepassword123" }))
      wrong.push(await time({ email, password: "not the password" }))
    }
    const mean = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0) / xs.length
    const [a, b] = [mean(unknown), mean(wrong)]
    expect(Math.min(a, b)).toBeGreaterThanOrEqual(15)
    expect(Math.max(a, b) / Math.min(a, b)).toBeLessThan(2)
  })
})
