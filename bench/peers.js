// bench/peers.js - drive one npm Dockerfile linter over a list of files (bench/run.sh).
//
// Usage: node bench/peers.js PEER LISTFILE [PASSES]
//   PEER      dockerfile-utils | dockerfilelint | dockerfile_lint | dockerlint
//   LISTFILE  one Dockerfile path per line
//   PASSES    lint loops over all files in this process (default 1)
//
// Each peer is driven the fastest way it allows: one node process loads the library once
// and lints every file in a loop through its JavaScript API (never one process per file).
// All files are read into memory before the timed loop, so "loop" is lint work only.
// A file the peer throws on is caught, counted as failed, and the loop goes on.
// Prints one line of key=value pairs:
//   peer files bytes failed problems loop_ms (first pass) best_loop_ms (best pass)
// Run it with the working directory set to a scratch directory: dockerfile_lint's logger
// creates ./out.log when it is loaded.
'use strict';

const fs = require('fs');
const path = require('path');

const [peer, listFile, passesArg] = process.argv.slice(2);
const passes = Math.max(1, parseInt(passesArg || '1', 10));
if (!peer || !listFile) {
	console.error('usage: node peers.js PEER LISTFILE [PASSES]');
	process.exit(2);
}
const files = fs.readFileSync(listFile, 'utf8').split('\n').filter((l) => l !== '');
const buffers = files.map((f) => fs.readFileSync(f));
const texts = buffers.map((b) => b.toString('utf8'));
const bytes = buffers.reduce((n, b) => n + b.length, 0);

// Each driver returns lint(i) -> number of problems reported for files[i].
const drivers = {
	// dockerfile-utils (rcjsuen, the VS Code Docker extension's validator):
	// validate(content) returns LSP Diagnostics; one call per file.
	'dockerfile-utils': () => {
		const du = require('dockerfile-utils');
		return (i) => du.validate(texts[i]).length;
	},

	// dockerfilelint (replicatedhq): run(configDir, content) returns the items; configDir is
	// the file's directory, where it looks for a .dockerfilelintrc, as its CLI does.
	dockerfilelint: () => {
		const dfl = require('dockerfilelint');
		const dirs = files.map((f) => path.dirname(path.resolve(f)));
		return (i) => dfl.run(dirs[i], texts[i]).length;
	},

	// dockerfile_lint (projectatomic): one Linter with the default rules, reused for every
	// file (its CLI builds a new one per file; validate() resets its context per call).
	// Problems = error + warn + info counts.
	dockerfile_lint: () => {
		const Linter = require('dockerfile_lint');
		const linter = new Linter();
		return (i) => {
			const r = linter.validate(texts[i]);
			return r.error.count + r.warn.count + r.info.count;
		};
	},

	// dockerlint (RedCoolBeans): no library API, so this does what its lib/cli.js run() does
	// per file: parser.parser(path), then every check in checks.all. Its reports go through
	// utils.log, which is replaced by a counter (FATAL would call process.exit: it throws
	// instead). Its parser reads the file by path: readFileSync is served from memory for
	// the listed files. checks.arg/checks.env collect variables across calls; they are
	// cleared per file so each file is checked as the CLI would check it alone.
	dockerlint: () => {
		const lib = path.dirname(require.resolve('dockerlint/lib/cli.js'));
		const utils = require(path.join(lib, 'utils.js'));
		const parser = require(path.join(lib, 'parser.js'));
		const checks = require(path.join(lib, 'checks.js'));
		let count = 0;
		utils.log = (level, msg) => {
			if (level === 'FATAL' || level === 5)
				throw new Error('FATAL: ' + msg);
			if (level === 'ERROR' || level === 4 || level === 'WARN' || level === 3)
				count++;
		};
		const byPath = new Map(files.map((f, i) => [f, buffers[i]]));
		const readFileSync = fs.readFileSync;
		fs.readFileSync = function (p, ...rest) {
			const b = byPath.get(p);
			return b !== undefined ? b : readFileSync.call(this, p, ...rest);
		};
		const clear = (o) => { for (const k of Object.keys(o)) delete o[k]; };
		return (i) => {
			count = 0;
			clear(checks.arg);
			clear(checks.env);
			const rules = parser.parser(files[i]);
			if (rules.length === 0)
				return 1; // "does not contain any instructions" (FATAL in the CLI)
			for (const c of checks.all)
				checks[c](rules);
			return count;
		};
	},
};

if (!drivers[peer]) {
	console.error(`peers.js: unknown peer ${peer}`);
	process.exit(2);
}
const lint = drivers[peer]();

let failed = 0;
let problems = 0;
let firstMs = 0;
let bestMs = Infinity;
const failures = [];
for (let pass = 0; pass < passes; pass++) {
	failed = 0;
	problems = 0;
	const t0 = process.hrtime.bigint();
	for (let i = 0; i < files.length; i++) {
		try {
			problems += lint(i);
		} catch (e) {
			failed++;
			if (pass === 0)
				failures.push(`${files[i]}: ${String(e && e.message).split('\n')[0]}`);
		}
	}
	const ms = Number(process.hrtime.bigint() - t0) / 1e6;
	if (pass === 0)
		firstMs = ms;
	bestMs = Math.min(bestMs, ms);
}
if (process.env.PEERS_FAILURES)
	fs.writeFileSync(process.env.PEERS_FAILURES, failures.join('\n') + (failures.length ? '\n' : ''));
console.log(`peer=${peer} files=${files.length} bytes=${bytes} failed=${failed} ` +
	`problems=${problems} loop_ms=${firstMs.toFixed(1)} best_loop_ms=${bestMs.toFixed(1)}`);
