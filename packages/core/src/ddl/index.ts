/**
 * DDL: create and drop a schema's tables, and map constraint names back to tables and columns.
 */
export { createAllStatements, createIndexStatements, createTableStatement, columnDefinition, defaultValue, foreignKeyClause, indexParts } from './create.js'
export { dropAllStatements } from './drop.js'
export { constraintTarget, enumCheckName, physicalName, tableConstraints, type ConstraintTarget } from './constraint-names.js'
export { creationOrder, type CreationOrder } from './order.js'
export { ddlLiteral, renderDdlSql } from './literal.js'
export type { DdlHooks } from '../dialects/dialect.js'
