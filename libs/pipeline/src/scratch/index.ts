export { clearScratchLeftovers, lambdaScratchFolder } from './scratch-folder';
