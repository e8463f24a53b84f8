// Checks a draw's entropy statements in the browser (docs/entropy.md §5): a witness's
// signed statement (Ed25519, or SM2 with SM3 and the default ID "1234567812345678") and a
// NIST Randomness Beacon 2.0 pulse (RSA PKCS#1 v1.5 with SHA-512 under the pinned
// certificate), against the source registered for it. The same checks as the server's
// C++ and scheduler/entropy/reference/entropy_check.py, tested against the same vectors.
//
//   const r = await verifyWitnessStatement(source, statement);     // {ok, value, reason}
//   const p = await verifyBeaconPulse(source, statement.beaconPulseJson);
//
// `source` is a RegisteredEntropySource, `statement` an EntropyStatement, in protobuf JSON
// (camelCase or snake_case names). Ed25519 goes through crypto.js (WebCrypto, else the
// vendored @noble/ed25519); RSA and SHA-512 through WebCrypto, else the BigInt code and
// the vendored @noble/hashes below (also with `?crypto=noble`, as crypto.js). WebCrypto
// has neither SM2 nor SM3: they are written here with BigInt (see docs/entropy.md for why
// no package is vendored). Verification only: nothing here handles a secret.

import { verifyEd25519 } from './crypto.js';

const forceFallback = new URLSearchParams(globalThis.location ? location.search : '')
  .get('crypto') === 'noble';
const subtle = forceFallback ? null : (globalThis.crypto && globalThis.crypto.subtle) || null;

class CheckError extends Error {}
const fail = (reason) => { throw new CheckError(reason); };
const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

// ---------------------------------------------------------------------------------------
// Bytes and hex

function decodeHex(field, text, size = null, eitherCase = false) {
  if (typeof text !== 'string') fail(`${field}: must be a string`);
  if (text.length % 2 !== 0) fail(`${field}: must be hex of whole bytes, got ${text.length} digits`);
  if (!(eitherCase ? /^[0-9a-fA-F]*$/ : /^[0-9a-f]*$/).test(text)) {
    fail(`${field}: must be ${eitherCase ? 'hex' : 'lowercase hex'}`);
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.substr(2 * i, 2), 16);
  if (size !== null && out.length !== size) {
    fail(`${field}: must be ${size} bytes (${2 * size} hex digits), got ${out.length}`);
  }
  return out;
}

const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
const equalBytes = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
const bigFromBytes = (bytes) => (bytes.length ? BigInt('0x' + toHex(bytes)) : 0n);
function bigToBytes(n, size) {
  const out = new Uint8Array(size);
  for (let i = size - 1; i >= 0; i--) { out[i] = Number(n & 0xffn); n >>= 8n; }
  return out;
}
function modPow(base, exponent, modulus) {
  let result = 1n;
  base %= modulus;
  while (exponent > 0n) {
    if (exponent & 1n) result = result * base % modulus;
    base = base * base % modulus;
    exponent >>= 1n;
  }
  return result;
}
const mod = (a, m) => ((a % m) + m) % m;

function field(message, camel, snake, fallback = undefined) {
  if (message && camel in message) return message[camel];
  if (message && snake in message) return message[snake];
  return fallback;
}

let nobleHashes = null;
async function sha512(bytes) {
  if (subtle) return new Uint8Array(await subtle.digest('SHA-512', bytes));
  if (nobleHashes === null) nobleHashes = await import('./vendor/noble-hashes/sha2.js');
  return nobleHashes.sha512(bytes);
}

// ---------------------------------------------------------------------------------------
// Ed25519 public keys: a point of the curve (RFC 8032 §5.1.3), not of small order

const ED_P = 2n ** 255n - 19n;
const ED_D = mod(-121665n * modPow(121666n, ED_P - 2n, ED_P), ED_P);
// y of the eight points of small order (sign bit cleared), as libsodium's blocklist.
const ED_SMALL_ORDER_Y = [0n, 1n, ED_P - 1n,
  0x05fc536d880238b13933c6d305acdfd5f098eff289f4c345b027b2c28f95e826n,
  0x7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7n];

