export { createPublishHandler, type PublishHandlerDependencies } from './publish-handler';
