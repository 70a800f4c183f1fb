// Prints the hottest functions of a .cpuprofile: self time, and inclusive time for Quarry's own files.
import { readFileSync } from 'node:fs'

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const dt = new Map()
profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
const total = [...dt.values()].reduce((a, b) => a + b, 0)
const label = (n) => {
  const f = n.callFrame
  const file = f.url.replace(/^file:\/\//, '').replace(/.*\/(node_modules\/)/, '$1').replace(/.*\/(packages\/|bench\/)/, '$1')
  return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`
}
const self = new Map()
for (const [id, t] of dt) {
  const key = label(byId.get(id))
  self.set(key, (self.get(key) ?? 0) + t)
}
// Inclusive: each sample counts once for every distinct function on its stack.
const parent = new Map()
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
const incl = new Map()
for (const [id, t] of dt) {
  const seen = new Set()
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const key = label(byId.get(cur))
    if (seen.has(key)) continue
    seen.add(key)
    incl.set(key, (incl.get(key) ?? 0) + t)
  }
}
const pct = (t) => `${((100 * t) / total).toFixed(1).padStart(5)}%`
console.log(`\ntotal ${(total / 1000).toFixed(0)} ms sampled\n\nself time:`)
for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 25))) console.log(`${pct(t)}  ${k}`)
console.log('\ninclusive time, Quarry and bench code:')
for (const [k, t] of [...incl].filter(([k]) => /packages\/|scenarios/.test(k)).sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 30))) console.log(`${pct(t)}  ${k}`)