function ed25519KeyProblem(key) {
  const little = Uint8Array.from(key).reverse();
  const sign = (little[0] & 0x80) !== 0;
  little[0] &= 0x7f;
  const y = bigFromBytes(little);
  if (y >= ED_P) return 'not the encoding of a point of Ed25519\'s curve';
  const u = mod(y * y - 1n, ED_P);
  const v = mod(ED_D * y * y + 1n, ED_P);
  const w = u * modPow(v, ED_P - 2n, ED_P) % ED_P;
  if (w === 0n ? sign : modPow(w, (ED_P - 1n) / 2n, ED_P) !== 1n) {
    return 'not the encoding of a point of Ed25519\'s curve';
  }
  if (ED_SMALL_ORDER_Y.includes(y)) return 'a point of small order, for which signatures can be forged';
  return null;
}

// ---------------------------------------------------------------------------------------
// SM3 (GB/T 32905-2016)

const rotl = (x, n) => ((x << (n % 32)) | (x >>> ((32 - (n % 32)) % 32))) >>> 0;

export function sm3(message) {
  const bitLength = BigInt(message.length) * 8n;
  const padded = new Uint8Array(Math.ceil((message.length + 9) / 64) * 64);
  padded.set(message);
  padded[message.length] = 0x80;
  padded.set(bigToBytes(bitLength, 8), padded.length - 8);
  const v = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600,
    0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];
  const view = new DataView(padded.buffer);
  const w = new Array(68);
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(block + 4 * i);
    for (let j = 16; j < 68; j++) {
      let x = (w[j - 16] ^ w[j - 9] ^ rotl(w[j - 3], 15)) >>> 0;
      x = (x ^ rotl(x, 15) ^ rotl(x, 23)) >>> 0;  // P1
      w[j] = (x ^ rotl(w[j - 13], 7) ^ w[j - 6]) >>> 0;
    }
    let [a, b, c, d, e, f, g, h] = v;
    for (let j = 0; j < 64; j++) {
      const t = j < 16 ? 0x79cc4519 : 0x7a879d8a;
      const ss1 = rotl((rotl(a, 12) + e + rotl(t, j)) >>> 0, 7);
      const ss2 = (ss1 ^ rotl(a, 12)) >>> 0;
      const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
      const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
      const tt1 = (ff + d + ss2 + (w[j] ^ w[j + 4])) >>> 0;
      const tt2 = (gg + h + ss1 + w[j]) >>> 0;
      d = c; c = rotl(b, 9); b = a; a = tt1;
      h = g; g = rotl(f, 19); f = e;
      e = (tt2 ^ rotl(tt2, 9) ^ rotl(tt2, 17)) >>> 0;  // P0
    }
    [a, b, c, d, e, f, g, h].forEach((x, i) => { v[i] = (v[i] ^ x) >>> 0; });
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  v.forEach((x, i) => outView.setUint32(4 * i, x));
  return out;
}

// ---------------------------------------------------------------------------------------
// SM2 (GB/T 32918.2-2016) on the recommended curve, verification only. Jacobian
// coordinates [X, Y, Z]; null is the point at infinity.

const SM2 = {
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
};
export const SM2_DEFAULT_ID = utf8.encode('1234567812345678');

function sm2Double(P) {
  if (P === null) return null;
  const { p, a } = SM2;
  const [X, Y, Z] = P;
  if (Y === 0n) return null;
  const YY = Y * Y % p;
  const S = 4n * X * YY % p;
  const Z2 = Z * Z % p;
  const M = (3n * X * X + a * Z2 * Z2) % p;
  const X3 = mod(M * M - 2n * S, p);
  return [X3, mod(M * (S - X3) - 8n * YY * YY, p), 2n * Y * Z % p];
}

