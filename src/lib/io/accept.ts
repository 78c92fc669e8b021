/** File extensions the import accepts (for `<input accept>` and drop hints). */
export const IMPORT_ACCEPT = '.fsm.json,.json,.mmd,.mermaid,.md,.scxml,.xml,.ts,.js,.mjs,.mts';
