import { Result } from "effect"

// A strict JSON parser (RFC 8259) for request bodies. Unlike `JSON.parse` it rejects duplicate
// keys (which parsers resolve differently, a classic way to smuggle a second value past a check),
// bounds nesting depth (so a deep body cannot exhaust the stack), and says where the problem is.
// Failures are returned, not thrown.

/** Where and why a text is not acceptable JSON. */
export interface JsonSyntaxError {
  readonly line: number
  readonly column: number
  readonly reason: string
}

const FAIL: unique symbol = Symbol("fail")
type Parsed = unknown | typeof FAIL

const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" }
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

const describe = (text: string, at: number): string =>
  at >= text.length ? "unexpected end of input" : `unexpected character ${JSON.stringify(text[at])}`

/** Parses `text` as one JSON value, with nesting at most `maxDepth` deep. */
export const parseJson = (text: string, maxDepth = 64): Result.Result<unknown, JsonSyntaxError> => {
  let at = 0
  let failure: { at: number; reason: string } | undefined

  const fail = (reason: string, where = at): typeof FAIL => {
    failure ??= { at: where, reason }
    return FAIL
  }
  const skipSpace = () => {
    let c = text.charCodeAt(at)
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++at)
  }

  const parseString = (): string | typeof FAIL => {
    let out = ""
    let start = ++at
    for (;;) {
      const c = text.charCodeAt(at)
      if (Number.isNaN(c)) return fail("unterminated string")
      if (c === 34) break
      if (c < 32) return fail("control character in string (escape it)")
      if (c !== 92) {
        at++
        continue
      }
      out += text.slice(start, at)
      const e = text[at + 1] ?? ""
      if (e === "u") {
        const hex = text.slice(at + 2, at + 6)
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return fail("invalid \\u escape")
        out += String.fromCharCode(parseInt(hex, 16))
        at += 6
      } else {
        const decoded = ESCAPES[e]
        if (decoded === undefined) return fail("invalid escape sequence")
        out += decoded
        at += 2
      }
      start = at
    }
    out += text.slice(start, at++)
    return out
  }

  const parseValue = (depth: number): Parsed => {
    skipSpace()
    const c = text[at]
    if (c === "{" || c === "[") {
      if (depth >= maxDepth) return fail(`nested deeper than ${maxDepth} levels`)
      return c === "{" ? parseObject(depth + 1) : parseArray(depth + 1)
    }
    if (c === '"') return parseString()
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const) {
      if (text.startsWith(word, at)) {
        at += word.length
        return value
      }
    }
    NUMBER.lastIndex = at
    const number = NUMBER.exec(text)
    if (number === null) return fail(describe(text, at))
    at += number[0].length
    return Number(number[0])
  }

  const parseArray = (depth: number): Parsed => {
    const items: Array<unknown> = []
    at++
    skipSpace()
    if (text[at] === "]") return at++, items
    for (;;) {
      const item = parseValue(depth)
      if (item === FAIL) return FAIL
      items.push(item)
      skipSpace()
      const c = text[at++]
      if (c === "]") return items
      if (c !== ",") return fail(`${describe(text, at - 1)}; expected "," or "]"`, at - 1)
    }
  }

  const parseObject = (depth: number): Parsed => {
    const object: Record<string, unknown> = {}
    at++
    skipSpace()
    if (text[at] === "}") return at++, object
    for (;;) {
      skipSpace()
      if (text[at] !== '"') return fail(`${describe(text, at)}; expected a key in double quotes`)
      const keyAt = at
      const key = parseString()
      if (key === FAIL) return FAIL
      if (Object.hasOwn(object, key)) return fail(`duplicate key ${JSON.stringify(key)}`, keyAt)
      skipSpace()
      if (text[at] !== ":") return fail(`${describe(text, at)}; expected ":"`)
      at++
      const value = parseValue(depth)
      if (value === FAIL) return FAIL
      // defineProperty, not assignment: a "__proto__" key must stay plain data.
      Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true })
      skipSpace()
      const c = text[at++]
      if (c === "}") return object
      if (c !== ",") return fail(`${describe(text, at - 1)}; expected "," or "}"`, at - 1)
    }
  }

  const value = parseValue(0)
  if (value !== FAIL) {
    skipSpace()
    if (at < text.length) fail("unexpected data after the JSON value")
  }
  if (failure === undefined) return Result.succeed(value)
  const before = text.slice(0, failure.at)
  const line = before.split("\n").length
  const column = failure.at - before.lastIndexOf("\n")
  return Result.fail({ line, column, reason: failure.reason })
}
