// CommonJS: Node >= 20.19 loads the ESM-only packages with require().
const assert = require('node:assert/strict')
const core = require('@quarry/core')
const orm = require('@quarry/orm')
assert.equal(typeof core.select, 'function')
assert.equal(typeof orm.createSession, 'function')
console.log('require(): @quarry/core and @quarry/orm load from CommonJS')
