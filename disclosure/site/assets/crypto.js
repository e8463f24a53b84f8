// SHA-256 and Ed25519 for the site's scripts: the browser's WebCrypto when it has them,
// else the vendored noble libraries (vendor/README.md). `?crypto=noble` in a page's URL
// forces the vendored code (the browser test checks both paths).

const forceNoble = new URLSearchParams(location.search).get('crypto') === 'noble';
const subtle = forceNoble ? null : (globalThis.crypto && globalThis.crypto.subtle) || null;

let nobleHashes = null;
async function hashes() {
  if (nobleHashes === null) nobleHashes = await import('./vendor/noble-hashes/sha2.js');
  return nobleHashes;
}

export async function sha256(bytes) {
  if (subtle) return new Uint8Array(await subtle.digest('SHA-256', bytes));
  return (await hashes()).sha256(bytes);
}

// { ok, implementation }: whether `signature` (64 bytes) is the Ed25519 signature of
// `message` by the 32-byte `publicKey` (RFC 8032 rules, not ZIP-215).
export async function verifyEd25519(publicKey, message, signature) {
  if (subtle) {
    try {
      const key = await subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
      const ok = await subtle.verify({ name: 'Ed25519' }, key, signature, message);
      return { ok, implementation: 'WebCrypto Ed25519' };
    } catch (e) {
      // No Ed25519 in this browser's WebCrypto: use the vendored implementation.
    }
  }
  const ed = await import('./vendor/noble-ed25519/index.js');
  ed.hashes.sha512 = (await hashes()).sha512;
  const ok = ed.verify(signature, message, publicKey, { zip215: false });
  return { ok, implementation: '@noble/ed25519 3.2.0' };
}
