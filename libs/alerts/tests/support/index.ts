export { alertAt } from './alert-records';
