// `npm run lint`: ESLint (code rules), then dependency-cruiser (architecture boundaries, see
// .dependency-cruiser.cjs). Both always run, so one report shows every problem; the exit code
// is the first non-zero one.
import { bin, step } from "./steps.mjs"

const eslint = await step("eslint", bin("eslint"), [
  ".",
  "--max-warnings=0",
  "--cache",
  "--cache-location=node_modules/.cache/eslint/"
])
const depcruise = await step("dependency-cruiser (architecture boundaries)", bin("dependency-cruiser"), [
  "packages",
  "examples",
  "--config=.dependency-cruiser.cjs",
  "--output-type=err-long"
])
process.exit(eslint || depcruise)
