/** A schema using every column type and option Quarry supports, for the round-trip invariant. */
import { defineSchema, sql } from '@quarry/core'

export const everyFeature = defineSchema(
  {
    accounts: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        email: { type: 'varchar', length: 120, unique: true },
        nickname: { type: 'varchar', nullable: true },
        status: { type: 'enum', values: ['active', 'banned', "it's"], default: 'active' },
        bio: { type: 'text', default: "it's \\ fine" },
        score: { type: 'numeric', precision: 10, scale: 2, default: '1.5' },
        ratio: { type: 'numeric', nullable: true },
        small: { type: 'smallint', default: -3 },
        big: { type: 'bigint', default: 9007199254740993n },
        single: { type: 'real', default: 1.25 },
        double: { type: 'double', default: 2.5 },
        verified: { type: 'boolean', default: false },
        admin: { type: 'boolean', default: true },
        code: { type: 'char', length: 3, default: 'abc' },
        uid: { type: 'uuid', nullable: true },
        born: { type: 'date', nullable: true, default: '2000-01-02' },
        wakes: { type: 'time', nullable: true },
        createdAt: { type: 'timestamp', serverDefault: sql`CURRENT_TIMESTAMP` },
        seenAt: { type: 'timestamp', withTimezone: true, serverDefault: sql`CURRENT_TIMESTAMP` },
        fixedAt: { type: 'timestamp', default: new Date('2020-01-02T03:04:05.678Z') },
        settings: { type: 'json', nullable: true },
        avatar: { type: 'bytes', nullable: true },
        level: { type: 'integer', serverDefault: sql`${1} + ${1}` },
        managerId: { type: 'integer', nullable: true, references: { to: 'accounts.id', onDelete: 'set null' } },
      },
      checks: { adult: sql`${sql.identifier('small')} >= ${-10}` },
      indexes: [{ columns: ['nickname', 'born'] }, { columns: ['code'], unique: true, name: 'accounts_code_unique' }],
    },
    groups: {
      columns: {
        accountId: { type: 'integer', references: { to: 'accounts.id', onDelete: 'cascade', onUpdate: 'cascade' } },
        slug: { type: 'varchar', length: 40 },
        title: { type: 'varchar', length: 200, default: 'untitled' },
        mood: { type: 'enum', values: ['happy', 'sad'], nullable: true },
      },
      primaryKey: ['accountId', 'slug'],
      uniques: [['title', 'slug']],
    },
    memberships: {
      columns: {
        id: { type: 'bigint', primaryKey: true },
        accountId: { type: 'integer', index: true, references: { to: 'accounts.id', onDelete: 'restrict' } },
        note: { type: 'text', nullable: true },
      },
    },
  },
  { casing: 'snake_case' },
)
