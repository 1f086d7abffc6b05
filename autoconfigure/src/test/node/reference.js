// Drives the reference connector (@deepstream/storage-postgres) for ReferenceInteropIT.
// Usage: node reference.js <command> [args...]; connection from PG_URL-style env: PGHOST, PGPORT,
// PGUSER, PGPASSWORD, PGDATABASE, and DS_SCHEMA. Prints one JSON line per result.
//   get <name>                     -> {"version":n,"value":...}
//   set <name> <version> <json>    -> {"ok":true} once the reference's write callback fired
//   delete <name>                  -> {"ok":true}
//   listen <millis>                -> {"ready":true}, then one line per notification, for <millis>
const { Connector } = require('@deepstream/storage-postgres')
const [command, ...args] = process.argv.slice(2)

const connector = new Connector({
  host: process.env.PGHOST,
  port: parseInt(process.env.PGPORT, 10),
  user: process.env.PGUSER,
  password: process.env.PGPASSWORD || undefined,
  database: process.env.PGDATABASE,
  schema: process.env.DS_SCHEMA,
  writeInterval: 20,
  max: 2
})

function out (object) {
  process.stdout.write(JSON.stringify(object) + '\n')
}

function finish (code) {
  // destroy() drops buffered writes in the reference; every command below waits for its callback first.
  connector.close().then(() => process.exit(code), () => process.exit(code))
}

function fail (error) {
  out({ error: String(error) })
  finish(1)
}

async function main () {
  connector.init()
  await connector.whenReady()
  switch (command) {
    case 'get':
      connector.get(args[0], (error, version, value) => {
        if (error) return fail(error)
        out({ version, value })
        finish(0)
      })
      break
    case 'set':
      connector.set(args[0], parseInt(args[1], 10), JSON.parse(args[2]), (error) => {
        if (error) return fail(error)
        out({ ok: true })
        finish(0)
      })
      break
    case 'delete':
      connector.delete(args[0], (error) => {
        if (error) return fail(error)
        out({ ok: true })
        finish(0)
      })
      break
    case 'listen':
      connector.subscribe((event) => out(event), (error) => {
        if (error) return fail(error)
        out({ ready: true })
        setTimeout(() => finish(0), parseInt(args[0], 10))
      })
      break
    default:
      fail('unknown command ' + command)
  }
}

main().catch(fail)
