export { COMMANDS, main } from './main';
