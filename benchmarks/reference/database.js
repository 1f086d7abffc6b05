'use strict'
/*
 * Creates or drops a database next to the one a benchmark would use, or runs a CHECKPOINT, for
 * benchmarks/run.sh:
 *
 *   node database.js create|drop NAME --url jdbc:postgresql://host:port/db --user U --password P
 *   node database.js checkpoint --url jdbc:postgresql://host:port/db --user U --password P
 *
 * Prints nothing on success; on failure prints why on standard error and exits with 1.
 */
const { Client } = require('pg')

async function main () {
  const args = process.argv.slice(2)
  const action = args[0]
  const [name, ...rest] = (action === 'checkpoint') ? ['', ...args.slice(1)] : args.slice(1)
  const options = {}
  for (let i = 0; i < rest.length; i += 2) {
    options[rest[i].replace(/^--/, '')] = rest[i + 1]
  }
  const match = /^jdbc:postgresql:\/\/([^/:?]+)(?::(\d+))?\/([^?]*)/.exec(options.url || '')
  const named = action === 'create' || action === 'drop'
  if (!match || (named && !/^[a-z0-9_]+$/.test(name || '')) || (!named && action !== 'checkpoint')) {
    throw new Error('usage: node database.js create|drop NAME | checkpoint --url jdbc:postgresql://host:port/db --user U --password P')
  }
  const client = new Client({
    host: match[1],
    port: match[2] ? parseInt(match[2], 10) : 5432,
    database: match[3] || 'postgres',
    user: options.user,
    password: options.password
  })
  await client.connect()
  try {
    // the name is checked above: lower-case letters, digits and underscores only
    await client.query(action === 'checkpoint' ? 'CHECKPOINT'
      : action === 'create' ? 'CREATE DATABASE ' + name : 'DROP DATABASE IF EXISTS ' + name)
  } finally {
    await client.end()
  }
}

main().then(() => process.exit(0), (error) => {
  process.stderr.write(String((error && error.message) || error) + '\n')
  process.exit(1)
})
