// What this browser trusts about the site's log, and remembers between visits
// (docs/disclosure.md, "Pinned key, rollback and witnesses"):
//   - the log's key: the reader's ?key=..., else the key this browser verified on its
//     first visit to this web origin (trust on first use), never silently the one the
//     site serves now;
//   - the witnesses whose cosignatures the checkpoint must carry: those the site names
//     (its `witnesses` file) and every one this browser required before;
//   - the largest checkpoint it verified: a smaller one (rollback), one of the same size
//     with another root, or a larger one the tiles cannot prove consistent with it (a
//     fork) fails the page, naming what changed.
// Kept in localStorage under one name per web origin: one log per origin.

import * as tlog from './tlog.js';

const STORAGE_KEY = 'regulation-log-trust/v1';

function remembered() {
  try {
    const text = globalThis.localStorage && localStorage.getItem(STORAGE_KEY);
    return text ? JSON.parse(text) : null;
  } catch (e) {
    return null;  // storage disabled or unreadable: a first visit, every time
  }
}

function remember(state) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    return true;
  } catch (e) {
    return false;
  }
}

const since = (state) => (state && state.first_seen ? ` (first verified ${state.first_seen})` : '');

// The key to open the checkpoint with: { key, how }. Throws when the site serves
// another key than the pinned one.
export async function pinnedKey(servedText, readerPinned) {
  const stored = remembered();
  const served = await tlog.parseVerifierKey(servedText);
  if (readerPinned) {
    const key = await tlog.parseVerifierKey(readerPinned);
    if (key.text !== served.text) {
      throw new Error(`the log key changed: the site serves ${served.text}, not the key pinned by ?key= (${key.text})`);
    }
    return { key, how: 'pinned by ?key=' };
  }
  if (stored && stored.key) {
    const key = await tlog.parseVerifierKey(stored.key);
    if (key.text !== served.text) {
      throw new Error(`the log key changed: the site now serves ${served.text}, but this browser pinned ` +
                      `${key.text}${since(stored)}; a forged site, or a key rotation to confirm with the operator`);
    }
    return { key, how: `pinned in this browser${since(stored)}` };
  }
  return { key: served, how: 'first visit: trusted and pinned in this browser' };
}

// Checks the checkpoint's cosignatures and its consistency with the one remembered,
// then remembers it. `log` is { key, checkpoint, tiles, note }.
export async function checkAndRemember(log, fetchBytes, step) {
  const stored = remembered();
  let named = [];
  try {
    named = new TextDecoder().decode(await fetchBytes('witnesses', true)).split('\n').filter((l) => l.trim() !== '');
  } catch (e) {
    if (!/HTTP 404/.test(e.message)) throw e;
  }
  const required = [...named];
  for (const w of (stored && stored.witnesses) || []) {
    if (!required.includes(w)) {
      throw new Error(`the site no longer names witness ${w.split('+')[0]}, whose cosignature this browser required before${since(stored)}`);
    }
  }
  for (const text of required) {
    const witness = await tlog.parseCosignerKey(text);
    const time = await tlog.verifyCosignature(log.note, witness);
    step(`见证人副署有效 Cosigned by witness ${witness.name} at ${new Date(time * 1000).toISOString()}`);
  }

  const cp = log.checkpoint;
  const root = tlog.hex(cp.root);
  if (stored && stored.origin === cp.origin && Number.isSafeInteger(stored.size)) {
    if (cp.size < stored.size) {
      throw new Error(`rollback: the site serves a checkpoint of ${cp.size} records, older than the checkpoint ` +
                      `of ${stored.size} records (root ${stored.root}) this browser verified before`);
    }
    if (cp.size === stored.size && root !== stored.root) {
      throw new Error(`inconsistent checkpoint: ${cp.size} records with root ${root}, but this browser verified ` +
                      `${stored.size} records with root ${stored.root} (two histories of one log)`);
    }
    if (cp.size > stored.size && stored.size > 0) {
      const proof = await tlog.consistencyProof(log.tiles, stored.size);
      if (!(await tlog.verifyConsistency(stored.size, cp.size, proof, tlog.fromHex(stored.root), cp.root))) {
        throw new Error(`inconsistent checkpoint: the log of ${cp.size} records does not extend the checkpoint of ` +
                        `${stored.size} records (root ${stored.root}) this browser verified before (a fork)`);
      }
      step(`与此前验证的检查点一致 Consistent with the checkpoint of ${stored.size} records this browser ` +
           `verified before (consistency proof of ${proof.length} hashes)`);
    } else if (cp.size === stored.size) {
      step(`与此前验证的检查点相同 The checkpoint this browser verified before (${cp.size} records)`);
    }
  } else if (stored && stored.origin && stored.origin !== cp.origin) {
    throw new Error(`the log changed: this browser verified the log ${stored.origin} here before, the site now serves ${cp.origin}`);
  }
  const kept = remember({
    origin: cp.origin, key: log.key.text, size: cp.size, root, witnesses: required,
    first_seen: (stored && stored.first_seen) || new Date().toISOString().slice(0, 10),
  });
  if (!kept) step('本浏览器无法保存检查点 This browser cannot store the checkpoint: rollbacks will not be noticed');
}
