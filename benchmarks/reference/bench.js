'use strict'
/*
 * The benchmark workload of io.deepstream.storage.benchmark.StoreBenchmark, run with the reference
 * Node.js connector @deepstream/storage-postgres 3.0.4, printing the same JSON line.
 *
 *   node bench.js [--records 100000] [--tables 10] [--value-bytes 200] [--write-interval-ms 200]
 *                 [--jsonb] [--gets N] [--warmup N] [--rounds N] [--url jdbc:postgresql://host:port/db]
 *                 [--user postgres] [--password secret]
 *
 * A discarded warm-up round of --warmup records comes first, then --rounds measured rounds, each in
 * a schema of its own; the median round (by set throughput) is printed, with every round's figures.
 * Connection settings default to DEEPSTREAM_TEST_JDBC_URL / _USERNAME / _PASSWORD, then to the local
 * server. It works in a fresh schema of its own, with search_path set to that schema so that the
 * reference's unqualified functions (broadcast_update() and friends) land there and not in public,
 * where they would replace this project's quote-safe broadcast_update(); the schema is dropped at
 * the end.
 */
const { performance } = require('perf_hooks')
const crypto = require('crypto')
const fs = require('fs')
const { Client } = require('pg')
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
    rounds: 3,
    url: process.env.DEEPSTREAM_TEST_JDBC_URL || 'jdbc:postgresql://127.0.0.1:5432/postgres',
    user: process.env.DEEPSTREAM_TEST_USERNAME || 'postgres',
    password: process.env.DEEPSTREAM_TEST_PASSWORD || '',
    notifyTimeoutMs: 120000,
    keepSchemas: false
  }
  const numeric = {
    '--records': 'records',
    '--tables': 'tables',
    '--value-bytes': 'valueBytes',
    '--write-interval-ms': 'writeIntervalMs',
    '--gets': 'gets',
    '--warmup': 'warmup',
    '--rounds': 'rounds',
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
    } else if (arg === '--keep-schemas') {
      // run.sh drops the whole database afterwards: dropping a round's tables while the next round
      // creates its own made creating files slower for minutes on some file systems
      options.keepSchemas = true
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
    options.warmup = Math.min(options.records, 200000)
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

/**
 * CPU time of the PostgreSQL backends serving one round (those with the round's application_name),
 * read from /proc/<pid>/stat, so only for a server on this machine; as the Java benchmark's ServerCpu.
 */
class ServerCpu {
  constructor (options, applicationName) {
    this.applicationName = applicationName
    this.client = new Client({ ...connection(options), user: options.user, password: options.password })
    this.ticks = new Map()
    this.available = true
  }

  async start () {
    await this.client.connect()
    await this.sample(true)
    this.timer = setInterval(() => this.sample(false).catch(() => { this.available = false }), 50)
  }

  async sample (baseline) {
    const result = await this.client.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [this.applicationName])
    for (const { pid } of result.rows) {
      let cpu
      try {
        const stat = fs.readFileSync('/proc/' + pid + '/stat', 'utf8')
        if (!stat.includes('(postgres)')) {
          this.available = false // the server runs elsewhere: its pids mean nothing here
          continue
        }
        const fields = stat.substring(stat.lastIndexOf(')') + 2).split(' ')
        cpu = parseInt(fields[11], 10) + parseInt(fields[12], 10)
      } catch (error) {
        // the backend ended since the query (the reference's pool closes idle connections after
        // 200 ms): its last 50 ms at most go uncounted
        continue
      }
      const known = this.ticks.get(pid) || [baseline ? cpu : 0, cpu]
      known[1] = cpu
      this.ticks.set(pid, known)
    }
  }

  async reset () {
    this.ticks.clear()
    await this.sample(true)
  }

  async millis () {
    await this.sample(false)
    if (!this.available) {
      return null
    }
    let sum = 0
    for (const [first, last] of this.ticks.values()) {
      sum += last - first
    }
    return sum * 10
  }

  async stop () {
    clearInterval(this.timer)
    await this.client.end()
  }
}

/**
 * One round in a fresh schema: every record set once, the wait for every INSERT notification, then
 * sequential reads of committed records.
 */
