/**
 * SQLite's DDL differences. Foreign keys are always written inline (SQLite does not check them at
 * CREATE time); dropping a cycle suspends enforcement with `PRAGMA foreign_keys` (a no-op inside a
 * transaction, so run dropAll outside one when tables reference each other).
 */
import type { DdlHooks } from '../dialect.js'
import { standardStringLiteral } from '../../ddl/literal.js'

/**
 * The current instant in the default stored form of timestamps: whole seconds, `.SSS` only when
 * there are milliseconds (`'now'` is one instant throughout a statement).
 */
export const NOW = "strftime('%Y-%m-%d %H:%M:%S', 'now') || CASE WHEN strftime('%f', 'now') LIKE '%.000' THEN '' ELSE substr(strftime('%f', 'now'), 3) END"

/** SQLite's DDL hooks. */
export const ddl: DdlHooks = {
  stringLiteral: standardStringLiteral,
  bytesLiteral: (hex) => `X'${hex}'`,
  autoIncrement: { type: 'INTEGER', clause: '', notNull: false },
  enumCheck: true,
  inlineIndexes: false,
  tableOptions: '',
  // Same text form as bound Dates, so values sort and compare as text.
  currentTimestamp: (column) => (column.stored === 'milliseconds' ? "(strftime('%Y-%m-%d %H:%M:%f', 'now'))" : `(${NOW})`),
  suspendForeignKeys: ['PRAGMA foreign_keys = OFF', 'PRAGMA foreign_keys = ON'],
  dropIndexOnTable: false,
  migrationLock: {
    scope: 'transaction',
    // BEGIN IMMEDIATE takes the write lock; the busy timeout bounds the wait.
    before: (ms) => [`PRAGMA busy_timeout = ${Math.max(0, Math.floor(ms))}`],
    acquire: () => ['SELECT 1'],
  },
}
