'use strict'
/*
 * The benchmark workload of io.deepstream.storage.benchmark.StoreBenchmark, run with the reference
 * Node.js connector @deepstream/storage-postgres 3.0.4, printing the same JSON line.
 *
 *   node bench.js [--records 100000] [--tables 10] [--value-bytes 200] [--write-interval-ms 200]
 *                 [--jsonb] [--gets N] [--warmup N] [--url jdbc:postgresql://host:port/db]
 *                 [--user postgres] [--password secret]
 *
 * Connection settings default to DEEPSTREAM_TEST_JDBC_URL / _USERNAME / _PASSWORD, then to the local
 * server. It works in a fresh schema of its own, with search_path set to that schema so that the
 * reference's unqualified functions (broadcast_update() and friends) land there and not in public,
 * where they would replace this project's quote-safe broadcast_update(); the schema is dropped at
 * the end.
 */
const { performance } = require('perf_hooks')
const crypto = require('crypto')
const { Connector } = require('@deepstream/storage-postgres')

function parseArgs (argv) {
  const options = {
    records: 100000,
    tables: 10,
    valueBytes: 200,
    writeIntervalMs: 200,
    jsonb: false,
    gets: null,
    warmup: null,
    url: process.env.DEEPSTREAM_TEST_JDBC_URL || 'jdbc:postgresql://127.0.0.1:5432/postgres',
    user: process.env.DEEPSTREAM_TEST_USERNAME || 'postgres',
    password: process.env.DEEPSTREAM_TEST_PASSWORD || '',
    notifyTimeoutMs: 120000
  }
  const numeric = {
    '--records': 'records',
    '--tables': 'tables',
    '--value-bytes': 'valueBytes',
    '--write-interval-ms': 'writeIntervalMs',
    '--gets': 'gets',
    '--warmup': 'warmup',
    '--notify-timeout-ms': 'notifyTimeoutMs'
  }
  // options of our store only: accepted so that both benchmarks take the same command line
  const ignored = new Set(['--batch-size', '--max-buffered', '--flush-threads'])
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--jsonb') {
      options.jsonb = true
    } else if (numeric[arg]) {
      options[numeric[arg]] = parseInt(argv[++i], 10)
    } else if (arg === '--url' || arg === '--user' || arg === '--password') {
      options[arg.substring(2)] = argv[++i]
    } else if (ignored.has(arg)) {
      i++
    } else if (arg === '--ceiling') {
      // the ceiling is measured by the Java benchmark only
    } else {
      throw new Error('Unknown argument ' + arg)
    }
  }
  if (options.gets === null) {
    options.gets = Math.min(options.records, 10000)
  }
  if (options.warmup === null) {
    options.warmup = Math.min(options.records, 20000)
  }
  return options
}

function connection (options) {
  const match = /^jdbc:postgresql:\/\/([^/:?]+)(?::(\d+))?\/([^?]*)/.exec(options.url)
  if (!match) {
    throw new Error('Cannot read host, port and database from ' + options.url)
  }
  return { host: match[1], port: match[2] ? parseInt(match[2], 10) : 5432, database: match[3] || 'postgres' }
}

function paddedValue (n, valueBytes, pad) {
  return { n, data: pad }
}

function padFor (valueBytes) {
  // {"n":12345,"data":"..."} is valueBytes long for a 5-digit n, as in the Java benchmark
  const overhead = JSON.stringify({ n: 12345, data: '' }).length
  return 'x'.repeat(Math.max(0, valueBytes - overhead))
}

function percentile (sorted, p) {
  if (sorted.length === 0) {
    return null
  }
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))
  return Math.round(sorted[index] * 10) / 10
}

class HeapSampler {
  constructor () {
    this.peak = 0
    this.timer = setInterval(() => this.sample(), 10)
  }

  sample () {
    this.peak = Math.max(this.peak, process.memoryUsage().heapUsed)
  }

  stop () {
    this.sample()
    clearInterval(this.timer)
    return Math.round(this.peak / 1048576)
  }
}

function callback (resolve, reject) {
  return (error) => (error ? reject(error) : resolve())
}

