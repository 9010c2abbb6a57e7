import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { LoginInput, RegistrationInput } from "@ticketmania/domain"
import { bodyErrors, everyRoute } from "./common.ts"
import { Conflict, Unauthorized, Unavailable, ValidationError } from "./errors.ts"
import { LoginReply, UserReply } from "./schemas.ts"

/** Registration and login. */
export class AccountsApi extends HttpApiGroup.make("accounts")
  .add(
    HttpApiEndpoint.post("register", "/v1/register", {
      payload: RegistrationInput,
      success: UserReply.pipe(HttpApiSchema.status(201)),
      error: [...bodyErrors, ...everyRoute, ValidationError, Conflict, Unavailable]
    }).annotateMerge(OpenApi.annotations({
      summary: "Register a user",
      description: "409 `email_taken` when the email (in any case) already has an account. Rate limited strictly."
    })),
    HttpApiEndpoint.post("login", "/v1/login", {
      payload: LoginInput,
      success: LoginReply,
      error: [...bodyErrors, ...everyRoute, ValidationError, Unauthorized, Unavailable]
    }).annotateMerge(OpenApi.annotations({
      summary: "Log in and receive a bearer token",
      description: "401 `invalid_credentials` for an unknown email or a wrong password, alike. Rate limited strictly."
    }))
  )
  .annotateMerge(OpenApi.annotations({ title: "Accounts" }))
{}
