export { InvalidStepInputError } from './invalid-step-input-error';
export { MalformedCredentialsError } from './malformed-credentials-error';
export { MissingSettingError } from './missing-setting-error';
export { UnreadableCredentialsError } from './unreadable-credentials-error';
