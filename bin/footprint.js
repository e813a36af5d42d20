#!/usr/bin/env node
import { main } from '../dist/footprint.js';

process.exitCode = await main(process.argv.slice(2));