function sm2Add(P, Q) {
  if (P === null) return Q;
  if (Q === null) return P;
  const { p } = SM2;
  const [X1, Y1, Z1] = P;
  const [X2, Y2, Z2] = Q;
  const Z1Z1 = Z1 * Z1 % p;
  const Z2Z2 = Z2 * Z2 % p;
  const U1 = X1 * Z2Z2 % p;
  const U2 = X2 * Z1Z1 % p;
  const S1 = Y1 * Z2 * Z2Z2 % p;
  const S2 = Y2 * Z1 * Z1Z1 % p;
  if (U1 === U2) return S1 === S2 ? sm2Double(P) : null;
  const H = mod(U2 - U1, p);
  const R = mod(S2 - S1, p);
  const HH = H * H % p;
  const HHH = H * HH % p;
  const X3 = mod(R * R - HHH - 2n * U1 * HH, p);
  return [X3, mod(R * (U1 * HH - X3) - S1 * HHH, p), H * Z1 * Z2 % p];
}

function sm2Multiply(k, P) {
  let Q = null;
  for (let i = BigInt(k.toString(2).length) - 1n; i >= 0n; i--) {
    Q = sm2Double(Q);
    if ((k >> i) & 1n) Q = sm2Add(Q, P);
  }
  return Q;
}

function sm2PublicPoint(key) {
  if (key.length !== 65 || key[0] !== 4) return null;
  const { p, a, b } = SM2;
  const x = bigFromBytes(key.subarray(1, 33));
  const y = bigFromBytes(key.subarray(33));
  if (x >= p || y >= p || mod(y * y - x * x * x - a * x - b, p) !== 0n) return null;
  return [x, y];
}

// True when `signature` (64 bytes, r || s) is the SM2 signature with SM3 of `message` by
// the 65-byte `publicKey` (04 || x || y), with distinguishing ID `userId`.
export function sm2Verify(publicKey, message, signature, userId = SM2_DEFAULT_ID) {
  const point = sm2PublicPoint(publicKey);
  if (point === null || signature.length !== 64) return false;
  const { p, n } = SM2;
  const r = bigFromBytes(signature.subarray(0, 32));
  const s = bigFromBytes(signature.subarray(32));
  if (r < 1n || r >= n || s < 1n || s >= n) return false;
  // Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA); e = SM3(Z || M).
  const entl = bigToBytes(BigInt(userId.length * 8), 2);
  const z = sm3(concat(entl, userId, ...[SM2.a, SM2.b, SM2.gx, SM2.gy, point[0], point[1]]
    .map((v) => bigToBytes(v, 32))));
  const e = bigFromBytes(sm3(concat(z, message)));
  const t = (r + s) % n;
  if (t === 0n) return false;
  const sum = sm2Add(sm2Multiply(s, [SM2.gx, SM2.gy, 1n]), sm2Multiply(t, [point[0], point[1], 1n]));
  if (sum === null) return false;
  const zInverse = modPow(sum[2], p - 2n, p);
  const x1 = sum[0] * zInverse % p * zInverse % p;
  return (e + x1) % n === r;
}

// ---------------------------------------------------------------------------------------
// RSA PKCS#1 v1.5 with SHA-512, from modulus and exponent

const SHA512_DIGEST_INFO = decodeHex('', '3051300d060960864801650304020305000440');

