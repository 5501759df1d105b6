// Generates the tokenizer golden files from the reference implementation: Hugging Face's
// tokenizer as shipped in transformers.js (@huggingface/transformers, pinned in package.json).
//
//   npm ci --ignore-scripts && node generate.mjs <model-dir> <sst2-dev.tsv> <output-dir>
//
// The ids are untruncated (transformers.js only truncates when asked), so they test the
// normalizer, pre-tokenizer and WordPiece on whole texts; truncation has its own tests.
import { AutoTokenizer, env } from '@huggingface/transformers';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const [modelDir, devTsv, outDir] = process.argv.slice(2);
if (!modelDir || !devTsv || !outDir) {
  console.error('usage: node generate.mjs <model-dir> <sst2-dev.tsv> <output-dir>');
  process.exit(2);
}

env.allowRemoteModels = false;
env.localModelPath = path.resolve(path.dirname(modelDir)) + path.sep;
const tokenizer = await AutoTokenizer.from_pretrained(path.basename(modelDir));
const version = JSON.parse(readFileSync(new URL('./node_modules/@huggingface/transformers/package.json', import.meta.url))).version;
const tokenizerSha256 = createHash('sha256').update(readFileSync(path.join(modelDir, 'tokenizer.json'))).digest('hex');

const encode = (text) => {
  const ids = Array.from(tokenizer(text).input_ids.data, Number);
  return { text, ids, tokens: ids.map((id) => tokenizer._tokenizer.id_to_token(id)) };
};

const write = (name, cases) => {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, name);
  const body = {
    generator: 'tools/tokenizer-golden/generate.mjs',
    reference: `@huggingface/transformers ${version}`,
    tokenizer_json_sha256: tokenizerSha256,
    cases,
  };
  writeFileSync(file, JSON.stringify(body, null, 1) + '\n');
  console.error(`wrote ${cases.length} cases to ${file}`);
};

// SST-2 dev: every sentence, as the file holds it.
const dev = readFileSync(devTsv, 'utf8').split('\n').slice(1).filter((l) => l.length > 0).map((l) => l.split('\t')[0]);
write('tokenizer-sst2-dev.json', dev.map(encode));

// Edge cases, plus a 2,000-word text built deterministically from the dev sentences.
const edge = JSON.parse(readFileSync(new URL('./edge-cases.json', import.meta.url), 'utf8')).texts;
const words = dev.join(' ').split(/\s+/).filter((w) => w.length > 0);
const long = words.slice(0, 2000).join(' ');
write('tokenizer-edge-cases.json', [...edge, long].map(encode));
