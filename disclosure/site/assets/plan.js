// The verification panel of a plan page (#verification): checks, in the browser, that
// the plan page shows what the log holds.
//   1. the checkpoint's signature (as a record page does, records.js);
//   2. every record the panel names (data-records): its inclusion under the checkpoint,
//      its body against its leaf, and that it is this plan's (data-plan);
//   3. each draw's bundle file (draws/<plan>/<round>.json) against the SHA-256 its DRAW
//      record names;
//   4. the checks of plan_checks.js (the draw's entropy evidence);
//   5. every line of #plan-content, and the title, is what those verified records and
//      bundles say (views.js): a commitment, an entropy source, a cutoff or a team edited
//      on the page fails it, naming the field.
// What it cannot show is that the page names every record of the plan: the log has no
// index by plan.

import { sha256 } from './crypto.js';
import * as tlog from './tlog.js';
import { planChecks } from './plan_checks.js';
import { bundlePath } from './paths.js';
import { decode, openLog, siteFetcher, verificationPanel, verifiedRecord } from './records.js';
import { checkRegion, checkTitle, loadDepartments, planItems, planTitle } from './views.js';

const { panel, step, finish } = verificationPanel();
const root = document.body.dataset.root || '';
const fetchBytes = siteFetcher(root);

function recordIndices() {
  const text = panel.dataset.records || '';
  if (text === '') return [];
  return text.split(',').map((s) => {
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw new Error(`the page names no record "${s}"`);
    return Number(s);
  });
}

const MANIFEST_SPEC = '{"spec":"regulation.draw-parts.v1"';

// A bundle published in parts (docs/draw-spec.md §9.4): the manifest at the bundle's path
// lists the parts beside it; each is checked against the SHA-256 the record names for it,
// and the parts are joined (the whole is checked by the caller).
async function joinedParts(record, path, manifestBytes) {
  const d = record.entry.draw;
  const manifest = JSON.parse(decode(manifestBytes));
  const digests = d.bundle_part_digests || [];
  if (!Array.isArray(manifest.parts) || manifest.parts.length !== digests.length) {
    throw new Error(`${path} lists ${manifest.parts ? manifest.parts.length : 0} parts; record #${record.index} names ${digests.length}`);
  }
  const dir = path.slice(0, path.lastIndexOf('/') + 1);
  const parts = [];
  let total = 0;
  for (let i = 0; i < digests.length; ++i) {
    const file = String(manifest.parts[i].file);
    if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(file)) throw new Error(`${path}: part ${i + 1} is not a plain file name`);
    const part = await fetchBytes(dir + file);
    if (tlog.hex(await sha256(part)) !== digests[i]) {
      throw new Error(`${dir + file} does not hash to part ${i + 1} of the bundle record #${record.index} names`);
    }
    parts.push(part);
    total += part.length;
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  step(`抽取结果分 ${digests.length} 个文件发布，逐一核对 ${path}: ${digests.length} parts, each matching the SHA-256 record #${record.index} names`);
  return bytes;
}

// The draw's bundle file, checked against the digest its verified record names.
async function verifiedBundle(record) {
  const d = record.entry.draw;
  const path = bundlePath(String(d.plan_id), String(d.round || 0));
  let bytes = await fetchBytes(path);
  if (decode(bytes.subarray(0, MANIFEST_SPEC.length)) === MANIFEST_SPEC) {
    bytes = await joinedParts(record, path, bytes);
  }
  const digest = tlog.hex(await sha256(bytes));
  if (digest !== d.bundle_digest) {
    throw new Error(`${path} does not hash to the bundle_digest of record #${record.index}`);
  }
  step(`抽取结果文件与记录 #${record.index} 一致 ${path} matches the SHA-256 record #${record.index} names`);
  const text = decode(bytes);
  let bundle;
  try {
    bundle = JSON.parse(text);
  } catch (e) {
    bundle = null;  // shown as "could not be read", as the generator does
  }
  return { bundle, bundleText: text };
}

async function verify() {
  const planId = panel.dataset.plan || '';
  const indices = recordIndices();
  const log = await openLog(fetchBytes, new URLSearchParams(location.search).get('key'), step);
  if (indices.some((i) => i >= log.checkpoint.size)) {
    finish('verify-pending', `尚未纳入 Not yet covered: the published checkpoint has ${log.checkpoint.size} ` +
           'records; this plan\'s latest record will be verifiable after the next update.');
    return;
  }
  const records = [];
  for (const index of indices) {
    const r = await verifiedRecord(log, fetchBytes, index, { step });
    if (r.entry.subject !== planId) throw new Error(`record #${index} is about ${r.entry.subject}, not plan ${planId}`);
    records.push(r);
  }
  const bundles = new Map();
  const draws = [];
  for (const r of records) {
    if (!r.entry.draw) continue;
    const { bundle, bundleText } = await verifiedBundle(r);
    bundles.set(r.index, bundle);
    draws.push({ index: r.index, entry: r.entry, bundle, bundleText });
  }

  const plan = {
    planId, root, fetchBytes, step, draws, log,
    commitment: records.find((r) => r.entry.commitment) || null,
    announcements: records.filter((r) => r.entry.announcement),
  };
  const extra = new Map();
  for (const check of planChecks) {
    const out = await check(plan);
    for (const [index, items] of (out && out.items) || []) extra.set(index, [...(extra.get(index) || []), ...items]);
  }

  await loadDepartments(fetchBytes);
  checkTitle(planTitle(planId, records));
  const region = document.getElementById('plan-content');
  if (!region) throw new Error('the page has no #plan-content');
  checkRegion(region, planItems(root, records, bundles, extra));
  step('页面所示与已验证的记录和抽取结果文件逐项一致 Every line shown is the verified records\' and bundles\'');
  finish('verify-ok', `已验证 Verified: the plan's ${records.length} records are included in the log of ` +
         `${log.checkpoint.size} records, checkpoint signed by ${log.key.name} (key ${log.key.keyId}), ` +
         `and every line shown is theirs and their bundles'`);
}

verify().catch((e) => finish('verify-failed', `验证失败 Verification FAILED: ${e.message}`));
