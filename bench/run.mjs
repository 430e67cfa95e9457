// CamGuard's Linux engine bench: scan cost next to fuser and lsof, detection latency, idle CPU,
// child processes and memory of `camguard watch`, in event-driven (inotify in-process) and polling
// modes. Run with `npm run bench` (which
// builds the CLI first); prints Markdown tables and writes bench/results.json and bench/results.md.
//   node bench/run.mjs [--quick]     --quick: fewer runs and shorter phases, to try the bench out
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLI = join(ROOT, 'bin/camguard.js')
const PYTHON = '/usr/bin/python3'
const QUICK = process.argv.includes('--quick')
const { createLinuxDetector } = await import(join(ROOT, 'dist/core/camera/linux.js'))

const SIZES = QUICK ? [100, 300] : [100, 300, 1000]
const FILES_PER_PROCESS = 50
const SCAN_RUNS = QUICK ? 3 : 7
const LSOF_RUNS = QUICK ? 2 : 5
const ACTIVATIONS = QUICK ? 5 : 20
const IDLE_PROCESSES = 300
const IDLE_SECONDS = QUICK ? 10 : 60
const MEMORY_CYCLES = QUICK ? 300 : 2000
const MEMORY_INTERVAL_MS = 50

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const median = (xs) => percentile(xs, 50)
function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const at = (p / 100) * (s.length - 1)
  const lo = Math.floor(at)
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (at - lo)
}
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d
const log = (...a) => process.stderr.write(`[bench] ${a.join(' ')}\n`)

const work = mkdtempSync(join(tmpdir(), 'camguard-bench-'))
const device = join(work, 'video0')
writeFileSync(device, Buffer.alloc(8192))
const pattern = join(work, 'video*')
const children = new Set()
function track(child) {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}
function cleanup() {
  // SIGTERM first: procs.py ends its forked children itself (and they die with it anyway).
  for (const c of children) c.kill('SIGTERM')
  for (const c of children) c.kill('SIGKILL')
  rmSync(work, { recursive: true, force: true })
}
process.once('SIGINT', () => {
  cleanup()
  process.exit(130)
})

/** Lines of a child's stdout, each with the time it arrived. */
function lineReader(stream) {
  const lines = []
  const waiters = []
  let partial = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk) => {
    const at = Date.now()
    partial += chunk
    const parts = partial.split('\n')
    partial = parts.pop()
    for (const text of parts) {
      lines.push({ text, at })
      for (const w of [...waiters]) {
        if (!w.test(text)) continue
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve({ text, at })
      }
    }
  })
  return {
    lines,
    next(test, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`bench: timed out waiting for output`)), timeoutMs)
        waiters.push({ test, resolve: (l) => (clearTimeout(t), resolve(l)) })
      })
    },
  }
}