async function round (options, records, gets) {
  const schema = 'bench_ref_' + crypto.randomBytes(6).toString('hex')
  const connector = new Connector({
    ...connection(options),
    user: options.user,
    password: options.password,
    schema,
    writeInterval: options.writeIntervalMs,
    useJsonb: options.jsonb,
    application_name: schema,
    options: '-c search_path=' + schema
  })
  const serverCpu = new ServerCpu(options, schema)
  await serverCpu.start()
  connector.init()
  await connector.whenReady()
  const pad = padFor(options.valueBytes)
  const sent = new Float64Array(records)
  const latencies = []
  let lastArrival = 0
  let onAllArrived = null
  await connector.subscribe((event) => {
    if (event.event !== 'INSERT') {
      return
    }
    const now = performance.now()
    const i = parseInt(event.key.substring(1), 10)
    latencies.push(now - sent[i])
    lastArrival = now
    if (latencies.length === records && onAllArrived) {
      onAllArrived()
    }
  })
  try {
    const heap = new HeapSampler()
    await serverCpu.reset()
    const cpuStart = process.cpuUsage()
    const allArrived = new Promise((resolve) => { onAllArrived = resolve })
    let done = 0
    let lastDone = 0
    let failed = 0
    let resolveSets
    const setsDone = new Promise((resolve) => { resolveSets = resolve })
    const start = performance.now()
    for (let i = 0; i < records; i++) {
      sent[i] = performance.now()
      connector.set('t' + (i % options.tables) + '/r' + i, 1, { n: i, data: pad }, (error) => {
        if (error) {
          failed++
        }
        lastDone = performance.now()
        if (++done === records) {
          resolveSets()
        }
      })
    }
    const acceptMs = performance.now() - start
    await setsDone
    const setMs = lastDone - start
    const cpu = process.cpuUsage(cpuStart)
    const setClientCpuMs = (cpu.user + cpu.system) / 1000
    const setServerCpuMs = await serverCpu.millis()

    let timer
    const timedOut = new Promise((resolve) => { timer = setTimeout(resolve, options.notifyTimeoutMs) })
    if (latencies.length < records) {
      await Promise.race([allArrived, timedOut])
    }
    clearTimeout(timer)
    const notifyDrainMs = latencies.length === records ? lastArrival - start : null

    const stride = Math.max(1, Math.floor(records / Math.max(1, gets)))
    let found = 0
    const getStart = performance.now()
    for (let g = 0; g < gets; g++) {
      const i = (g * stride) % records
      const value = await new Promise((resolve, reject) => connector.get('t' + (i % options.tables) + '/r' + i,
        (error, version, val) => (error ? reject(error) : resolve(val))))
      if (value && value.n === i) {
        found++
      }
    }
    const getMs = performance.now() - getStart
    const peakHeapMb = heap.stop()

    latencies.sort((a, b) => a - b)
    return {
      impl: 'reference-node',
      connector: '@deepstream/storage-postgres ' + require('@deepstream/storage-postgres/package.json').version,
      records,
      tables: options.tables,
      valueBytes: options.valueBytes,
      writeIntervalMs: options.writeIntervalMs,
      jsonb: options.jsonb,
      batchSize: null,
      maxBuffered: null,
      flushThreads: null,
      warmup: options.warmup,
      setMs: Math.round(setMs),
      setPerSec: Math.round(records / (setMs / 1000)),
      setsFailed: failed,
      getSequential: gets,
      getsFound: found,
      getMs: Math.round(getMs),
      getPerSec: gets > 0 ? Math.round(gets / (getMs / 1000)) : null,
      notifyLatencyMs: {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: percentile(latencies, 100),
        n: latencies.length
      },
      notifyDrainMs: notifyDrainMs === null ? null : Math.round(notifyDrainMs),
      peakHeapMb,
      acceptMs: Math.round(acceptMs),
      setClientCpuMs: Math.round(setClientCpuMs),
      setServerCpuMs,
      cpuUsPerSet: {
        client: Math.round(setClientCpuMs * 1000 / records * 10) / 10,
        server: setServerCpuMs === null ? null : Math.round(setServerCpuMs * 1000 / records * 10) / 10
      },
      loadAverage: fs.readFileSync('/proc/loadavg', 'utf8').trim(),
      runtime: 'node ' + process.version
    }
  } finally {
    await serverCpu.stop()
    if (!options.keepSchemas) {
      await connector.destroySchema(schema).catch((error) => process.stderr.write('Could not drop ' + schema + ': ' + error + '\n'))
    }
    await connector.close()
  }
}

async function run () {
  const options = parseArgs(process.argv.slice(2))
  if (options.warmup > 0) {
    // the same round, smaller, discarded: the measured rounds then run optimised code
    await round(options, options.warmup, Math.min(options.gets, options.warmup))
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  const rounds = []
  for (let r = 0; r < options.rounds; r++) {
    rounds.push(await round(options, options.records, options.gets))
  }
  const median = [...rounds].sort((a, b) => a.setPerSec - b.setPerSec)[Math.floor((rounds.length - 1) / 2)]
  median.rounds = rounds.map((r) => ({
    setPerSec: r.setPerSec,
    getPerSec: r.getPerSec,
    notifyP50: r.notifyLatencyMs.p50,
    cpuUsPerSet: r.cpuUsPerSet,
    loadAverage: r.loadAverage
  }))
  process.stdout.write(JSON.stringify(median) + '\n')
}

run().then(() => process.exit(0), (error) => {
  process.stderr.write((error && error.stack) || String(error))
  process.stderr.write('\n')
  process.exit(1)
})
