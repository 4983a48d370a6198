import { readdir } from 'node:fs/promises'
import { join } from 'node:path'

/** Every TypeScript file below `directory`: what the code-reading unit tests look through. */
export async function sourceFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true })
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? sourceFiles(join(directory, entry.name)) : [join(directory, entry.name)]
    )
  )
  return nested.flat().filter((file) => file.endsWith('.ts'))
}
