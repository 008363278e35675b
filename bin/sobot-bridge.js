#!/usr/bin/env node
// The package's `bin`: the TypeScript sources run through tsx, resolved from this package, so the command
// works from any directory (`npx sobot-bridge` in the repo, or a linked install).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/sobot-bridge.ts');
