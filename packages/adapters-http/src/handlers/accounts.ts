import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { authenticateUser, registerUser } from "@ticketmania/domain"
import { Api } from "../api/Api.ts"
import { Jwt } from "../auth/Jwt.ts"
import { readJsonBody } from "../http/body.ts"
import { HttpConfig } from "../config/HttpConfig.ts"
import { HASHING_RETRY_AFTER_SECONDS, HashAdmission, HashingBusy, hashingBusyResponse, makeHashAdmission } from "./admission.ts"
import { fromDomain } from "./domainErrors.ts"
import { timestamp, userJson } from "./wire.ts"

/** POST /v1/register and POST /v1/login. */
export const AccountsHandlers = HttpApiBuilder.group(Api, "accounts", Effect.fn(function*(handlers) {
  const jwt = yield* Jwt
  const { admitted, full } = (yield* HashAdmission) ?? (yield* makeHashAdmission((yield* HttpConfig).hashing))
  const refusal = new HashingBusy({ retryAfterSeconds: HASHING_RETRY_AFTER_SECONDS })
  return handlers
    .handleRaw("register", () =>
      Effect.gen(function*() {
        // Refused before the body is read: shedding load costs least first.
        if (full()) return hashingBusyResponse(refusal)
        const body = yield* readJsonBody("object")
        return yield* admitted(registerUser(body).pipe(Effect.mapError(fromDomain))).pipe(
          Effect.map((user) => ({ user: userJson(user) })),
          Effect.catchTag("HashingBusy", (busy) => Effect.succeed(hashingBusyResponse(busy)))
        )
      }))
    .handleRaw("login", () =>
      Effect.gen(function*() {
        if (full()) return hashingBusyResponse(refusal)
        const body = yield* readJsonBody("object")
        return yield* admitted(authenticateUser(body).pipe(Effect.mapError(fromDomain))).pipe(
          Effect.flatMap((user) =>
            Effect.map(jwt.issue(user), ({ token, expiresAt }) => ({
              token,
              token_type: "Bearer" as const,
              expires_at: timestamp(expiresAt),
              user: userJson(user)
            }))
          ),
          Effect.catchTag("HashingBusy", (busy) => Effect.succeed(hashingBusyResponse(busy)))
        )
      }))
}))
