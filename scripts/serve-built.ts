// The production server without the start script's build and migration steps (which the
// caller has done): the server timeouts and the body gate, then the built app. Used by the
// benches and tests that must measure the server as `npm start` runs it:
//   node --import tsx scripts/serve-built.ts [path/to/build/index.js]
import path from 'node:path';
import { applyServerTimeouts } from './lib/server-timeouts';

applyServerTimeouts();
await import(path.resolve(process.argv[2] ?? 'build/index.js'));
