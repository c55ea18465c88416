// Independent verification of attest's credentials with Digital Bazaar's stack:
// @digitalbazaar/vc, the eddsa-rdfc-2022 cryptosuite, and @digitalbazaar/vc-bitstring-status-list.
//
//   node verify_credential.mjs BASE_URL CREDENTIAL.json...
//
// BASE_URL is a running attest (e.g. http://127.0.0.1:8080): its DID document
// (/.well-known/did.json) and status lists (/status/N) are fetched from it, as did:web would in
// production over HTTPS. JSON-LD contexts come only from npm packages (contexts.mjs): any other
// URL is refused, so nothing is ever fetched from elsewhere. Prints one JSON line per credential:
// {"file", "verified", "status": {"checked", "revoked"}, "error"}.
//
// With ATTEST_ISSUER_DIR set, BASE_URL is only a name: the documents under it are read from that
// folder instead (BASE_URL/status/0 from DIR/status/0, and so on), as for the published test
// vectors (tests/vectors/issuer), whose issuer does not exist on the network.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {contexts, require} from './contexts.mjs';

const vc = await import(require.resolve('@digitalbazaar/vc'));
const {DataIntegrityProof} = await import(require.resolve('@digitalbazaar/data-integrity'));
const {cryptosuite} = await import(require.resolve('@digitalbazaar/eddsa-rdfc-2022-cryptosuite'));
const bsl = await import(require.resolve('@digitalbazaar/vc-bitstring-status-list'));

const [base, ...files] = process.argv.slice(2);
const known = contexts();
const fetched = new Map();

async function fetchJson(url) {
  const dir = process.env.ATTEST_ISSUER_DIR;
  if (dir && !fetched.has(url)) {
    if (!url.startsWith(`${base}/`)) {
      throw new Error(`${url} is not under ${base}`);
    }
    fetched.set(url, JSON.parse(readFileSync(join(dir, url.slice(base.length)), 'utf8')));
  }
  if (!fetched.has(url)) {
    const res = await fetch(url);
    if (!res.ok) {
      throw new Error(`${url}: HTTP ${res.status}`);
    }
    fetched.set(url, await res.json());
  }
  return structuredClone(fetched.get(url));
}

async function documentLoader(url) {
  if (known.has(url)) {
    return {contextUrl: null, documentUrl: url, document: known.get(url)};
  }
  if (url.startsWith('did:web:')) {
    // did:web:host%3Aport resolves to https://host:port/.well-known/did.json; tests map it to
    // the local server.
    const [did, fragment] = url.split('#');
    const doc = await fetchJson(`${base}/.well-known/did.json`);
    if (doc.id !== did) {
      throw new Error(`DID document of ${doc.id}, not ${did}`);
    }
    if (!fragment) {
      return {contextUrl: null, documentUrl: url, document: doc};
    }
    const method = doc.verificationMethod.find(m => m.id === url);
    if (!method) {
      throw new Error(`no verification method ${url}`);
    }
    return {
      contextUrl: null,
      documentUrl: url,
      document: {'@context': 'https://w3id.org/security/multikey/v1', ...method},
    };
  }
  if (url.startsWith(`${base}/status/`)) {
    return {contextUrl: null, documentUrl: url, document: await fetchJson(url)};
  }
  throw new Error(`refusing to load ${url}: not preloaded, and no network fetch is allowed`);
}

const suite = new DataIntegrityProof({cryptosuite});
let allVerified = true;
for (const file of files) {
  const out = {file, verified: false, status: {checked: false, revoked: null}, error: null};
  try {
    const credential = JSON.parse(readFileSync(file, 'utf8'));
    // The status check runs inside verifyCredential (which refuses a credential with a
    // credentialStatus and no checker); its answer is kept to report the bit.
    const checkStatus = async options => {
      const status = await bsl.checkStatus({...options, verifyBitstringStatusListCredential: true});
      out.status.checked = status.verified;
      out.status.revoked = status.verified ? status.results[0].status : null;
      if (!status.verified) {
        out.status.error = status.error?.message;
      }
      return status;
    };
    const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
    out.verified = result.verified;
    if (!result.verified) {
      const e = result.error ?? result.results?.find(r => r.error)?.error;
      out.error = e?.errors?.map(x => x.message).join('; ') ?? e?.message ?? 'not verified';
    }
  } catch (e) {
    out.error = e.message;
  }
  allVerified &&= out.verified;
  console.log(JSON.stringify(out));
}
process.exit(allVerified ? 0 : 1);
