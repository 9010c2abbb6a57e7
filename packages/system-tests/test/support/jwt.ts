import { createHmac } from "node:crypto"

// Hand-made JWTs for attacks: the tests take a real token the service issued, read its claims, and
// re-sign variants of it (another algorithm, another key, changed claims) with node:crypto, so
// nothing here trusts the library the service uses.

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url")

/** The header and claims of a token (no verification). */
export const decodeJwt = (token: string): { readonly header: Record<string, unknown>; readonly claims: Record<string, unknown> } => {
  const [header = "", claims = ""] = token.split(".")
  return {
    header: JSON.parse(Buffer.from(header, "base64url").toString()) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(claims, "base64url").toString()) as Record<string, unknown>
  }
}

const HMAC: Record<string, string> = { HS256: "sha256", HS384: "sha384", HS512: "sha512" }

/**
 * Signs `claims` under `header` (alg defaults to HS256) with `secret`; `alg: none` gives an
 * unsigned token (empty signature).
 */
export const signJwt = (header: Record<string, unknown>, claims: Record<string, unknown>, secret: string | Buffer): string => {
  const fullHeader = { alg: "HS256", typ: "JWT", ...header }
  const input = `${b64url(JSON.stringify(fullHeader))}.${b64url(JSON.stringify(claims))}`
  const algorithm = typeof fullHeader.alg === "string" ? HMAC[fullHeader.alg] : undefined
  if (algorithm === undefined) return `${input}.`
  return `${input}.${createHmac(algorithm, secret).update(input).digest("base64url")}`
}

/** Seconds since the epoch. */
export const nowSeconds = () => Math.floor(Date.now() / 1000)
