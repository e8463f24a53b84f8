// The site's paths (disclosure/site/site_paths.h): SafePathComponent and the page and
// file paths built from data. Keep in step with site_paths.cc.

export function safeComponent(s) {
  const bytes = new TextEncoder().encode(s);
  if (bytes.length === 0) return '~';
  let out = '';
  bytes.forEach((b, i) => {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9_-]/.test(c) || (c === '.' && i > 0)) out += c;
    else out += '~' + b.toString(16).toUpperCase().padStart(2, '0');
  });
  return out;
}

const RECORDS_PER_FOLDER = 1000;
const recordBase = (index) => `record/${Math.floor(index / RECORDS_PER_FOLDER)}/${index}`;

export const recordPagePath = (index) => `${recordBase(index)}.html`;
export const recordBodyPath = (index) => `${recordBase(index)}.json`;
export const recordSaltPath = (index) => `${recordBase(index)}.salt`;
export const enterprisePagePath = (code) => `enterprise/${safeComponent(code)}.html`;
export const planPagePath = (planId) => `plan/${safeComponent(planId)}.html`;
export const bundlePath = (planId, round) => `draws/${safeComponent(planId)}/${round}.json`;