async function startProcs(n) {
  const dir = mkdtempSync(join(work, 'procs-'))
  const child = track(
    spawn(PYTHON, [join(ROOT, 'bench/procs.py'), String(n), String(FILES_PER_PROCESS), dir], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  )
  await lineReader(child.stdout).next((l) => l === 'ready', 120_000)
  return {
    async stop() {
      const gone = new Promise((r) => child.once('exit', r))
      child.stdin.end()
      await gone
    },
  }
}

async function startHolder() {
  const child = track(
    spawn(
      PYTHON,
      [join(ROOT, 'tests/support/holder.py'), device, 'map', '--extra', String(FILES_PER_PROCESS - 1)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    ),
  )
  await lineReader(child.stdout).next((l) => l.includes('ready'))
  return child
}

function timeSync(fn) {
  const start = performance.now()
  fn()
  return performance.now() - start
}

async function timeAsync(fn) {
  const start = performance.now()
  await fn()
  return performance.now() - start
}

const processCount = () => readdirSync('/proc').filter((e) => /^\d+$/.test(e)).length

// --- 1. scan cost -------------------------------------------------------------------------------
async function scanCost() {
  const rows = []
  for (const n of SIZES) {
    const procs = await startProcs(n - 1)
    const holder = await startHolder()
    await sleep(500)
    const total = processCount()
    log(`scan: ${n} synthetic processes (${total} in /proc)`)
    const detector = () => createLinuxDetector({ devicePatterns: () => [pattern], pwDump: null })
    const check = (s) => {
      if (!s.cameras[0]?.users.some((u) => u.pid === holder.pid))
        throw new Error('bench: the snapshot missed the holder')
    }
    const cold = []
    const warm = []
    const fuser = []
    const lsof = []
    const steady = detector()
    check(await steady.snapshot())
    for (let i = 0; i < SCAN_RUNS; i++) {
      const fresh = detector()
      let snap
      cold.push(await timeAsync(async () => (snap = await fresh.snapshot())))
      check(snap)
      warm.push(await timeAsync(async () => (snap = await steady.snapshot())))
      check(snap)
      let out
      fuser.push(timeSync(() => (out = spawnSync('fuser', [device], { encoding: 'utf8' }))))
      if (!out.stdout.includes(String(holder.pid))) throw new Error('bench: fuser missed the holder')
    }
    for (let i = 0; i < LSOF_RUNS; i++) {
      let out
      lsof.push(timeSync(() => (out = spawnSync('lsof', ['-n', '-P', '-w', device], { encoding: 'utf8' }))))
      if (!out.stdout.includes(String(holder.pid))) throw new Error('bench: lsof missed the holder')
    }
    holder.kill('SIGKILL')
    await procs.stop()
    const row = {
      processes: n,
      inProc: total,
      coldMs: round(median(cold)),
      warmMs: round(median(warm)),
      fuserMs: round(median(fuser)),
      lsofMs: round(median(lsof)),
    }
    row.coldVsFuser = round(row.coldMs / row.fuserMs, 2)
    row.coldVsLsof = round(row.coldMs / row.lsofMs, 2)
    row.warmVsFuser = round(row.warmMs / row.fuserMs, 3)
    rows.push(row)
    log(JSON.stringify(row))
  }
  return rows
}

// --- camguard watch -------------------------------------------------------------------------------
async function startWatch(mode, extra = []) {
  const dataDir = mkdtempSync(join(work, `data-${mode}-`))
  const env = { ...process.env, NO_COLOR: '1', CAMGUARD_DETECTION: mode === 'poll' ? 'poll' : 'auto' }
  const child = track(
    spawn(
      process.execPath,
      [CLI, 'watch', '--json', '--no-notify', '--device', pattern, '--data-dir', dataDir, ...extra],
      { env, stdio: ['ignore', 'pipe', 'inherit'] },
    ),
  )
  const out = lineReader(child.stdout)
  const ready = JSON.parse((await out.next((l) => l.includes('"ready"'))).text)
  if (ready.mode !== mode) throw new Error(`bench: watch started in ${ready.mode} mode, wanted ${mode}`)
  return {
    child,
    out,
    ready,
    async stop() {
      const gone = new Promise((r) => child.once('exit', r))
      child.kill('SIGINT')
      await gone
    },
  }
}

const eventOf = (type) => (l) => l.startsWith('{') && JSON.parse(l).type === type

// --- 2. detection latency -----------------------------------------------------------------------
async function latency(mode) {
  const watch = await startWatch(mode)
  const on = []
  const off = []
  for (let i = 0; i < ACTIVATIONS; i++) {
    await sleep(300 + Math.random() * 1000) // a random phase against the poll timer
    const opener = track(
      spawn(PYTHON, [join(ROOT, 'bench/opener.py'), device], { stdio: ['pipe', 'pipe', 'inherit'] }),
    )
    const said = lineReader(opener.stdout)
    const cameraOn = watch.out.next(eventOf('camera-on'))
    const opened = Number((await said.next((l) => l.startsWith('open '))).text.slice(5))
    on.push((await cameraOn).at - opened)
    await sleep(300 + Math.random() * 1000)
    const cameraOff = watch.out.next(eventOf('camera-off'))
    opener.stdin.write('\n')
    const exited = Number((await said.next((l) => l.startsWith('exit '))).text.slice(5))
    off.push((await cameraOff).at - exited)
  }
  const children = childrenOf(watch.child.pid).length
  await watch.stop()
  const row = {
    mode,
    children,
    activations: ACTIVATIONS,
    onP50: round(percentile(on, 50), 0),
    onP95: round(percentile(on, 95), 0),
    offP50: round(percentile(off, 50), 0),
    offP95: round(percentile(off, 95), 0),
  }
  log(JSON.stringify(row))
  return row
}

// --- 3. idle CPU --------------------------------------------------------------------------------
/** The live children of a process (a watch must start none). */
function childrenOf(pid) {
  const kids = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) kids.push(Number(entry))
    } catch {
      // ended while we looked
    }
  }
  return kids
}

