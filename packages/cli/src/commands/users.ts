import { registerUser } from "@ticketmania/domain"
import { userJson } from "@ticketmania/adapters-http"
import type { Output } from "../output.ts"
import { readPassword } from "../password.ts"
import { runCommand } from "../runtime.ts"

/** Options of `users create`. */
export interface CreateUserOptions {
  readonly name: string
  readonly email: string
  readonly passwordStdin?: boolean
}

/** `users create`: registers a user (the welcome mail is queued as for a sign-up over HTTP). */
export const createUser = async (options: CreateUserOptions, output: Output): Promise<void> => {
  const password = await readPassword(options.passwordStdin === true)
  if (password === undefined) {
    process.stderr.write("error: no password: pipe it with --password-stdin, or run on a terminal to be asked\n")
    process.exitCode = 1
    return
  }
  await runCommand(output, registerUser({ name: options.name, email: options.email, password }), (user) => ({
    json: { user: userJson(user) },
    text: () => `created user ${user.id}: ${user.name} <${user.email}>`
  }))
}

