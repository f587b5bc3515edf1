#!/usr/bin/env node
// Regenerates the lookup tables of the CSAF validator from published data (see README.md beside this file).
//
//   node generate.mjs cwe <unpacked @secvisogram/csaf-validator-lib package>   -> cwe-names.json
//   node generate.mjs subtags <unpacked language-subtag-registry package>      -> language-subtags.json
//
// Plain Node, no dependencies: it runs by hand when MITRE or IANA publish a new catalogue, never at run time.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const here = path.dirname(new URL(import.meta.url).pathname);
const [, , command, source] = process.argv;

if (command === 'cwe' && source) await cwe(source);
else if (command === 'subtags' && source) await subtags(source);
else {
  process.stderr.write('usage: node generate.mjs cwe|subtags <unpacked package directory>\n');
  process.exit(2);
}

/** Every name a weakness id has had in any CWE catalogue, the newest first: CSAF 2.0 names no CWE version. */
async function cwe(packageDir) {
  const dir = path.join(packageDir, 'lib', 'cwec');
  const catalogues = [];
  for (const file of await readdir(dir)) {
    if (!file.endsWith('.js')) continue;
    const catalogue = (await import(pathToFileURL(path.join(dir, file)).href)).default;
    catalogues.push({ version: file.slice(0, -3), date: catalogue.date, weaknesses: catalogue.weaknesses });
  }
  catalogues.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  const names = new Map();
  for (const { weaknesses } of catalogues) {
    for (const { id, name } of weaknesses) {
      const number = Number(id.replace(/^CWE-/, ''));
      if (!names.has(number)) names.set(number, []);
      if (!names.get(number).includes(name)) names.get(number).push(name);
    }
  }
  const newest = catalogues[0];
  const out = {
    source: `MITRE CWE catalogues ${catalogues.at(-1).version} to ${newest.version} (${newest.date}), weaknesses only`,
    weaknesses: Object.fromEntries([...names].sort((a, b) => a[0] - b[0]).map(([id, list]) => [String(id), list])),
  };
  await writeFile(path.join(here, 'cwe-names.json'), `${JSON.stringify(out, null, 1)}\n`);
}

/** The subtags of the IANA Language Subtag Registry, by type, lower case, ranges (qaa..qtz) spelled out. */
async function subtags(packageDir) {
  const json = path.join(packageDir, 'data', 'json');
  const registry = JSON.parse(await readFile(path.join(json, 'registry.json'), 'utf8'));
  const meta = JSON.parse(await readFile(path.join(json, 'meta.json'), 'utf8'));
  const byType = { language: [], extlang: [], script: [], region: [], variant: [], grandfathered: [] };
  for (const record of registry) {
    const list = byType[record.Type];
    if (!list) continue;
    if (record.Type === 'grandfathered') list.push(record.Tag.toLowerCase());
    else list.push(...expandRange(record.Subtag.toLowerCase()));
  }
  const out = { fileDate: meta['File-Date'] };
  for (const [type, list] of Object.entries(byType)) out[type] = [...new Set(list)].sort().join(' ');
  await writeFile(path.join(here, 'language-subtags.json'), `${JSON.stringify(out, null, 1)}\n`);
}

/** `qaa..qtz` -> qaa, qab, ..., qtz (the registry's private-use ranges vary only in their letters). */
function expandRange(subtag) {
  const [from, to] = subtag.split('..');
  if (to === undefined) return [from];
  const out = [];
  const current = [...from];
  for (;;) {
    out.push(current.join(''));
    if (current.join('') === to) return out;
    let i = current.length - 1;
    while (current[i] === 'z') current[i--] = 'a';
    current[i] = String.fromCharCode(current[i].charCodeAt(0) + 1);
  }
}
