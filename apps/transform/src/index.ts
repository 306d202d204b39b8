export { createGoldHandler, type GoldEvent } from './gold-handler';
export { lambdaEngineOptions } from './lambda-engine-options';
export { createSilverHandler, type SilverEvent } from './silver-handler';
export { type TransformContext, type TransformHandlerDependencies, transformContext } from './transform-context';
