// Records of the log, verified in the browser with nothing but the site's static files
// (docs/disclosure.md, "Verifying in the browser"): the key and the signed checkpoint,
// then for each record its leaf from the entry bundle, an inclusion proof built from the
// hash tiles up to the checkpoint's root, and the body and salt published beside it,
// which must hash to the digest the leaf names and agree with its kind, key, subject and
// publish time. Pages show what these verified records hold, and nothing else.

import * as tlog from './tlog.js';
import { recordBodyPath, recordSaltPath } from './paths.js';

export const decode = (bytes) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);

// The page's verification panel (#verification): step(text) adds a line to its list of
// steps; finish(className, text) shows the outcome (verify-ok, verify-failed, which also
// outlines the page's content in red, or verify-pending).
export function verificationPanel() {
  const panel = document.getElementById('verification');
  const status = document.getElementById('verify-status');
  const steps = document.getElementById('verify-steps');
  return {
    panel,
    step(text) {
      const li = document.createElement('li');
      li.textContent = text;
      steps.appendChild(li);
    },
    finish(className, text) {
      status.className = className;
      status.textContent = text;
      panel.dataset.outcome = className;
      if (className === 'verify-failed') document.body.classList.add('page-verify-failed');
    },
  };
}

// A fetcher of the site's files relative to its root: fetchBytes(path, fresh).
export function siteFetcher(root) {
  return async (path, fresh = false) => {
    const response = await fetch(root + path, { cache: fresh ? 'no-store' : 'default' });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
}

// The log under its signed checkpoint: { key, checkpoint, tiles, implementation }.
// `pinned` is a verifier key given by the reader (?key=...), else verifier.key is used.
export async function openLog(fetchBytes, pinned, step) {
  const key = await tlog.parseVerifierKey(pinned || decode(await fetchBytes('verifier.key')));
  step(`验证密钥 Verifier key${pinned ? ' (pinned)' : ''}: ${key.text}`);
  const opened = await tlog.openNote(decode(await fetchBytes('checkpoint', true)), key);
  const checkpoint = tlog.parseCheckpoint(opened.text);
  step(`检查点签名有效 Checkpoint signature valid (${opened.implementation}): ` +
       `${checkpoint.origin}, ${checkpoint.size} records, root ${tlog.hex(checkpoint.root)}`);
  return { key, checkpoint, tiles: new tlog.TileLog(checkpoint.size, (path) => fetchBytes(path)) };
}

// Record `index`, proven included under the checkpoint: { index, leafBytes, leaf } and,
// unless `withBody` is false, { bodyBytes, bodyText, entry } checked against the leaf.
export async function verifiedRecord(log, fetchBytes, index, { withBody = true, step = () => {} } = {}) {
  if (index >= log.checkpoint.size) throw new Error(`record #${index} is not in the log of ${log.checkpoint.size} records`);
  const leafBytes = await log.tiles.entry(index);
  const hash = await tlog.leafHash(leafBytes);
  const proof = await log.tiles.inclusionProof(index);
  if (!(await tlog.verifyInclusion(index, log.checkpoint.size, hash, proof, log.checkpoint.root))) {
    throw new Error(`the inclusion proof of record #${index} from the tiles does not lead to the checkpoint's root`);
  }
  step(`记录 #${index} 已纳入日志 Record #${index} is in the log: leaf hash ${tlog.hex(hash)}, ` +
       `inclusion proof of ${proof.length} hashes`);
  let leaf;
  try {
    leaf = tlog.parseLeaf(leafBytes);
  } catch (e) {
    throw new Error(`entry ${index} of the log: ${e.message}`);
  }
  const record = { index, leafBytes, leaf };
  if (!withBody) return record;

  const bodyBytes = await fetchBytes(recordBodyPath(index));
  const saltText = decode(await fetchBytes(recordSaltPath(index)));
  if (!/^[0-9a-f]{64}\n$/.test(saltText)) throw new Error(`${recordSaltPath(index)} is not a salt`);
  const digest = await tlog.bodyDigest(tlog.fromHex(saltText.slice(0, 64)), bodyBytes);
  if (!tlog.equalBytes(digest, leaf.bodyDigest)) {
    throw new Error(`the body of record #${index} (${recordBodyPath(index)}) does not hash to the digest its leaf names`);
  }
  const bodyText = decode(bodyBytes);
  const entry = JSON.parse(bodyText);
  for (const name of ['kind', 'key', 'subject', 'publish_time']) {
    if (entry[name] !== leaf[name]) throw new Error(`the body of record #${index} names another ${name} than its leaf`);
  }
  step(`记录 #${index} 的正文与叶子一致 Body of record #${index} matches its leaf (salted SHA-256)`);
  return { ...record, bodyBytes, bodyText, entry };
}
