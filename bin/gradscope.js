#!/usr/bin/env node
// The installed `gradscope` command: runs the compiled CLI (npm run build makes dist/).
import '../dist/cli/main.js';
