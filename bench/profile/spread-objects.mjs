// Why W4 U2 builds its inputs as object literals: on Node 20, objects made by spreading another
// get a V8 map on which adding properties (and reading them) takes a slow path.
//   node bench/profile/spread-objects.mjs
const newUser = (i) => ({ username: `u${i}`, email: `u${i}@example.net`, bio: null })
const makers = {
  literal: (i) => ({ username: `u${i}`, email: `u${i}@example.net`, bio: null, posts: [] }),
  spread: (i) => ({ ...newUser(i), posts: [] }),
}
// What a session does to a new user after its INSERT: the generated id and server defaults, then reads.
const fill = (o, i) => {
  o.id = i
  o.createdAt = 1
  o.updatedAt = 2
  o.deletedAt = null
}
const read = (o) => (o.username !== undefined) + (o.email !== undefined) + (o.bio !== undefined) + (o.id !== undefined)
const N = 1000
const ROUNDS = 200
for (let pass = 0; pass < 3; pass++) {
  for (const [name, make] of Object.entries(makers)) {
    let tFill = 0
    let tRead = 0
    for (let r = 0; r < ROUNDS; r++) {
      const objs = Array.from({ length: N }, (_, i) => make(i))
      let t = performance.now()
      for (let i = 0; i < N; i++) fill(objs[i], i)
      tFill += performance.now() - t
      t = performance.now()
      let n = 0
      for (const o of objs) n += read(o)
      tRead += performance.now() - t
      if (n !== 4 * N) throw new Error('unexpected read')
    }
    const ns = (ms) => ((ms / ROUNDS / N) * 1e6).toFixed(0).padStart(5)
    if (pass === 2) console.log(`${name.padEnd(8)} add 4 properties: ${ns(tFill)} ns/object, read 4: ${ns(tRead)} ns/object`)
  }
}
