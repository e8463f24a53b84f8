// node validate.mjs FILE.yaml...: checks the objects in the files against the
// Kubernetes schemas and against each other (checks.mjs); prints each problem and
// exits 1 if there is any.
import { checkAll, loadDocuments } from "./checks.mjs";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate.mjs FILE.yaml...");
  process.exit(2);
}
const docs = loadDocuments(files);
const errors = await checkAll(docs.map((d) => d.object));
for (const error of errors) console.error(error);
const kinds = {};
for (const { object } of docs) kinds[object.kind] = (kinds[object.kind] ?? 0) + 1;
console.log(`${docs.length} objects in ${files.length} files (${Object.entries(kinds)
  .map(([k, n]) => `${n} ${k}`).join(", ")}): ${errors.length === 0 ? "valid" : `${errors.length} problems`}`);
process.exit(errors.length === 0 ? 0 : 1);
