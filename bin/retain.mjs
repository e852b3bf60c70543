#!/usr/bin/env node
// The `retain` command: runs the TypeScript sources of src/cli directly (via tsx),
// over the same src/lib modules as the app, on native DuckDB.
import { register } from 'tsx/esm/api';

process.env.TZ ??= 'UTC';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
