export { createExtractHandler, type ExtractEvent, type ExtractHandlerDependencies } from './extract-handler';
export { readTwitchCredentials, type TwitchCredentials } from './twitch-credentials';
