// Every ```ts snippet of README.md compiles, read in order as one user's file: the imports of all
// snippets are merged (one import per module), the rest keeps its order, so a later snippet may
// use what an earlier one declared (the session snippet uses the schema snippet's `users`).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')

/** The README's ```ts blocks, in order. */
export function snippets(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!)
}

/** One module from the snippets: merged named imports first, then every other line in order. */
export function asModule(blocks: readonly string[]): string {
  const imports = new Map<string, Set<string>>()
  const body: string[] = []
  for (const block of blocks) {
    const rest = block.replace(/^import \{([^}]*)\} from '([^']+)'\n/gm, (_, names: string, from: string) => {
      const set = imports.get(from) ?? new Set<string>()
      for (const name of names.split(',').map((n) => n.trim()).filter(Boolean)) set.add(name)
      imports.set(from, set)
      return ''
    })
    body.push(rest)
  }
  const head = [...imports].map(([from, names]) => `import { ${[...names].join(', ')} } from '${from}'`)
  return [...head, '', ...body, 'export {}', ''].join('\n')
}

/** tsc's errors for `text` as a file of the repository (its tsconfig, sources through @quarry/*). */
function errorsOf(text: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(`tsconfig.json: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
    },
  })!
  const file = join(root, 'tests', 'readme', 'readme-snippets.ts')
  const host = ts.createCompilerHost(config.options)
  const getSourceFile = host.getSourceFile
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, text, language) : getSourceFile.call(host, name, language, ...rest)
  const fileExists = host.fileExists
  host.fileExists = (name) => name === file || fileExists.call(host, name)
  const program = ts.createProgram([file], config.options, host)
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined
    const line = where ? text.split('\n')[where.line] : ''
    return `${where ? `line ${where.line + 1}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}\n  ${line}`
  })
}

describe('README.md', () => {
  const blocks = snippets(readFileSync(join(root, 'README.md'), 'utf8'))

  it('has TypeScript snippets to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4)
  })

  it('every TypeScript snippet compiles, read in order as one file', () => {
    expect(errorsOf(asModule(blocks))).toEqual([])
  }, 180_000)

  it('a snippet using a column the schema lacks is reported (the check is not vacuous)', () => {
    const broken = [...blocks, `import { select, eq } from '@quarry/core'\nselect(users).where(eq(users.nickname, 'x'))\n`]
    expect(errorsOf(asModule(broken)).join('\n')).toContain(`Property 'nickname' does not exist`)
  }, 180_000)
})