function base64url(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function rsaSha512Verify(modulus, exponent, message, signature) {
  const k = modulus.length;
  if (signature.length !== k) return false;
  if (subtle) {
    try {
      const key = await subtle.importKey(
        'jwk', { kty: 'RSA', n: base64url(modulus), e: base64url(exponent), alg: 'RS512', ext: true },
        { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' }, false, ['verify']);
      return await subtle.verify('RSASSA-PKCS1-v1_5', key, signature, message);
    } catch (e) {
      // This WebCrypto refuses the key (size): check it with BigInt below.
    }
  }
  const n = bigFromBytes(modulus);
  const s = bigFromBytes(signature);
  if (s >= n) return false;
  const encoded = bigToBytes(modPow(s, bigFromBytes(exponent), n), k);
  const digestInfo = concat(SHA512_DIGEST_INFO, await sha512(message));
  if (k < digestInfo.length + 11) return false;
  const expected = new Uint8Array(k).fill(0xff);
  expected[0] = 0; expected[1] = 1; expected[k - digestInfo.length - 1] = 0;
  expected.set(digestInfo, k - digestInfo.length);
  return equalBytes(encoded, expected);
}

// DER: [contents, next offset] of the element at `at` (with tag `tag` when given).
function derRead(data, at, tag = null) {
  if (at + 2 > data.length || (tag !== null && data[at] !== tag)) {
    fail('certificate_pem: not the X.509 structure expected');
  }
  let length = data[at + 1];
  at += 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    length = Number(bigFromBytes(data.subarray(at, at + count)));
    at += count;
  }
  if (at + length > data.length) fail('certificate_pem: not the X.509 structure expected');
  return [data.subarray(at, at + length), at + length];
}

function certificateDer(pem) {
  const m = /^\s*-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----\s*$/
    .exec(pem || '');
  if (!m) fail('certificate_pem: must be one PEM certificate ("-----BEGIN CERTIFICATE-----")');
  const binary = atob(m[1].replace(/\s+/g, ''));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

// [modulus, exponent] bytes (no leading zeros) of a certificate's RSA key.
function rsaKeyOfCertificate(der) {
  const [certificate] = derRead(der, 0, 0x30);
  const [tbs] = derRead(certificate, 0, 0x30);
  let at = tbs[0] === 0xa0 ? derRead(tbs, 0)[1] : 0;  // [0] version
  for (let i = 0; i < 5; i++) at = derRead(tbs, at)[1];  // serial .. subject
  const [spki] = derRead(tbs, at, 0x30);
  const [algorithm, after] = derRead(spki, 0, 0x30);
  if (toHex(derRead(algorithm, 0, 0x06)[0]) !== '2a864886f70d010101') {
    fail('certificate_pem: the certificate\'s key is not an RSA key');
  }
  const [bits] = derRead(spki, after, 0x03);
  const [key] = derRead(bits.subarray(1), 0, 0x30);
  const [n, next] = derRead(key, 0, 0x02);
  const [e] = derRead(key, next, 0x02);
  const strip = (b) => { let i = 0; while (i < b.length - 1 && b[i] === 0) i++; return b.subarray(i); };
  return [strip(n), strip(e)];
}

// ---------------------------------------------------------------------------------------
// Witness statements (docs/entropy.md §2)

const DOMAIN = 'regulation.entropy-statement.v1';
const SOURCE_ID = /^[A-Za-z0-9._-]{1,64}$/;
const COUNT = /^(0|[1-9][0-9]*)$/;

// [[name, value]] of the encoding name=len:value\n, exactly (lengths in bytes).
function canonicalFields(text) {
  const data = utf8.encode(text);
  const fields = [];
  let at = 0;
  while (at < data.length) {
    const colon = data.indexOf(0x3a, at);
    const head = colon < 0 ? '' : new TextDecoder().decode(data.subarray(at, colon));
    const m = /^([a-z_.]+)=(0|[1-9][0-9]{0,8})$/.exec(head);
    if (!m) fail(`statement: not canonical: malformed field at byte ${at}`);
    const length = Number(m[2]);
    const start = colon + 1;
    if (start + length >= data.length || data[start + length] !== 0x0a) {
      fail(`statement: not canonical: field "${m[1]}": its length ${length} does not end at a newline`);
    }
    let value;
    try { value = utf8Strict.decode(data.subarray(start, start + length)); } catch (e) {
      fail('statement: not valid UTF-8');
    }
    fields.push([m[1], value]);
    at = start + length + 1;
  }
  return fields;
}

function checkText(name, value, maxBytes) {
  if (!value) fail(`statement.${name}: is required`);
  const size = utf8.encode(value).length;
  if (size > maxBytes) fail(`statement.${name}: is ${size} bytes, at most ${maxBytes} allowed`);
  if (/[\u0000-\u001f\u007f]/.test(value)) fail(`statement.${name}: contains a control character`);
}

function isUtcSecond(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(text);
  if (!m) return false;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return y >= 2000 && t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 &&
    t.getUTCDate() === d && t.getUTCHours() === h && t.getUTCMinutes() === mi &&
    t.getUTCSeconds() === s;
}

// The fields of a canonical statement text; throws for anything not exactly canonical.
export function parseStatement(text) {
  const fields = canonicalFields(text);
  const expected = ['domain', 'source_id', 'plan_id', 'round', 'commitment', 'value', 'signed_at',
    'attested'];
  if (fields.slice(0, 8).map((f) => f[0]).join() !== expected.join()) {
    fail(`statement: not canonical: the fields must be ${expected.join(', ')}`);
  }
  const f = Object.fromEntries(fields.slice(0, 8));
  if (f.domain !== DOMAIN) fail(`statement: the domain is "${f.domain}", not "${DOMAIN}"`);
  if (!SOURCE_ID.test(f.source_id)) fail('statement.source_id: must be 1-64 characters from [A-Za-z0-9._-]');
  checkText('plan_id', f.plan_id, 128);
  if (!COUNT.test(f.round) || BigInt(f.round) >= 2n ** 63n) {
    fail('statement.round: must be a decimal number without leading zeros');
  }
  if (!/^[0-9a-f]{64}$/.test(f.commitment)) fail('statement.commitment: must be 64 lowercase hexadecimal characters');
  if (!/^[0-9a-f]{64}$/.test(f.value)) fail('statement.value: must be 64 lowercase hex characters (32 bytes)');
  if (!isUtcSecond(f.signed_at)) fail('statement.signed_at: must be RFC 3339 UTC to the second');
  if (!COUNT.test(f.attested) || Number(f.attested) > 16) fail('statement.attested: must be a count from 0 to 16');
  const count = Number(f.attested);
  const rest = fields.slice(8);
  if (rest.length !== 2 * count ||
      rest.some(([name], i) => name !== (i % 2 ? 'attested.value' : 'attested.source_id'))) {
    fail(`statement: not canonical: ${count} attested values announced, the fields after them differ`);
  }
  const attested = [];
  for (let i = 0; i < count; i++) {
    const [id, value] = [rest[2 * i][1], rest[2 * i + 1][1]];
    if (!SOURCE_ID.test(id)) fail('statement.attested.source_id: must be 1-64 characters from [A-Za-z0-9._-]');
    if (id === f.source_id) fail('statement.attested.source_id: a witness attests other sources\' values, not its own');
    if (i > 0 && !(attested[i - 1].sourceId < id)) fail('statement.attested.source_id: must be strictly increasing');
    checkText('attested.value', value, 256);
    attested.push({ sourceId: id, value });
  }
  const reencoded = fields.map(([n, v]) => `${n}=${utf8.encode(v).length}:${v}\n`).join('');
  if (reencoded !== text) fail('statement: not canonical: it does not re-encode to itself');
  return { sourceId: f.source_id, planId: f.plan_id, round: Number(f.round), commitment: f.commitment,
    value: f.value, signedAt: f.signed_at, attested };
}

function checkBinding(s, binding) {
  const planId = field(binding, 'planId', 'plan_id');
  const commitment = field(binding, 'commitment', 'commitment');
  const notBefore = field(binding, 'notBefore', 'not_before');
  if (planId !== undefined && s.planId !== planId) {
    fail(`statement.plan_id: signed for plan "${s.planId}", not "${planId}"`);
  }
  if (binding.round !== undefined && s.round !== Number(binding.round)) {
    fail(`statement.round: signed for round ${s.round}, not ${binding.round}`);
  }
  if (commitment !== undefined && s.commitment !== commitment) {
    fail(`statement.commitment: signed for commitment ${s.commitment}, not this round's ${commitment}`);
  }
  if (notBefore !== undefined && Date.parse(s.signedAt) < Date.parse(notBefore)) {
    fail(`statement.signed_at: ${s.signedAt} is before ${notBefore}, the earliest allowed`);
  }
}

// {ok, value, reason, time, statement}: whether `statement` (an EntropyStatement) is a
// valid statement of the WITNESS `source`; with `binding` ({planId, round, commitment,
// notBefore}, each optional), also that it is bound to them. `value` is the witness's
// value (64 hex), `time` its signing time.
export async function verifyWitnessStatement(source, statement, binding = null) {
  try {
    if (!['ENTROPY_SOURCE_KIND_WITNESS', 1].includes(field(source, 'kind', 'kind'))) {
      fail('source: not a WITNESS source');
    }
    const sourceId = field(source, 'sourceId', 'source_id', '');
    const statementSourceId = field(statement, 'sourceId', 'source_id', '');
    if (statementSourceId !== sourceId) {
      fail(`source_id: the statement is for "${statementSourceId}", not "${sourceId}"`);
    }
    const witness = statement && statement.witness;
    if (!witness || typeof witness !== 'object') fail('statement: no witness signature');
    const algorithm = source.algorithm || '';
    const size = { 'ed25519': 32, 'sm2-sm3': 65 }[algorithm];
    if (!size) fail(`algorithm: must be "ed25519" or "sm2-sm3", got "${algorithm}"`);
    const key = decodeHex('public_key_hex', field(source, 'publicKeyHex', 'public_key_hex', ''), size);
    if (algorithm === 'ed25519') {
      const problem = ed25519KeyProblem(key);
      if (problem) fail(`public_key_hex: ${problem}`);
    } else if (sm2PublicPoint(key) === null) {
      fail('public_key_hex: not a point of the SM2 curve');
    }
    const signature = decodeHex('signature_hex', field(witness, 'signatureHex', 'signature_hex', ''), 64);
    const text = typeof witness.statement === 'string' ? witness.statement : '';
    const fields = parseStatement(text);
    const message = utf8.encode(text);
    const ok = algorithm === 'ed25519'
      ? (await verifyEd25519(key, message, signature)).ok
      : sm2Verify(key, message, signature);
    if (!ok) fail(`signature: does not verify with the ${algorithm} key ${toHex(key).slice(0, 16)}...`);
    if (fields.sourceId !== sourceId) {
      fail(`statement.source_id: signed as source "${fields.sourceId}", not "${sourceId}"`);
    }
    if (binding) checkBinding(fields, binding);
    return { ok: true, value: fields.value, reason: '', time: fields.signedAt, statement: fields };
  } catch (e) {
    if (!(e instanceof CheckError)) throw e;
    return { ok: false, value: '', reason: e.message, time: '' };
  }
}

// ---------------------------------------------------------------------------------------
// Strict JSON: RFC 8259, no duplicate keys, integers only (as BigInt)

function parseStrictJson(text) {
  let at = 0;
  const where = () => `beacon_pulse_json: not strict JSON at character ${at}`;
  const space = () => { while (/[ \t\n\r]/.test(text[at] || '')) at++; };
  const expect = (c) => { if (text[at] !== c) fail(where()); at++; };
  function value(depth) {
    if (depth > 32) fail(where());
    space();
    const c = text[at];
    if (c === '{') {
      at++;
      const obj = {};
      space();
      if (text[at] === '}') { at++; return obj; }
      for (;;) {
        space();
        const key = string();
        if (Object.prototype.hasOwnProperty.call(obj, key)) {
          fail(`beacon_pulse_json: member "${key}" appears twice`);
        }
        space(); expect(':');
        obj[key] = value(depth + 1);
        space();
        if (text[at] === ',') { at++; continue; }
        expect('}');
        return obj;
      }
    }
    if (c === '[') {
      at++;
      const list = [];
      space();
      if (text[at] === ']') { at++; return list; }
      for (;;) {
        list.push(value(depth + 1));
        space();
        if (text[at] === ',') { at++; continue; }
        expect(']');
        return list;
      }
    }
    if (c === '"') return string();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]]) {
      if (text.startsWith(word, at)) { at += word.length; return v; }
    }
    const m = /^-?(0|[1-9][0-9]*)/.exec(text.slice(at));
    if (!m || /^[.eE]/.test(text.slice(at + m[0].length))) fail(where());
    at += m[0].length;
    return BigInt(m[0]);
  }
  function string() {
    expect('"');
    let out = '';
    for (;;) {
      const c = text[at++];
      if (c === undefined || c < ' ') fail(where());
      if (c === '"') return out;
      if (c !== '\\') { out += c; continue; }
      const e = text[at++];
      const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e in simple) { out += simple[e]; continue; }
      if (e !== 'u' || !/^[0-9a-fA-F]{4}$/.test(text.substr(at, 4))) fail(where());
      out += String.fromCharCode(parseInt(text.substr(at, 4), 16));
      at += 4;
    }
  }
  const result = value(0);
  space();
  if (at !== text.length) fail(where());
  return result;
}

