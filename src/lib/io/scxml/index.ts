/** SCXML: `exportScxml` and `importScxml`. */
export { exportScxml } from './export';
export { importScxml } from './import';
export { SCXML_NS, FSM_NS, templateToExpr } from './shared';
