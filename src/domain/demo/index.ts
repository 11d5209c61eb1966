/** `xypz demo`: a realistic demo database made through the other features. */
export { buildDemo } from './demo.js';
