// Parses Mermaid files with Mermaid itself, for archdiag's tests: one JSON
// line per file with whether it parsed, the configuration its directives
// set, and the nodes and edges with their label text as parsed.
//
//   node .ci/mermaid-parse.mjs FILE...
//
// Mermaid and jsdom come from .ci/node_modules (.ci/install-checkers);
// Mermaid's parser needs a DOM, which jsdom provides.
import fs from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, 'utf8');
  const out = { file };
  try {
    const res = await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const vertices = diagram.db.getVertices();
    out.ok = true;
    out.type = res.diagramType;
    out.config = res.config ?? {};
    out.nodes = [...(vertices instanceof Map ? vertices.values() : Object.values(vertices))].map((v) => ({ id: v.id, text: v.text }));
    out.edges = diagram.db.getEdges().map((e) => ({ start: e.start, end: e.end, text: e.text }));
  } catch (e) {
    out.ok = false;
    out.error = String(e?.message ?? e);
  }
  console.log(JSON.stringify(out));
}
