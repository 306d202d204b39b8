export { createExtractHandler, type ExtractEvent, type ExtractHandlerDependencies } from './extract-handler';
export { CREDENTIALS_MAX_AGE_SECONDS, readTwitchCredentials, type TwitchCredentials } from './twitch-credentials';
