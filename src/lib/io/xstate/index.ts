/** XState v5: config and code export, config and code import. */
export { exportXStateJson, exportXStateCode, toXStateConfig } from './export';
export { importXState, importXStateCode } from './import';