async function run () {
  const options = parseArgs(process.argv.slice(2))
  const schema = 'bench_ref_' + crypto.randomBytes(6).toString('hex')
  const connector = new Connector({
    ...connection(options),
    user: options.user,
    password: options.password,
    schema,
    writeInterval: options.writeIntervalMs,
    useJsonb: options.jsonb,
    options: '-c search_path=' + schema
  })
  connector.init()
  await connector.whenReady()
  const pad = padFor(options.valueBytes)
  const sent = new Float64Array(options.records)
  const latencies = []
  let warmNotifications = 0
  let lastArrival = 0
  let onAllArrived = null
  await connector.subscribe((event) => {
    if (event.event !== 'INSERT') {
      return
    }
    const now = performance.now()
    if (event.table.startsWith('w')) {
      warmNotifications++
      return
    }
    const i = parseInt(event.key.substring(1), 10)
    latencies.push(now - sent[i])
    lastArrival = now
    if (latencies.length === options.records && onAllArrived) {
      onAllArrived()
    }
  })
  try {
    // warm-up: the same kind of writes to other tables, so that both runtimes measure compiled code
    const warmTables = Math.min(options.tables, 10)
    const warmed = []
    for (let i = 0; i < options.warmup; i++) {
      warmed.push(new Promise((resolve, reject) => connector.set('w' + (i % warmTables) + '/r' + i, 1,
        paddedValue(i, options.valueBytes, pad), callback(resolve, reject))))
    }
    await Promise.all(warmed)
    for (let i = 0; i < Math.min(options.warmup, 2000); i++) {
      await new Promise((resolve, reject) => connector.get('w' + (i % warmTables) + '/r' + i, callback(resolve, reject)))
    }

    const heap = new HeapSampler()
    const allArrived = new Promise((resolve) => { onAllArrived = resolve })
    let done = 0
    let lastDone = 0
    let failed = 0
    let resolveSets
    const setsDone = new Promise((resolve) => { resolveSets = resolve })
    const start = performance.now()
    for (let i = 0; i < options.records; i++) {
      sent[i] = performance.now()
      connector.set('t' + (i % options.tables) + '/r' + i, 1, paddedValue(i, options.valueBytes, pad), (error) => {
        if (error) {
          failed++
        }
        lastDone = performance.now()
        if (++done === options.records) {
          resolveSets()
        }
      })
    }
    await setsDone
    const setMs = lastDone - start

    let timer
    const timedOut = new Promise((resolve) => { timer = setTimeout(resolve, options.notifyTimeoutMs) })
    if (latencies.length < options.records) {
      await Promise.race([allArrived, timedOut])
    }
    clearTimeout(timer)
    const notifyDrainMs = latencies.length ? lastArrival - start : null

    const stride = Math.max(1, Math.floor(options.records / Math.max(1, options.gets)))
    let found = 0
    const getStart = performance.now()
    for (let g = 0; g < options.gets; g++) {
      const i = (g * stride) % options.records
      const value = await new Promise((resolve, reject) => connector.get('t' + (i % options.tables) + '/r' + i,
        (error, version, val) => (error ? reject(error) : resolve(val))))
      if (value && value.n === i) {
        found++
      }
    }
    const getMs = performance.now() - getStart
    const peakHeapMb = heap.stop()

    latencies.sort((a, b) => a - b)
    const result = {
      impl: 'reference-node',
      connector: '@deepstream/storage-postgres ' + require('@deepstream/storage-postgres/package.json').version,
      records: options.records,
      tables: options.tables,
      valueBytes: options.valueBytes,
      writeIntervalMs: options.writeIntervalMs,
      jsonb: options.jsonb,
      batchSize: null,
      maxBuffered: null,
      flushThreads: null,
      warmup: options.warmup,
      setMs: Math.round(setMs),
      setPerSec: Math.round(options.records / (setMs / 1000)),
      setsFailed: failed,
      getSequential: options.gets,
      getsFound: found,
      getMs: Math.round(getMs),
      getPerSec: Math.round(options.gets / (getMs / 1000)),
      notifyLatencyMs: {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: percentile(latencies, 100),
        n: latencies.length
      },
      notifyDrainMs: notifyDrainMs === null ? null : Math.round(notifyDrainMs),
      warmupNotifications: warmNotifications,
      peakHeapMb,
      runtime: 'node ' + process.version
    }
    process.stdout.write(JSON.stringify(result) + '\n')
  } finally {
    await connector.destroySchema(schema).catch((error) => process.stderr.write('Could not drop ' + schema + ': ' + error + '\n'))
    await connector.close()
  }
}

run().then(() => process.exit(0), (error) => {
  process.stderr.write((error && error.stack) || String(error))
  process.stderr.write('\n')
  process.exit(1)
})
