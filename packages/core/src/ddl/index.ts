/**
 * DDL: create and drop a schema's tables, and map constraint names back to tables and columns.
 */
export { createAllStatements, createIndexStatements, createTableStatement, columnDefinition } from './create'
export { dropAllStatements } from './drop'
export { constraintTarget, enumCheckName, physicalName, tableConstraints, type ConstraintTarget } from './constraint-names'
export { creationOrder, type CreationOrder } from './order'
export { ddlLiteral, renderDdlSql } from './literal'
export { ddlHooks, type DdlHooks } from './ddl-hooks'
