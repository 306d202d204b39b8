export { createPublishHandler, type PublishEvent, type PublishHandlerDependencies, publishEventSchema } from './publish-handler';