// ---------------------------------------------------------------------------------------
// NIST Randomness Beacon 2.0 pulses (docs/entropy.md §3)

const PULSE_FIELDS = ['uri', 'version', 'cipherSuite', 'period', 'certificateId', 'chainIndex',
  'pulseIndex', 'timeStamp', 'localRandomValue', 'external', 'listValues', 'precommitmentValue',
  'statusCode', 'signatureValue', 'outputValue'];
const LIST_TYPES = ['previous', 'hour', 'day', 'month', 'year'];
const MAX_INT32 = 2n ** 31n - 1n;
const MAX_INT64 = 2n ** 63n - 1n;

function members(where, obj, names) {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) fail(`beacon_pulse_json: ${where}: must be an object`);
  for (const key of Object.keys(obj)) {
    if (!names.includes(key)) fail(`beacon_pulse_json: ${where}: unknown field "${key}"`);
  }
  for (const name of names) {
    if (!(name in obj)) fail(`beacon_pulse_json: ${where}: "${name}" is missing`);
  }
}

function integer(name, v, max) {
  if (typeof v !== 'bigint') fail(`beacon_pulse_json: ${name}: must be an integer`);
  if (v < 0n || v > max) fail(`beacon_pulse_json: ${name}: must be from 0 to ${max}, got ${v}`);
  return v;
}

