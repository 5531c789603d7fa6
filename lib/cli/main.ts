#!/usr/bin/env node
import 'reflect-metadata';
import { runCli } from './precompute.cli';

void runCli(process.argv.slice(2)).then((code) => process.exit(code));
