// node entropy_js_test.mjs VECTORS.json ASSETS/entropy.js
//
// Checks the site's entropy.js against known answers and against every case of the
// vectors the C++ library produced (make_entropy_vectors): the same decision (ok), the
// same value, and a reason naming the same failure. ENTROPY_JS_CRYPTO=noble runs it as a
// page opened with ?crypto=noble: no WebCrypto, the vendored and BigInt code instead.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { webcrypto } from 'node:crypto';

const [vectorsPath, modulePath] = process.argv.slice(2);
const fallback = process.env.ENTROPY_JS_CRYPTO === 'noble';
// What a page provides: its URL (crypto.js reads ?crypto=) and WebCrypto.
globalThis.location = new URL(`http://localhost/plan/1.html${fallback ? '?crypto=noble' : ''}`);
if (!globalThis.crypto) globalThis.crypto = webcrypto;

const entropy = await import(pathToFileURL(resolve(modulePath)).href);
const vectors = JSON.parse(readFileSync(vectorsPath, 'utf8'));
const hex = (s) => Uint8Array.from(s.match(/../g) || [], (b) => parseInt(b, 16));

let failures = 0;
let checks = 0;
function check(name, condition, detail = '') {
  checks++;
  if (!condition) {
    failures++;
    console.log(`FAIL ${name} ${detail}`);
  }
}

// Known answers.
const toHex = (b) => Buffer.from(b).toString('hex');
check('sm3 abc', toHex(entropy.sm3(new TextEncoder().encode('abc'))) ===
  '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
check('sm3 64 bytes', toHex(entropy.sm3(new TextEncoder().encode('abcd'.repeat(16)))) ===
  'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
const sm2Public = hex('0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020' +
  'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13');
const sm2Signature = hex('f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3' +
  'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa');
const digest = new TextEncoder().encode('message digest');
check('sm2 standard example', entropy.sm2Verify(sm2Public, digest, sm2Signature));
check('sm2 empty id refused', !entropy.sm2Verify(sm2Public, digest, sm2Signature, new Uint8Array()));
check('sm2 edited message refused',
  !entropy.sm2Verify(sm2Public, new TextEncoder().encode('message digesT'), sm2Signature));

// The C++ vectors.
const started = Date.now();
const seen = new Set();
for (const c of vectors.witness_cases) {
  const r = await entropy.verifyWitnessStatement(c.source, c.statement, c.binding || null);
  check(c.name, r.ok === c.ok && r.value === c.value && r.reason.includes(c.reason),
    `got ${JSON.stringify(r)}; C++: ok=${c.ok} ${c.cpp_reason}`);
  seen.add(`${c.source.algorithm}:${c.ok}`);
}
check('both algorithms, valid and refused', seen.size === 4, [...seen].join());
for (const c of vectors.pulse_cases) {
  const r = await entropy.verifyBeaconPulse(c.source, c.pulse_json);
  check(c.name, r.ok === c.ok && r.value === c.value && r.reason.includes(c.reason),
    `got ${JSON.stringify(r)}; C++: ok=${c.ok} ${c.cpp_reason}`);
}
check('a real NIST pulse among the valid ones',
  vectors.pulse_cases.some((c) => c.ok && c.name.startsWith('nist')));

// The dispatcher picks the check by the evidence.
const pulseCase = vectors.pulse_cases.find((c) => c.ok);
const viaStatement = await entropy.verifyEntropyStatement(pulseCase.source,
  { sourceId: pulseCase.source.sourceId, beaconPulseJson: pulseCase.pulse_json });
check('verifyEntropyStatement dispatches pulses', viaStatement.ok && viaStatement.value === pulseCase.value);

const cases = vectors.witness_cases.length + vectors.pulse_cases.length;
console.log(`${fallback ? 'fallback (?crypto=noble)' : 'WebCrypto'}: ${checks - failures}/${checks} ` +
  `checks passed (${cases} C++ vectors) in ${Date.now() - started} ms`);
process.exit(failures === 0 ? 0 : 1);
