import { Result } from "effect"

// Refusals such as `SoldOut` or `Overloaded` are expected outcomes, made by the thousand a second
// in a flash sale. Capturing a stack trace is most of what constructing one costs — the engine
// walks the stack, which is deep inside a fiber — and the trace says nothing about a business
// outcome. `Error.stackTraceLimit` is the engine's switch for it (V8; elsewhere it means nothing,
// and the standard library's types do not declare it, hence Reflect).

/** `make()` (building an expected error) with no stack trace captured. */
export const withoutStackTrace = <A>(make: () => A): A => {
  const limit: unknown = Reflect.get(Error, "stackTraceLimit")
  Reflect.set(Error, "stackTraceLimit", 0)
  const made = Result.try(make)
  Reflect.set(Error, "stackTraceLimit", limit)
  return Result.getOrThrowWith(made, (cause) => cause)
}