function string(name, v) {
  if (typeof v !== 'string') fail(`beacon_pulse_json: ${name}: must be a string`);
  return v;
}

const pulseHex = (name, v, size = null) => decodeHex(`beacon_pulse_json: ${name}`, string(name, v), size, true);

// The pulse of a beacon's JSON ({"pulse": {...}} or the pulse), checked strictly, with its
// byte fields decoded.
export function parsePulse(pulseJson) {
  let p = parseStrictJson(pulseJson);
  if (p && typeof p === 'object' && !Array.isArray(p) && Object.keys(p).join() === 'pulse') p = p.pulse;
  members('pulse', p, PULSE_FIELDS);
  ['uri', 'version', 'timeStamp'].forEach((n) => string(n, p[n]));
  ['cipherSuite', 'period', 'statusCode'].forEach((n) => integer(n, p[n], MAX_INT32));
  ['chainIndex', 'pulseIndex'].forEach((n) => integer(n, p[n], MAX_INT64));
  members('external', p.external, ['sourceId', 'statusCode', 'value']);
  integer('external.statusCode', p.external.statusCode, MAX_INT32);
  if (!Array.isArray(p.listValues) || p.listValues.length !== 5) {
    fail('beacon_pulse_json: listValues: must be an array of five: previous, hour, day, month, year');
  }
  p.listValues.forEach((item, i) => {
    members(`listValues[${i}]`, item, ['uri', 'type', 'value']);
    string(`listValues[${i}].uri`, item.uri);
    if (item.type !== LIST_TYPES[i]) fail(`beacon_pulse_json: listValues[${i}].type: must be "${LIST_TYPES[i]}"`);
  });
  const bytes = {
    certificateId: pulseHex('certificateId', p.certificateId),
    localRandomValue: pulseHex('localRandomValue', p.localRandomValue),
    externalSourceId: pulseHex('external.sourceId', p.external.sourceId),
    externalValue: pulseHex('external.value', p.external.value),
    listValues: p.listValues.map((item, i) => pulseHex(`listValues[${i}].value`, item.value)),
    precommitmentValue: pulseHex('precommitmentValue', p.precommitmentValue),
    signatureValue: pulseHex('signatureValue', p.signatureValue),
    outputValue: pulseHex('outputValue', p.outputValue, 64),
  };
  const t = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d{3})?Z$/.exec(p.timeStamp);
  if (!t || !isUtcSecond(`${t[1]}Z`)) fail('beacon_pulse_json: timeStamp: must be YYYY-MM-DDTHH:MM:SS.mmmZ');
  return { json: p, bytes };
}