/** CPU seconds a process and its children have run: schedstat's nanoseconds, summed over threads. */
function cpuSeconds(pid) {
  let ns = 0
  for (const p of [pid, ...childrenOf(pid)]) {
    let tids = []
    try {
      tids = readdirSync(`/proc/${p}/task`)
    } catch {
      continue
    }
    for (const tid of tids) {
      try {
        ns += Number(readFileSync(`/proc/${p}/task/${tid}/schedstat`, 'utf8').split(' ')[0])
      } catch {
        // thread ended
      }
    }
  }
  return ns / 1e9
}

async function idleCpu() {
  // Two windows one after the other: the first minute after start-up (which includes V8's one-off
  // collection of start-up garbage, some seconds in) and the minute after it, the cost of a monitor
  // that runs all day. The targets are checked against the second; both are reported.
  const watches = { event: await startWatch('event'), poll: await startWatch('poll') }
  await sleep(3000) // past start-up
  const rows = []
  for (const window of ['first minute', 'steady']) {
    const before = Object.fromEntries(Object.entries(watches).map(([m, w]) => [m, cpuSeconds(w.child.pid)]))
    const t0 = performance.now()
    const kids = { event: 0, poll: 0 }
    while (performance.now() - t0 < IDLE_SECONDS * 1000) {
      await sleep(1000)
      for (const [mode, w] of Object.entries(watches))
        kids[mode] = Math.max(kids[mode], childrenOf(w.child.pid).length)
    }
    const seconds = (performance.now() - t0) / 1000
    for (const [mode, w] of Object.entries(watches)) {
      const used = cpuSeconds(w.child.pid) - before[mode]
      rows.push({
        mode,
        window,
        seconds: round(seconds, 0),
        cpuSeconds: round(used, 3),
        percentOfCore: round((used / seconds) * 100, 3),
        children: kids[mode],
        peakRssMb: round(status(w.child.pid).hwm, 1),
      })
    }
  }
  for (const w of Object.values(watches)) await w.stop()
  log(JSON.stringify(rows))
  return rows
}

// --- 4. memory ----------------------------------------------------------------------------------
function status(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN)
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 }
}

