// Pins what an editor shows for rows the session loads: one flat object type, nested relations
// included, never the loading machinery (Simplify<… & TreeValues<{ books: { t: TableOf<…> …).
// Uses TypeScript's language service (the same quick info an editor's hover asks for).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')

/** The hover text of the first `const <name>` in `file`, type-checked with the repository's tsconfig. */
function hoverOf(file: string, name: string): string {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(`tsconfig.json: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
    },
  })!
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => [file],
    getScriptVersion: () => '1',
    getScriptSnapshot: (f) => (ts.sys.fileExists(f) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(f)!) : undefined),
    getCurrentDirectory: () => root,
    getCompilationSettings: () => config.options,
    getDefaultLibFileName: ts.getDefaultLibFilePath,
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  }
  const service = ts.createLanguageService(host)
  const errors = service.getSemanticDiagnostics(file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
  expect(errors, `${file} must compile`).toEqual([])
  const at = readFileSync(file, 'utf8').indexOf(`const ${name}`)
  if (at < 0) throw new Error(`${file} has no 'const ${name}'`)
  const info = service.getQuickInfoAtPosition(file, at + 'const '.length)
  if (!info) throw new Error(`no quick info for '${name}' in ${file}`)
  return ts.displayPartsToString(info.displayParts)
}

describe('hover text', () => {
  it('session rows loaded with selectinload(authors.books, books.tags) show as one flat object type', () => {
    expect(hoverOf(join(root, 'tests', 'types', 'hover-fixture.ts'), 'loaded')).toBe(
      [
        'const loaded: {',
        '    id: number;',
        '    name: string;',
        '    books: {',
        '        id: number;',
        '        authorId: number;',
        '        title: string;',
        '        tags: {',
        '            id: number;',
        '            name: string;',
        '        }[];',
        '    }[];',
        '}[]',
      ].join('\n'),
    )
  }, 180_000)

  it('rows of a UNION whose first branch is literal(null) show as a plain object type, widened', () => {
    expect(hoverOf(join(root, 'tests', 'types', 'hover-fixture.ts'), 'united')).toBe(['const united: {', '    title: string | null;', '}[]'].join('\n'))
  }, 180_000)
})
