#!/usr/bin/env node
/**
 * The `quarry` command: migrations from the command line. Every command has --help.
 */
import { Command } from 'commander'
import { createEngine } from '@quarry/core'
import { loadConfig } from './config.js'
import {
  checkCommand,
  downgradeCommand,
  initCommand,
  lintCommand,
  mergeCommand,
  offlineSql,
  pullCommand,
  revisionCommand,
  stampCommand,
  statusCommand,
  upgradeCommand,
  type Output,
} from './commands.js'

const out: Output = { log: (line) => console.log(line), error: (line) => console.error(line) }
const program = new Command('quarry').description('Quarry migrations: autogenerate, upgrade, downgrade, check').option('-c, --config <file>', 'config file', 'quarry.config.ts')
const config = () => loadConfig(process.cwd(), program.opts<{ config: string }>().config)

program
  .command('init')
  .description('write quarry.config.ts and a migrations folder')
  .option('--url <url>', 'database URL (DATABASE_URL wins at run time)')
  .option('--schema <module>', 'the module exporting the schema', './src/schema.ts')
  .action((o: { url?: string; schema?: string }) => initCommand(process.cwd(), o, out))
program
  .command('revision')
  .description('write a new migration after the current heads')
  .requiredOption('-m, --message <message>', 'what the migration does')
  .option('--autogenerate', 'fill it from the difference between the schema and the database')
  .action(async (o: { message: string; autogenerate?: boolean }) => void (await revisionCommand(await config(), o.message, !!o.autogenerate, out)))
program
  .command('upgrade')
  .description('apply migrations up to a target: head (default), heads, a revision, or +N')
  .argument('[target]', 'head | heads | <revision> | +N', 'head')
  .option('--sql', 'print the SQL instead of running it (offline: starts from base, or --from)')
  .option('--from <revision>', 'with --sql: the revision the database is at')
  .action(async (target: string, o: { sql?: boolean; from?: string }) => {
    const c = await config()
    if (o.sql) {
      if (!c.url) throw new Error(`--sql needs a URL (for its dialect): set DATABASE_URL or 'url' in ${c.file}`)
      const engine = createEngine(c.url)
      try {
        await offlineSql(c, engine.dialect, target, o.from, out)
      } finally {
        await engine.close()
      }
    } else await upgradeCommand(c, target, out)
  })
program
  .command('downgrade')
  .description('revert migrations: -N, down to a revision, or base')
  .argument('[target]', '-N | <revision> | base', '-1')
  .action(async (target: string) => downgradeCommand(await config(), target, out))
for (const what of ['current', 'heads', 'history'] as const) {
  const text = { current: 'the revisions the database is at', heads: 'the heads of the migration graph', history: 'every migration, newest first' }[what]
  program.command(what).description(text).action(async () => statusCommand(await config(), what, out))
}
program
  .command('merge')
  .description('write a migration joining the heads')
  .option('-m, --message <message>', 'message', 'merge heads')
  .action(async (o: { message: string }) => mergeCommand(await config(), o.message, out))
program
  .command('stamp')
  .description('record a revision as applied without running it')
  .argument('<revision>', 'revision, head, or base')
  .action(async (rev: string) => stampCommand(await config(), rev, out))
program
  .command('check')
  .description('exit 1 when the database differs from the schema (for CI)')
  .option('--migrations', 'replay the migrations on in-memory SQLite instead and compare that with the schema')
  .action(async (o: { migrations?: boolean }) => {
    process.exitCode = await checkCommand(await config(), !!o.migrations, out)
  })
program
  .command('pull')
  .description('write the database as a schema module (defineSchema), for a database Quarry did not create')
  .option('-o, --out <file>', "where to write it (default: the config's schema module; - prints it)")
  .option('--force', 'overwrite the file if it exists')
  .addHelpText('after', '\nWhat a schema literal cannot declare (a foreign key over several columns, for example) is written\ninto the module as a comment and printed; `quarry check` is clean against the same database otherwise.')
  .action(async (o: { out?: string; force?: boolean }) => void (await pullCommand(await config(), o, out)))
program
  .command('lint')
  .description('run the lint rules over the migration files; exit 1 on errors')
  .action(async () => {
    const c = await config()
    const engine = createEngine(c.url ?? 'sqlite::memory:')
    try {
      process.exitCode = await lintCommand(c, engine.dialect, out)
    } finally {
      await engine.close()
    }
  })

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`quarry: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
})
