import { Effect, FileSystem, Path, Redacted, Schema } from "effect"

/** The fewest secret bytes HS256 may use (RFC 7518 §3.2: at least the hash size). */
export const MIN_SECRET_BYTES = 32

/** The configuration cannot be used; `message` is one line naming the variable. */
export class ConfigInvalid extends Schema.TaggedError<ConfigInvalid>()("ConfigInvalid", {
  variable: Schema.String,
  problem: Schema.String
}) {
  override get message(): string {
    return `invalid configuration: ${this.variable} ${this.problem}`
  }
}

const utf8 = new TextEncoder()

/** Checks a configured secret's length without ever printing it. */
export const checkSecret = (secret: string, variable: string): Effect.Effect<Redacted.Redacted<Uint8Array>, ConfigInvalid> => {
  const bytes = utf8.encode(secret)
  return bytes.length >= MIN_SECRET_BYTES
    ? Effect.succeed(Redacted.make(bytes, { label: variable }))
    : Effect.fail(new ConfigInvalid({ variable, problem: `must be at least ${MIN_SECRET_BYTES} bytes (got ${bytes.length})` }))
}

/**
 * The development secret kept in `dataDir/jwt-secret`: read if present, otherwise generated once
 * (48 random bytes) and written with owner-only permissions, so tokens survive restarts. Written
 * exclusively, so two processes starting together end up with the same secret.
 */
export const developmentSecret = Effect.fn("developmentSecret")(function*(dataDir: string) {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const file = path.join(dataDir, "jwt-secret")
  const problem = (what: string) => new ConfigInvalid({ variable: "JWT_SECRET", problem: `is unset and ${what} ${file}` })
  if (!(yield* fs.exists(file).pipe(Effect.orElseSucceed(() => false)))) {
    yield* fs.makeDirectory(dataDir, { recursive: true, mode: 0o700 }).pipe(Effect.mapError(() => problem("cannot create the directory of")))
    const fresh = Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString("base64url")
    // "wx" fails if another process won the race; its secret is read below.
    yield* fs.writeFileString(file, `${fresh}\n`, { flag: "wx", mode: 0o600 }).pipe(Effect.ignore)
  }
  const stored = yield* fs.readFileString(file).pipe(Effect.mapError(() => problem("cannot read")))
  return yield* checkSecret(stored.trim(), `JWT_SECRET (kept in ${file})`)
})