async function memory(warmScanMs) {
  const watch = await startWatch('poll', ['--interval', String(MEMORY_INTERVAL_MS)])
  const churn = track(
    spawn(PYTHON, [join(ROOT, 'bench/churn.py'), device], { stdio: ['pipe', 'ignore', 'inherit'] }),
  )
  const cycleMs = MEMORY_INTERVAL_MS + warmScanMs
  const durationMs = MEMORY_CYCLES * cycleMs
  const samples = []
  const t0 = performance.now()
  while (performance.now() - t0 < durationMs) {
    samples.push(status(watch.child.pid).rss)
    await sleep(250)
  }
  const end = status(watch.child.pid)
  const events = watch.out.lines.filter((l) => l.text.includes('"camera-')).length
  churn.stdin.end()
  await watch.stop()
  const q = Math.max(1, Math.floor(samples.length / 4))
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length
  const row = {
    cycles: Math.round((performance.now() - t0) / cycleMs),
    intervalMs: MEMORY_INTERVAL_MS,
    cameraEvents: events,
    peakRssMb: round(end.hwm, 1),
    firstQuarterMb: round(mean(samples.slice(0, q)), 1),
    lastQuarterMb: round(mean(samples.slice(-q)), 1),
  }
  row.growthMb = round(row.lastQuarterMb - row.firstQuarterMb, 1)
  log(JSON.stringify(row))
  return row
}

// --- run ----------------------------------------------------------------------------------------
const started = Date.now()
const loadAtStart = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
let results
try {
  const scan = await scanCost()
  log(`latency, idle CPU and memory with ${IDLE_PROCESSES} idle processes of ${FILES_PER_PROCESS} files`)
  const idle = await startProcs(IDLE_PROCESSES)
  // The warm scan time at this size, to turn the memory phase's duration into cycles.
  const d = createLinuxDetector({ devicePatterns: () => [pattern], pwDump: null })
  await d.snapshot()
  const warm = []
  for (let i = 0; i < 5; i++) warm.push(await timeAsync(() => d.snapshot()))
  const lat = [await latency('event'), await latency('poll')]
  const cpu = await idleCpu()
  const mem = await memory(median(warm))
  await idle.stop()
  results = {
    date: new Date().toISOString(),
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model,
      kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
      node: process.version,
      loadAvgStart: loadAtStart,
      loadAvg: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    },
    quick: QUICK,
    scan,
    latency: lat,
    idleCpu: cpu,
    memory: mem,
    seconds: Math.round((Date.now() - started) / 1000),
  }
} finally {
  cleanup()
}

