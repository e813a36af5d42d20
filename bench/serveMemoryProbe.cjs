// Loaded into `footprint serve` by the bench (node --require bench/serveMemoryProbe.cjs
// bin/footprint.js serve ...), never by footprint itself: on SIGUSR2 it writes serve's
// memory, as V8 and the kernel see it, to the file named by FOOTPRINT_MEMORY_PROBE.
// It adds a signal handler and nothing else: no timer, no allocation until asked.
// CommonJS, loaded by --require: an ES module (--import) would start Node's ES module
// loader in serve, which serve itself no longer loads, and weigh it 1-2 MB more.
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { getHeapSpaceStatistics, getHeapStatistics } = require('node:v8');

const target = process.env.FOOTPRINT_MEMORY_PROBE;
if (target !== undefined) {
  process.on('SIGUSR2', () => {
    const status = readFileSync('/proc/self/status', 'latin1');
    const statusBytes = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    const usage = process.memoryUsage();
    const heap = getHeapStatistics();
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, { size: space.space_size, used: space.space_used_size }]));
    const memory = {
      rss: statusBytes('VmRSS'), rssAnon: statusBytes('RssAnon'), rssFile: statusBytes('RssFile'),
      heapTotal: usage.heapTotal, heapUsed: usage.heapUsed, external: usage.external, arrayBuffers: usage.arrayBuffers,
      malloced: heap.malloced_memory, spaces, threads: Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 0),
    };
    // Written whole, then renamed: the bench never reads half of it.
    writeFileSync(`${target}.tmp`, JSON.stringify(memory));
    renameSync(`${target}.tmp`, target);
  });
}
