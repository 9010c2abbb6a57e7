import { packageConfig } from "../../vitest.shared.ts"

export default packageConfig("domain", import.meta.url)
