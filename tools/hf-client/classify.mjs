// Calls the service the way a Hugging Face user does: @huggingface/inference's textClassification
// with endpointUrl set to the service. Prints what the client returned, as one JSON object.
// Usage: node classify.mjs <endpointUrl> '<json array of texts>'
import { textClassification } from "@huggingface/inference";

const [endpointUrl, textsJson] = process.argv.slice(2);
const texts = JSON.parse(textsJson);

const single = await textClassification({ endpointUrl, inputs: texts[0] });
// The client sends a list as is and, as it documents, returns the answer's first entry.
const list = await textClassification({ endpointUrl, inputs: texts });
const each = [];
for (const text of texts) {
  each.push(await textClassification({ endpointUrl, inputs: text }));
}
const topOne = await textClassification({ endpointUrl, inputs: texts[0], parameters: { top_k: 1 } });

let error = null;
try {
  await textClassification({ endpointUrl, inputs: texts[0], parameters: { function_to_apply: "cube" } });
} catch (e) {
  error = { name: e.name, message: e.message, status: e.response?.status ?? null };
}

console.log(JSON.stringify({ single, list, each, topOne, error }));
