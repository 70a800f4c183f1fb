/** Schemas for the session tests beyond the blog: self-reference, a cycle, soft delete, cascades, composite keys. */
import { defineSchema, sql } from '@quarry/core'

export const extra = defineSchema(
  {
    nodes: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        parentId: { type: 'integer', nullable: true, references: 'nodes.id' },
        label: { type: 'varchar', length: 40 },
      },
      relations: {
        parent: { one: 'nodes', backPopulates: 'children' },
        children: { many: 'nodes', backPopulates: 'parent', cascade: ['save-update', 'delete', 'delete-orphan'] },
      },
    },
    departments: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        name: { type: 'varchar', length: 40 },
        managerId: { type: 'integer', nullable: true, references: 'employees.id' },
      },
      relations: {
        manager: { one: 'employees' },
        staff: { many: 'employees', backPopulates: 'department' },
      },
    },
    employees: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        name: { type: 'varchar', length: 40 },
        departmentId: { type: 'integer', references: 'departments.id' },
      },
      relations: { department: { one: 'departments', backPopulates: 'staff' } },
    },
    articles: {
      softDelete: 'deletedAt',
      columns: {
        id: { type: 'integer', primaryKey: true },
        title: { type: 'varchar', length: 100 },
        revision: { type: 'integer', default: 1, onUpdate: sql`revision + 1` },
        deletedAt: { type: 'timestamp', nullable: true },
        createdAt: { type: 'timestamp', serverDefault: sql`CURRENT_TIMESTAMP` },
      },
      relations: { comments: { many: 'comments', backPopulates: 'article', cascade: ['save-update', 'delete', 'delete-orphan'] } },
    },
    comments: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        articleId: { type: 'integer', references: 'articles.id' },
        body: { type: 'text' },
      },
      relations: { article: { one: 'articles', backPopulates: 'comments' } },
    },
    settings: {
      primaryKey: ['scope', 'name'],
      columns: {
        scope: { type: 'varchar', length: 20 },
        name: { type: 'varchar', length: 20 },
        value: { type: 'text', nullable: true },
        touchedAt: { type: 'timestamp', serverDefault: sql`CURRENT_TIMESTAMP` },
      },
    },
  },
  { casing: 'snake_case' },
)

export const { nodes, departments, employees, articles, comments, settings } = extra
