import { Effect, Schema, SchemaAST, SchemaIssue } from "effect"
import { ValidationFailed } from "../errors.ts"

// Turns Schema's issue tree into the contract's flat map of field path → message, reporting every
// bad field at once. Paths read like code: `ticket_types[1].price`, `[0].ticketTypes[2].quantity`.

type PathSegment = PropertyKey | { readonly key: PropertyKey }

const formatPath = (path: ReadonlyArray<PathSegment> | undefined): string => {
  let out = ""
  for (const segment of path ?? []) {
    const key = typeof segment === "object" ? segment.key : segment
    if (typeof key === "number") out += `[${key}]`
    else out += out === "" ? String(key) : `.${String(key)}`
  }
  return out === "" ? "input" : out
}

const describeType = (ast: SchemaAST.AST): string => {
  switch (ast._tag) {
    case "String":
      return "must be a string"
    case "Number":
      return "must be a number"
    case "Boolean":
      return "must be a boolean"
    case "Objects":
      return "must be an object"
    case "Arrays":
      return "must be an array"
    case "Null":
      return "must be null"
    case "Literal":
      return `must be ${JSON.stringify(ast.literal)}`
    case "Union": {
      const literals = ast.types.flatMap((t) => (t._tag === "Literal" ? [JSON.stringify(t.literal)] : []))
      return literals.length === ast.types.length ? `must be one of ${literals.join(", ")}` : "has the wrong type"
    }
    default:
      return "has the wrong type"
  }
}

const leafMessage: SchemaIssue.LeafHook = (issue) => {
  switch (issue._tag) {
    case "MissingKey":
      return "is required"
    case "InvalidType":
      return describeType(issue.ast)
    case "UnexpectedKey":
      return "is not allowed"
    default:
      return SchemaIssue.defaultLeafHook(issue)
  }
}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1({ leafHook: leafMessage })

/** Converts a Schema issue to the field map of `ValidationFailed`; the first message per path wins. */
export const issueToValidationFailed = (issue: SchemaIssue.Issue): ValidationFailed => {
  const fields: Record<string, string> = {}
  for (const { path, message } of formatter(issue).issues) {
    const key = formatPath(path)
    fields[key] ??= message
  }
  return new ValidationFailed({ fields })
}

/**
 * Decodes untrusted input with a domain schema, collecting every problem into one
 * `ValidationFailed` instead of stopping at the first.
 */
export const decodeInput = <S extends Schema.Decoder<unknown>>(schema: S) => {
  const decode = Schema.decodeUnknownEffect(schema)
  return (input: unknown): Effect.Effect<S["Type"], ValidationFailed, S["DecodingServices"]> =>
    decode(input, { errors: "all" }).pipe(
      Effect.mapError((error) => issueToValidationFailed(error.issue))
    )
}