const byMode = (rows, mode) => rows.find((r) => r.mode === mode && (r.window ?? 'steady') === 'steady')
const pollInterval = 1000
const ev = byMode(results.latency, 'event')
const po = byMode(results.latency, 'poll')
const idleEvent = byMode(results.idleCpu, 'event')
const idlePoll = byMode(results.idleCpu, 'poll')
const maxChildren = Math.max(ev.children, po.children, ...results.idleCpu.map((r) => r.children))
const targets = [
  ['event latency p95 on ≤ 50 ms', ev.onP95 <= 50, `${ev.onP95} ms`],
  ['event latency p95 off ≤ 50 ms', ev.offP95 <= 50, `${ev.offP95} ms`],
  [`poll latency p95 on ≤ ${pollInterval + 200} ms`, po.onP95 <= pollInterval + 200, `${po.onP95} ms`],
  [`poll latency p95 off ≤ ${pollInterval + 200} ms`, po.offP95 <= pollInterval + 200, `${po.offP95} ms`],
  [
    `idle CPU event-driven ≤ 0.05% of a core (steady minute, ${IDLE_PROCESSES} idle processes)`,
    idleEvent.percentOfCore <= 0.05,
    `${idleEvent.percentOfCore}%`,
  ],
  [
    'idle CPU polling (1000 ms) ≤ 1% of a core (steady minute)',
    idlePoll.percentOfCore <= 1,
    `${idlePoll.percentOfCore}%`,
  ],
  ['no child process of camguard watch (latency and idle phases)', maxChildren === 0, `${maxChildren}`],
  [
    'camguard watch peak RSS ≤ 75 MB (event mode, after two idle minutes)',
    idleEvent.peakRssMb <= 75,
    `${idleEvent.peakRssMb} MB`,
  ],
  ...results.scan.flatMap((r) => [
    [`snapshot ≤ 1.5× fuser (${r.processes} processes, cold)`, r.coldVsFuser <= 1.5, `${r.coldVsFuser}×`],
    [`snapshot ≤ 0.3× lsof (${r.processes} processes, cold)`, r.coldVsLsof <= 0.3, `${r.coldVsLsof}×`],
  ]),
  [
    `stress: peak RSS ≤ 80 MB (polling every ${MEMORY_INTERVAL_MS} ms, processes coming and going)`,
    results.memory.peakRssMb <= 80,
    `${results.memory.peakRssMb} MB`,
  ],
  ['stress: RSS growth ≤ 5 MB', results.memory.growthMb <= 5, `${results.memory.growthMb} MB`],
]
results.targets = targets.map(([target, pass, value]) => ({ target, value, pass }))
writeFileSync(join(ROOT, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n')

// The same report goes to stdout and to bench/results.md.
const report = []
const print = (text) => {
  report.push(text)
  console.log(text)
}
const table = (head, rows) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n')
const m = results.machine
print(`## CamGuard bench (${results.date}${QUICK ? ', quick' : ''})\n`)
print(
  `${m.cores} cores, ${m.cpu}, Linux ${m.kernel}, Node ${m.node}, load average (1, 5, 15 min) at the start ${m.loadAvgStart}, at the end ${m.loadAvg}; ${results.seconds} s.\n`,
)
print('### One snapshot (median ms) next to fuser and lsof on the same files\n')
print(
  table(
    [
      'processes × 50 files',
      'in /proc',
      'snapshot cold',
      'snapshot warm',
      'fuser',
      'lsof',
      'cold ÷ fuser',
      'cold ÷ lsof',
      'warm ÷ fuser',
    ],
    results.scan.map((r) => [
      r.processes,
      r.inProc,
      r.coldMs,
      r.warmMs,
      r.fuserMs,
      r.lsofMs,
      r.coldVsFuser,
      r.coldVsLsof,
      r.warmVsFuser,
    ]),
  ),
)
print(`\n### Detection latency (ms, ${ACTIVATIONS} activations, ${IDLE_PROCESSES} idle processes)\n`)
print(
  table(
    ['mode', 'on p50', 'on p95', 'off p50', 'off p95', 'child processes'],
    results.latency.map((r) => [r.mode, r.onP50, r.onP95, r.offP50, r.offP95, r.children]),
  ),
)
print(`\n### Idle CPU of camguard watch (camera off, ${IDLE_PROCESSES} idle processes)\n`)
print(
  table(
    ['mode', 'window', 'seconds', 'CPU seconds', '% of one core', 'child processes (max)', 'peak RSS MB'],
    results.idleCpu.map((r) => [
      r.mode,
      r.window,
      r.seconds,
      r.cpuSeconds,
      r.percentOfCore,
      r.children,
      r.peakRssMb,
    ]),
  ),
)
print(
  `\n### Memory of camguard watch under stress (polling every ${MEMORY_INTERVAL_MS} ms, processes coming and going)\n`,
)
const r = results.memory
print(
  table(
    ['cycles (≈)', 'camera events', 'peak RSS MB', 'first quarter MB', 'last quarter MB', 'growth MB'],
    [[r.cycles, r.cameraEvents, r.peakRssMb, r.firstQuarterMb, r.lastQuarterMb, r.growthMb]],
  ),
)
print('\n### Targets\n')
print(
  table(
    ['target', 'measured', 'pass'],
    results.targets.map((t) => [t.target, t.value, t.pass ? 'yes' : '**no**']),
  ),
)
writeFileSync(join(ROOT, 'bench/results.md'), report.join('\n') + '\n')
// Formatted like the rest of the repository, so `npm run lint` stays clean after a run.
const prettier = join(ROOT, 'node_modules/prettier/bin/prettier.cjs')
spawnSync(
  process.execPath,
  [prettier, '--log-level', 'warn', '--write', 'bench/results.json', 'bench/results.md'],
  {
    cwd: ROOT,
    stdio: 'inherit',
  },
)
