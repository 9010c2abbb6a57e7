import { packageConfig } from "../../vitest.shared.ts"

export default packageConfig("cli", import.meta.url)
