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
    default:
      throw new Error('unknown op ' + command.op)
  }
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
