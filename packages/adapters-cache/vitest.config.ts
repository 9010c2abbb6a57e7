import { packageConfig } from "../../vitest.shared.ts"

export default packageConfig("adapters-cache", import.meta.url)
