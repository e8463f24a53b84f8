// A client for the log as the site publishes it: C2SP signed notes and checkpoints
// (c2sp.org/signed-note, tlog-checkpoint), tlog-tiles (c2sp.org/tlog-tiles), and RFC
// 6962 / RFC 9162 hashing and inclusion proofs. Sizes and indices are Numbers (exact
// below 2^53), so arithmetic uses division, never 32-bit shifts.

import { sha256, verifyEd25519 } from './crypto.js';

export const TILE_WIDTH = 256;
const HASH_SIZE = 32;

export const utf8 = (s) => new TextEncoder().encode(s);

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export function fromBase64(s) {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new Error('malformed base64');
  const bin = atob(s);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export const leafHash = (entry) => sha256(concat(Uint8Array.of(0), entry));

export function fromHex(s) {
  if (!/^([0-9a-f]{2})*$/.test(s)) throw new Error('malformed hex');
  return Uint8Array.from(s.match(/../g) || [], (h) => parseInt(h, 16));
}

// A disclosure leaf (disclosure/public_leaf.h): the record's kind, key, subject and
// publish time, and the salted SHA-256 of its body. Throws unless `bytes` is exactly one.
const LEAF_FORMAT = 'regulation-disclosure-leaf/v2';
const LEAF_FIELDS = ['kind', 'key', 'subject', 'publish_time'];
export function parseLeaf(bytes) {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  const lines = text.split('\n');
  if (lines.pop() !== '' || lines.length !== LEAF_FIELDS.length + 2 || lines[0] !== LEAF_FORMAT) {
    throw new Error(`not a ${LEAF_FORMAT} leaf`);
  }
  const leaf = {};
  LEAF_FIELDS.forEach((name, i) => {
    const line = lines[i + 1];
    if (!line.startsWith(name + ' ') || line.length === name.length + 1) throw new Error(`leaf line ${i + 2} is not "${name} ..."`);
    leaf[name] = line.slice(name.length + 1);
  });
  const digest = /^body_sha256 ([0-9a-f]{64})$/.exec(lines[lines.length - 1]);
  if (!digest) throw new Error('the leaf has no body_sha256 line');
  leaf.bodyDigest = fromHex(digest[1]);
  return leaf;
}

// SHA-256("regulation-disclosure-body/v2" || 0x00 || salt || body).
export const bodyDigest = (salt, body) =>
  sha256(concat(utf8('regulation-disclosure-body/v2'), Uint8Array.of(0), salt, body));
export const nodeHash = (left, right) => sha256(concat(Uint8Array.of(1), left, right));

// "<name>+<key id, 8 hex>+<base64(0x01 || 32-byte key)>", key id checked.
export async function parseVerifierKey(text) {
  const t = text.trim();
  // The name has no '+'; the base64 key may have some.
  const first = t.indexOf('+');
  const second = t.indexOf('+', first + 1);
  const name = t.slice(0, first);
  const keyId = t.slice(first + 1, second);
  const encoded = t.slice(second + 1);
  if (first <= 0 || second < 0 || !/^[0-9a-f]{8}$/.test(keyId)) throw new Error('malformed verifier key');
  const raw = fromBase64(encoded);
  if (raw.length !== 33 || raw[0] !== 1) throw new Error('the verifier key is not an Ed25519 key');
  const publicKey = raw.slice(1);
  const id = (await sha256(concat(utf8(name), Uint8Array.of(0x0a, 0x01), publicKey))).slice(0, 4);
  if (hex(id) !== keyId) throw new Error('the verifier key\'s id does not match its key');
  return { name, keyId, publicKey, text: t };
}

// The text of a signed note once the signature by `key` verifies; throws otherwise.
export async function openNote(note, key) {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Error('malformed signed note');
  const text = note.slice(0, split + 1);
  let sawKey = false;
  for (const line of note.slice(split + 2, -1).split('\n')) {
    if (!line.startsWith('\u2014 ')) throw new Error('malformed signature line');
    const [name, encoded, extra] = line.slice(2).split(' ');
    if (extra !== undefined || encoded === undefined) throw new Error('malformed signature line');
    if (name !== key.name) continue;  // other signers (witnesses) are ignored
    const sig = fromBase64(encoded);
    if (sig.length < 4 || hex(sig.slice(0, 4)) !== key.keyId) continue;
    sawKey = true;
    if (sig.length !== 68) throw new Error('malformed Ed25519 signature');
    const { ok, implementation } = await verifyEd25519(key.publicKey, utf8(text), sig.slice(4));
    if (!ok) throw new Error(`the checkpoint's signature by ${key.name} does not verify (forged or altered)`);
    return { text, implementation };
  }
  throw new Error(sawKey ? 'bad signature' : `the checkpoint carries no signature by ${key.name}`);
}

export function parseCheckpoint(text) {
  const lines = text.split('\n');
  if (lines.length < 4 || !/^(0|[1-9][0-9]{0,15})$/.test(lines[1])) throw new Error('malformed checkpoint');
  const size = Number(lines[1]);
  const root = fromBase64(lines[2]);
  if (!Number.isSafeInteger(size) || root.length !== HASH_SIZE) throw new Error('malformed checkpoint');
  return { origin: lines[0], size, root };
}

export function tileIndexPath(n) {
  const groups = [];
  do {
    groups.push(n % 1000);
    n = Math.floor(n / 1000);
  } while (n > 0);
  groups.reverse();
  return groups.map((g, i) => (i < groups.length - 1 ? 'x' : '') + String(g).padStart(3, '0')).join('/');
}

const partial = (width) => (width === TILE_WIDTH ? '' : `.p/${width}`);

// Hashes and entries of the tree of `size` leaves, read from tiles with `fetchBytes(path)`.
export class TileLog {
  constructor(size, fetchBytes) {
    this.size = size;
    this.fetchBytes = fetchBytes;
    this.tiles = new Map();
    this.fetched = 0;
  }

  width(level, index) {
    const count = Math.floor(this.size / TILE_WIDTH ** level);
    return Math.min(TILE_WIDTH, count - index * TILE_WIDTH);
  }

  async file(path) {
    if (!this.tiles.has(path)) {
      this.tiles.set(path, this.fetchBytes(path));
      this.fetched++;
    }
    return this.tiles.get(path);
  }

  // The entry at `index`, from its entry bundle (big-endian uint16 length + bytes each).
  async entry(index) {
    const tile = Math.floor(index / TILE_WIDTH);
    const width = this.width(0, tile);
    const path = `tile/entries/${tileIndexPath(tile)}${partial(width)}`;
    const bundle = await this.file(path);
    let at = 0;
    for (let k = 0; k < width; k++) {
      if (at + 2 > bundle.length) break;
      const len = bundle[at] * 256 + bundle[at + 1];
      if (at + 2 + len > bundle.length) break;
      if (k === index % TILE_WIDTH) return bundle.slice(at + 2, at + 2 + len);
      at += 2 + len;
    }
    throw new Error(`${path} does not hold entry ${index}`);
  }

  // The hash of the complete subtree (level, index): from hash tile (level / 8), the
  // levels inside a tile recomputed from its hashes.
  async node(level, index) {
    const tileLevel = Math.floor(level / 8);
    const span = 2 ** (level % 8);
    const first = index * span;
    const tile = Math.floor(first / TILE_WIDTH);
    const width = this.width(tileLevel, tile);
    const path = `tile/${tileLevel}/${tileIndexPath(tile)}${partial(width)}`;
    const data = await this.file(path);
    if (data.length !== width * HASH_SIZE) throw new Error(`${path} has the wrong size`);
    let row = [];
    for (let k = first - tile * TILE_WIDTH; k < first - tile * TILE_WIDTH + span; k++) {
      if (k >= width) throw new Error(`${path} does not cover subtree (${level}, ${index})`);
      row.push(data.slice(k * HASH_SIZE, (k + 1) * HASH_SIZE));
    }
    while (row.length > 1) {
      const up = [];
      for (let k = 0; k < row.length; k += 2) up.push(await nodeHash(row[k], row[k + 1]));
      row = up;
    }
    return row[0];
  }

  // MTH(D[begin:end]), for ranges that start at a multiple of a power of two no smaller
  // than their size (all that proofs need).
  async range(begin, end) {
    const n = end - begin;
    const k = largestPowerOfTwoBelow(n);
    if (k * 2 === n || n === 1) {
      const level = Math.round(Math.log2(n));
      return this.node(level, begin / n);
    }
    return nodeHash(await this.range(begin, begin + k), await this.range(begin + k, end));
  }

  // RFC 9162 PATH(index, D[0:size]), leaf to root.
  async inclusionProof(index, begin = 0, end = this.size) {
    if (end - begin === 1) return [];
    const k = largestPowerOfTwoBelow(end - begin);
    if (index < begin + k) {
      return [...(await this.inclusionProof(index, begin, begin + k)), await this.range(begin + k, end)];
    }
    return [...(await this.inclusionProof(index, begin + k, end)), await this.range(begin, begin + k)];
  }
}

// The largest power of two strictly below n (n >= 2); 1 for n = 1.
function largestPowerOfTwoBelow(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// RFC 9162 section 2.1.3.2.
export async function verifyInclusion(index, size, leaf, proof, root) {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(r, root);
}
