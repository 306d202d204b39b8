export { COMMANDS, type CommandEntry } from './commands/index';
export { main } from './main';
