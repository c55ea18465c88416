// A real OpenID provider for tests/it/oidc.rs: panva's oidc-provider (OpenID-certified), on
// 127.0.0.1 at a free port, with one confidential client (attest), PKCE required, a fresh RS256
// key each run, and Entra-like claims in the id_token (tid, oid, roles, preferred_username).
//
//   ATTEST_NODE_MODULES=... OIDC_CLIENT_SECRET=... OIDC_REDIRECT_URI=... [OIDC_TAMPER=...] \
//     node provider.mjs
//
// Prints "ISSUER http://127.0.0.1:PORT" once it listens. Users sign in through the development
// login form (POST /interaction/UID prompt=login&login=USER&password=anything); consent is
// given automatically. The client secret comes from the environment, never the command line.
//
// OIDC_TAMPER makes the token endpoint hand out a bad id_token, for attest's refusal tests: the
// provider's real token with one thing changed, re-signed with the provider's own key (so only
// that one check can fail), or signed with a stranger's key:
//   signature  signed by another key, same kid     audience  aud is another client
//   issuer     iss is another issuer               expired   exp and iat an hour ago
//   nonce      nonce is not the one attest sent
import http from 'node:http';
import path from 'node:path';
import {createRequire} from 'node:module';

const require = createRequire(path.join(process.env.ATTEST_NODE_MODULES, 'attest-oidc.cjs'));
const providerPath = require.resolve('oidc-provider');
const {default: Provider} = await import(providerPath);
// The provider's own jose, wherever npm put it.
const jose = await import(createRequire(providerPath).resolve('jose'));

const {privateKey} = await jose.generateKeyPair('RS256', {extractable: true});
const jwk = {...(await jose.exportJWK(privateKey)), kid: 'provider-key', alg: 'RS256', use: 'sig'};
const stranger = (await jose.generateKeyPair('RS256')).privateKey;

const tid = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
// login -> object id, roles, email. Entra's sub differs per application; oid does not.
const users = {
  ana: {oid: '00000000-0000-0000-0000-0000000000a1', roles: ['Attest.Admin'], email: 'ana.admin@coe.int'},
  ivo: {oid: '00000000-0000-0000-0000-0000000000b2', roles: ['Attest.Issuer', 'Other.App'], email: 'ivo.issuer@coe.int'},
  vera: {oid: '00000000-0000-0000-0000-0000000000c3', roles: ['Attest.Viewer'], email: 'vera.viewer@coe.int'},
  nora: {oid: '00000000-0000-0000-0000-0000000000d4', roles: ['Other.App'], email: 'nora.norole@coe.int'},
};

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'attest',
    client_secret: process.env.OIDC_CLIENT_SECRET,
    redirect_uris: [process.env.OIDC_REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  jwks: {keys: [jwk]},
  pkce: {required: () => true},
  features: {devInteractions: {enabled: true}},
  conformIdTokenClaims: false,
  claims: {openid: ['sub'], profile: ['oid', 'tid', 'roles', 'preferred_username'], email: ['email']},
  cookies: {keys: ['attest-tests-only']},
  async findAccount(ctx, sub) {
    const u = users[sub];
    if (!u) return undefined;
    return {
      accountId: sub,
      async claims() {
        return {sub, oid: u.oid, tid, roles: u.roles, preferred_username: u.email, email: u.email};
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId});
    grant.addOIDCScope('openid profile email');
    grant.addOIDCClaims(['oid', 'tid', 'roles', 'preferred_username', 'email']);
    await grant.save();
    return grant;
  },
});

const tamper = process.env.OIDC_TAMPER || '';
provider.use(async (ctx, next) => {
  await next();
  if (!tamper || ctx.path !== '/token' || ctx.status !== 200 || !ctx.body?.id_token) return;
  const claims = jose.decodeJwt(ctx.body.id_token);
  const now = Math.floor(Date.now() / 1000);
  let key = privateKey;
  if (tamper === 'signature') key = stranger;
  else if (tamper === 'audience') claims.aud = 'another-client';
  else if (tamper === 'issuer') claims.iss = 'http://127.0.0.1:9/another-issuer';
  else if (tamper === 'expired') Object.assign(claims, {iat: now - 7200, exp: now - 3600});
  else if (tamper === 'nonce') claims.nonce = 'not-the-nonce-attest-sent';
  else throw new Error(`unknown OIDC_TAMPER ${tamper}`);
  ctx.body = {...ctx.body, id_token: await new jose.SignJWT(claims).setProtectedHeader({alg: 'RS256', kid: 'provider-key'}).sign(key)};
});

server.on('request', provider.callback());
console.log(`ISSUER ${issuer}`);
