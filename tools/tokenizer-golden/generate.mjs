// Generates the tokenizer golden files from the reference implementation: Hugging Face's
// tokenizer as shipped in transformers.js (@huggingface/transformers, pinned in package.json).
//
//   npm ci --ignore-scripts && node generate.mjs <model-dir> <data-dir> <output-dir>
//
// <data-dir> is shared/data: sst2/dev.tsv, sst2/train.tsv and banking77/dev.tsv are read from it.
// The ids are untruncated (transformers.js only truncates when asked), so they test the
// normalizer, pre-tokenizer and WordPiece on whole texts; truncation has its own tests.
//
// Files written:
// - tokenizer-sst2-dev.json, tokenizer-edge-cases.json: every text with its full ids and tokens.
// - tokenizer-corpora.json: every text of SST-2 train and banking77 dev in compact form, so the
//   checked-in file stays small: per text (in file order) the first 4 bytes of
//   sha256(ids.join(',')), concatenated and base64-encoded, plus the full ids of every 1,000th text.
//   A test recomputes the hash from our ids for each text, so a mismatch is found per text.
import { AutoTokenizer, env } from '@huggingface/transformers';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const [modelDir, dataDir, outDir] = process.argv.slice(2);
if (!modelDir || !dataDir || !outDir) {
  console.error('usage: node generate.mjs <model-dir> <data-dir> <output-dir>');
  process.exit(2);
}

env.allowRemoteModels = false;
env.localModelPath = path.resolve(path.dirname(modelDir)) + path.sep;
const tokenizer = await AutoTokenizer.from_pretrained(path.basename(modelDir));
const version = JSON.parse(readFileSync(new URL('./node_modules/@huggingface/transformers/package.json', import.meta.url))).version;
const sha256 = (data) => createHash('sha256').update(data).digest();
const tokenizerSha256 = sha256(readFileSync(path.join(modelDir, 'tokenizer.json'))).toString('hex');
const header = {
  generator: 'tools/tokenizer-golden/generate.mjs',
  reference: `@huggingface/transformers ${version}`,
  tokenizer_json_sha256: tokenizerSha256,
};

const ids = (text) => Array.from(tokenizer(text).input_ids.data, Number);
const encode = (text) => {
  const encoded = ids(text);
  return { text, ids: encoded, tokens: encoded.map((id) => tokenizer._tokenizer.id_to_token(id)) };
};

const write = (name, body, indent) => {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, name);
  writeFileSync(file, JSON.stringify(body, null, indent) + '\n');
  console.error(`wrote ${file}`);
};

// A TSV's first column, every row after the header, exactly as the C# test reads it.
const readTexts = (relative) => {
  const bytes = readFileSync(path.join(dataDir, relative));
  const texts = bytes.toString('utf8').split('\n').slice(1).filter((l) => l.length > 0).map((l) => l.split('\t')[0]);
  return { bytes, texts };
};

// SST-2 dev: every sentence, as the file holds it.
const dev = readTexts('sst2/dev.tsv').texts;
write('tokenizer-sst2-dev.json', { ...header, cases: dev.map(encode) }, 1);

// Edge cases, plus a 2,000-word text built deterministically from the dev sentences.
const edge = JSON.parse(readFileSync(new URL('./edge-cases.json', import.meta.url), 'utf8')).texts;
const words = dev.join(' ').split(/\s+/).filter((w) => w.length > 0);
const long = words.slice(0, 2000).join(' ');
write('tokenizer-edge-cases.json', { ...header, cases: [...edge, long].map(encode) }, 1);

// SST-2 train and banking77 dev, compact.
const HASH_BYTES = 4;
const SAMPLE_EVERY = 1000;
const corpora = ['sst2/train.tsv', 'banking77/dev.tsv'].map((file) => {
  const { bytes, texts } = readTexts(file);
  const hashes = Buffer.alloc(texts.length * HASH_BYTES);
  const samples = [];
  texts.forEach((text, index) => {
    const encoded = ids(text);
    sha256(encoded.join(',')).copy(hashes, index * HASH_BYTES, 0, HASH_BYTES);
    if (index % SAMPLE_EVERY === 0) samples.push({ index, ids: encoded });
  });
  console.error(`${file}: ${texts.length} texts`);
  return { file, file_sha256: sha256(bytes).toString('hex'), texts: texts.length, hashes: hashes.toString('base64'), samples };
});
write('tokenizer-corpora.json', {
  ...header,
  hash: `first ${HASH_BYTES} bytes of sha256 of the UTF-8 string ids.join(','), per text in file order, base64`,
  sample_every: SAMPLE_EVERY,
  corpora,
}, 1);
