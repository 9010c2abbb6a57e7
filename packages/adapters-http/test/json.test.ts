import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { parseJson } from "../src/http/json.ts"

describe("the strict JSON parser", () => {
  it("reads exactly what JSON.parse reads, for any JSON text", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2), (value, indent) => {
        const text = JSON.stringify(value, null, indent)
        const parsed = parseJson(text)
        expect(Result.isSuccess(parsed)).toBe(true)
        expect(Result.getOrThrow(parsed)).toEqual(JSON.parse(text))
      }),
      { numRuns: 300 }
    )
  })

  it("rejects whatever JSON.parse rejects", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        let valid = true
        try {
          JSON.parse(text)
        } catch {
          valid = false
        }
        if (!valid) expect(Result.isFailure(parseJson(text))).toBe(true)
      }),
      { numRuns: 500 }
    )
  })

  it.each([
    ['{"a":1,"a":2}', 1, 8, 'duplicate key "a"'],
    ['{"a":{"b":1,\n"b":2}}', 2, 1, 'duplicate key "b"'],
    ["[1,2]x", 1, 6, "unexpected data after the JSON value"],
    ['{"a": "\u0001"}', 1, 8, "control character in string (escape it)"],
    ['"\\x"', 1, 2, "invalid escape sequence"],
    ["01", 1, 2, "unexpected data after the JSON value"],
    ["NaN", 1, 1, 'unexpected character "N"']
  ])("%j fails at line %i, column %i: %s", (text, line, column, reason) => {
    expect(parseJson(text)).toEqual(Result.fail({ line, column, reason }))
  })

  it("keeps __proto__ as a plain key", () => {
    const value = Result.getOrThrow(parseJson('{"__proto__": {"polluted": true}}')) as Record<string, unknown>
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(Object.keys(value)).toEqual(["__proto__"])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it("survives deep nesting without exhausting the stack", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000)
    expect(Result.isFailure(parseJson(deep))).toBe(true)
  })
})
