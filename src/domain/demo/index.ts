export { buildDemo } from './demo.js';
