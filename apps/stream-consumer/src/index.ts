export { type ConsumerHandlerDependencies, createConsumerHandler } from './consumer-handler';
