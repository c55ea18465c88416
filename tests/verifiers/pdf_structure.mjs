// A PDF's structure as Firefox's PDF viewer gives it to screen readers: Mozilla's pdf.js
// (`pdfjs-dist`) reads the file, `page.getStructTree()` gives the structure tree and the
// figures' alternative texts, and the text of each element comes from the page's marked content
// (`getTextContent({includeMarkedContent: true})`), as the text layer pdf.js builds for them.
//
// `node pdf_structure.mjs FILE.pdf` prints one JSON object: {marked, lang, title, elements},
// `elements` being the structure elements in tree order (depth first), each {role, alt, text}.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';

const modules = process.env.ATTEST_NODE_MODULES;
if (!modules) {
  throw new Error('ATTEST_NODE_MODULES must name the node_modules folder holding pdfjs-dist');
}
const pdfjs = await import(pathToFileURL(path.join(modules, 'pdfjs-dist/legacy/build/pdf.mjs')).href);

const data = new Uint8Array(readFileSync(process.argv[2]));
const doc = await pdfjs.getDocument({data, verbosity: 0, isEvalSupported: false}).promise;
const page = await doc.getPage(1);

// Marked-content id -> the text drawn inside it.
const texts = new Map();
const open = [];
const content = await page.getTextContent({includeMarkedContent: true});
for (const item of content.items) {
  if (item.type === 'beginMarkedContentProps' || item.type === 'beginMarkedContent') {
    open.push(item.id ?? null);
  } else if (item.type === 'endMarkedContent') {
    open.pop();
  } else if (typeof item.str === 'string') {
    const id = open.findLast(i => i !== null);
    if (id !== undefined) {
      texts.set(id, (texts.get(id) ?? '') + item.str);
    }
  }
}

const elements = [];
const walk = node => {
  const parts = [];
  for (const kid of node.children ?? []) {
    if (kid.type === 'content') {
      parts.push(texts.get(kid.id) ?? '');
    }
  }
  if (node.role !== 'Root' && node.role !== 'Document') {
    elements.push({role: node.role, alt: node.alt ?? null, text: parts.join(' ')});
  }
  for (const kid of node.children ?? []) {
    if (kid.role) {
      walk(kid);
    }
  }
};
const tree = await page.getStructTree();
if (tree) {
  walk(tree);
}

const markInfo = await doc.getMarkInfo();
const {info} = await doc.getMetadata();
process.stdout.write(JSON.stringify({
  marked: markInfo?.Marked === true,
  lang: info.Language ?? null,
  title: info.Title ?? null,
  elements,
}));
