// The peer for bench/throughput: transformers.js (Hugging Face's tokenizer and onnxruntime-node)
// behind a minimal HTTP server with the same API shape as ModelMonitor's POST /predict.
//
//   node server.mjs <model-dir> <port> <intra-op-threads>
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AutoTokenizer, AutoModelForSequenceClassification, env } from '@huggingface/transformers';

const [modelDir, port, threads] = process.argv.slice(2);
// transformers.js looks for onnx/model.onnx: lay the same files out that way with symlinks.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-peer-'));
const name = 'model';
fs.mkdirSync(path.join(root, name, 'onnx'), { recursive: true });
for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) {
  fs.symlinkSync(path.resolve(modelDir, file), path.join(root, name, file));
}
fs.symlinkSync(path.resolve(modelDir, 'model.onnx'), path.join(root, name, 'onnx', 'model.onnx'));
env.allowRemoteModels = false;
env.localModelPath = root + path.sep;

const tokenizer = await AutoTokenizer.from_pretrained(name);
const model = await AutoModelForSequenceClassification.from_pretrained(name, {
  dtype: 'fp32',
  session_options: { intraOpNumThreads: Number(threads), interOpNumThreads: 1 },
});
const labels = model.config.id2label;

const server = http.createServer((request, response) => {
  if (request.method === 'GET') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
    return;
  }
  const chunks = [];
  request.on('data', (c) => chunks.push(c));
  request.on('end', async () => {
    try {
      const { texts } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const inputs = tokenizer(texts, { padding: true, truncation: true });
      const { logits } = await model(inputs);
      const [rows, cols] = logits.dims;
      const data = logits.data;
      const predictions = [];
      for (let r = 0; r < rows; r++) {
        const row = Array.from(data.slice(r * cols, (r + 1) * cols));
        const max = Math.max(...row);
        const exps = row.map((v) => Math.exp(v - max));
        const sum = exps.reduce((a, b) => a + b, 0);
        const scores = exps.map((e) => e / sum);
        const best = scores.indexOf(Math.max(...scores));
        predictions.push({ label: labels[best], score: scores[best] });
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ predictions }));
    } catch (error) {
      response.writeHead(500).end(String(error));
    }
  });
});
// Keep idle connections open as long as a load generator's pool may (Node's default is 5 s), so a
// reused connection is never one the server is closing.
server.keepAliveTimeout = 120_000;
server.listen(Number(port), '127.0.0.1', () => console.error(`peer: listening on 127.0.0.1:${port}`));
