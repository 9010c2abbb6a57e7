import { createInterface } from "node:readline"
import { Writable } from "node:stream"

/** Reads all of stdin and returns its first line (the password, without the line break). */
const readStdin = async (): Promise<string> => {
  const chunks: Array<Buffer> = []
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
  return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? ""
}

/** Asks for a password on the terminal without echoing it. */
const prompt = (question: string): Promise<string> =>
  new Promise((resolve) => {
    // readline echoes what is typed to its output: give it one that discards everything.
    const silent = new Writable({ write: (_chunk, _encoding, done) => done() })
    const rl = createInterface({ input: process.stdin, output: silent, terminal: true })
    process.stderr.write(question)
    rl.question("", (answer) => {
      process.stderr.write("\n")
      rl.close()
      resolve(answer)
    })
  })

/**
 * The password for a new user: from stdin with `--password-stdin`, else prompted for without echo
 * on a terminal. Never from argv, where it would show in `ps` and shell history.
 */
export const readPassword = async (fromStdin: boolean): Promise<string | undefined> => {
  if (fromStdin) return readStdin()
  if (!process.stdin.isTTY) return undefined
  return prompt("Password: ")
}
