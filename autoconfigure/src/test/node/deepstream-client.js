// A real deepstream client (@deepstream/client 7) for the integration tests, driven over stdin/stdout.
// Usage: node deepstream-client.js <ws-url>. Reads one JSON command per line, writes one JSON line per
// answer (with the command's "id") and per event:
//   {"id":1,"op":"subscribe","name":"a/b"}   -> {"id":1,"version":v,"data":...} once the record is ready;
//                                              then {"event":"update","name","version","data"} on every change
//                                              and {"event":"delete","name"} when it is deleted
//   {"id":2,"op":"snapshot","name":"a/b"}    -> {"id":2,"data":...} (or {"id":2,"error":...})
//   {"id":3,"op":"head","name":"a/b"}        -> {"id":3,"version":v}
//   {"id":4,"op":"set","name":"a/b","data":{...}} -> {"id":4,"version":v} once acknowledged (version+1 of the
//                                              client's record), or {"id":4,"error":...}
//   {"id":5,"op":"increment","name":"a/b","field":"count","times":n,"maxAttempts":m}
//                                           -> {"id":5,"applied":a,"gaveUp":g,"conflicts":c}: n increments of
//                                              data[field], each through the client's versioned write
//                                              (setWithAck), tried again on top of the server's record after
//                                              a conflict, at most m times
const { DeepstreamClient } = require('@deepstream/client')
const readline = require('readline')

const client = new DeepstreamClient(process.argv[2], { offlineEnabled: false, recordReadTimeout: 10000 })
const records = new Map()

function out (object) {
  process.stdout.write(JSON.stringify(object) + '\n')
}

client.on('error', (error, event, topic) => out({ event: 'error', error: String(error), kind: String(event), topic: String(topic) }))

async function record (name) {
  let rec = records.get(name)
  if (!rec) {
    rec = client.record.getRecord(name)
    records.set(name, rec)
    rec.subscribe((data) => out({ event: 'update', name, version: rec.version, data }))
    rec.on('delete', () => {
      out({ event: 'delete', name })
      records.delete(name)
    })
  }
  await rec.whenReady()
  return rec
}

async function handle (command) {
  switch (command.op) {
    case 'subscribe': {
      const rec = await record(command.name)
      return { version: rec.version, data: rec.get() }
    }
    case 'snapshot':
      return { data: await client.record.snapshot(command.name) }
    case 'head':
      return { version: await client.record.head(command.name) }
    case 'set': {
      const rec = await record(command.name)
      await rec.setWithAck(command.data)
      return { version: rec.version }
    }
    case 'increment':
      return increment(command)
    default:
      throw new Error('unknown op ' + command.op)
  }
}

// The client's conditional path: setWithAck writes the record's version + 1, which the server accepts
// only on top of that version. On a conflict the server answers VERSION_EXISTS with its version and
// data; client 7.0.5 then neither fails the write's promise nor takes the server's data while the
// record is READY (record-core.js, onRecordRecovered), so this merge strategy takes the server's record
// itself and fails the write, which is then tried again on top of it. A version gap heard while
// MERGING (another writer's update overtaking ours) is merged by the library itself: remote wins.
async function increment ({ name, field, times, maxAttempts }) {
  const rec = await record(name)
  const core = rec.record
  rec.setMergeStrategy((localValue, localVersion, remoteValue, remoteVersion, done) => {
    if (core.stateMachine.state === 'MERGING') {
      done(null, remoteValue)
      return
    }
    core.version = remoteVersion
    core.data = remoteValue
    done('conflict: the server has version ' + remoteVersion)
  })
  let applied = 0
  let gaveUp = 0
  let conflicts = 0
  for (let i = 0; i < times; i++) {
    let done = false
    for (let attempt = 0; attempt < maxAttempts && !done; attempt++) {
      try {
        await rec.setWithAck(field, (rec.get(field) || 0) + 1)
        done = true
      } catch (error) {
        if (!String(error).startsWith('conflict')) {
          throw error
        }
        conflicts++
      }
    }
    if (done) {
      applied++
    } else {
      gaveUp++
    }
  }
  return { applied, gaveUp, conflicts }
}

client.login({}, (success) => {
  if (!success) {
    out({ event: 'login-failed' })
    process.exit(1)
  }
  out({ event: 'ready' })
  readline.createInterface({ input: process.stdin }).on('line', (line) => {
    const command = JSON.parse(line)
    handle(command).then(
      (answer) => out({ id: command.id, ...answer }),
      (error) => out({ id: command.id, error: String(error) }))
  }).on('close', () => {
    client.close()
    process.exit(0)
  })
})