// The bytes a pulse's signatureValue signs (docs/entropy.md §3).
export function pulseSignedBytes({ json: p, bytes: b }) {
  const u32 = (n) => bigToBytes(BigInt(n), 4);
  const prefixed = (bytes) => concat(u32(bytes.length), bytes);
  return concat(prefixed(utf8.encode(p.uri)), prefixed(utf8.encode(p.version)), u32(p.cipherSuite),
    u32(p.period), prefixed(b.certificateId), bigToBytes(p.chainIndex, 8), bigToBytes(p.pulseIndex, 8),
    prefixed(utf8.encode(p.timeStamp)), prefixed(b.localRandomValue), prefixed(b.externalSourceId),
    u32(p.external.statusCode), prefixed(b.externalValue), ...b.listValues.map(prefixed),
    prefixed(b.precommitmentValue), u32(p.statusCode));
}

// {ok, value, reason, time}: whether `pulseJson` is a pulse of the BEACON `source`, signed
// by its pinned certificate's key (the registered modulus and exponent must be the
// certificate's) with outputValue = SHA-512(signed bytes || signatureValue). `value` is
// outputValue in lowercase hex, `time` the pulse's timeStamp.
export async function verifyBeaconPulse(source, pulseJson) {
  try {
    if (!['ENTROPY_SOURCE_KIND_BEACON', 2].includes(field(source, 'kind', 'kind'))) {
      fail('source: not a BEACON source');
    }
    if (source.algorithm !== 'rsa-pkcs1-sha512') fail('algorithm: must be "rsa-pkcs1-sha512"');
    const der = certificateDer(field(source, 'certificatePem', 'certificate_pem', ''));
    const [modulus, exponent] = rsaKeyOfCertificate(der);
    const registeredN = field(source, 'rsaModulusHex', 'rsa_modulus_hex', '');
    const registeredE = field(source, 'rsaExponentHex', 'rsa_exponent_hex', '');
    if ((registeredN || registeredE) &&
        (bigFromBytes(decodeHex('rsa_modulus_hex', registeredN)) !== bigFromBytes(modulus) ||
         bigFromBytes(decodeHex('rsa_exponent_hex', registeredE)) !== bigFromBytes(exponent))) {
      fail('rsa_modulus_hex: the registered key is not the certificate\'s');
    }
    if (typeof pulseJson !== 'string') fail('beacon_pulse_json: must be the pulse\'s JSON text');
    const pulse = parsePulse(pulseJson);
    if (pulse.json.cipherSuite !== 0n) {
      fail(`beacon_pulse_json: cipherSuite: only cipher suite 0 (SHA-512, RSA PKCS#1 v1.5) is supported, got ${pulse.json.cipherSuite}`);
    }
    const certificateId = toHex(await sha512(der));
    if (toHex(pulse.bytes.certificateId) !== certificateId) {
      fail(`certificateId: ${toHex(pulse.bytes.certificateId).slice(0, 16)}... is not the pinned certificate's ${certificateId.slice(0, 16)}...`);
    }
    const signed = pulseSignedBytes(pulse);
    if (!(await rsaSha512Verify(modulus, exponent, signed, pulse.bytes.signatureValue))) {
      fail('signatureValue: does not verify with the pinned certificate\'s key');
    }
    if (!equalBytes(await sha512(concat(signed, pulse.bytes.signatureValue)), pulse.bytes.outputValue)) {
      fail('outputValue: is not SHA-512(the signed fields || signatureValue)');
    }
    return { ok: true, value: toHex(pulse.bytes.outputValue), reason: '', time: pulse.json.timeStamp };
  } catch (e) {
    if (!(e instanceof CheckError)) throw e;
    return { ok: false, value: '', reason: e.message, time: '' };
  }
}

// Either check, by the statement's evidence (a beacon pulse or a witness signature).
export async function verifyEntropyStatement(source, statement, binding = null) {
  const pulseJson = field(statement, 'beaconPulseJson', 'beacon_pulse_json');
  if (pulseJson === undefined) return verifyWitnessStatement(source, statement, binding);
  if (field(statement, 'sourceId', 'source_id', '') !== field(source, 'sourceId', 'source_id', '')) {
    return { ok: false, value: '', reason: 'source_id: not this source\'s statement', time: '' };
  }
  return verifyBeaconPulse(source, pulseJson);
}
