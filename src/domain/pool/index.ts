export { activeOn, confirmIntoPool, filingStatus, poolStatus, type PoolStatus, recordFiling, setCapacity, visiblePools } from './pool.js';
