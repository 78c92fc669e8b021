/** Mermaid `stateDiagram-v2`: `exportMermaid` and `importMermaid`. */
export { exportMermaid } from './export';
export { importMermaid } from './import';
