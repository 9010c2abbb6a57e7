// Paths that git ignores (relative to the repo root, directories ending in "/"), read from git
// itself so nested .gitignore files count too: build output, .data/, a developer's scratch dir.
// The lint configs skip them: lint sees what a commit would. Outside a git checkout: [].
const { execFileSync } = require("node:child_process")

function gitIgnored() {
  try {
    const out = execFileSync(
      "git",
      ["ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"],
      { cwd: `${__dirname}/..`, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }
    )
    return out.split("\0").filter(Boolean)
  } catch {
    return []
  }
}

module.exports = { gitIgnored }
