#!/usr/bin/env node
// The `esr` admin CLI. There is no build step: tsx loads the TypeScript source.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../cli/esr.ts');
await run();
